/**
 * MaxPool's Indices output is written only when the backward reads it (onnxruntime's WebGPU MaxPool has no Indices
 * output, so inference graphs with max pooling must not ask for it); gradients through max pooling still match.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { grad } from '../../src/engine/autodiff/grad.js';
import { Graph } from '../../src/engine/graph/graph.js';
import { onnxNodes, toOnnx } from '../../src/engine/onnx/emit.js';
import { maxPool2d, mul, sum } from '../../src/engine/ops/index.js';
import { compile } from '../../src/engine/runtime/index.js';
import { ndarray } from '../../src/tensor/ndarray.js';

const maxPoolOutputs = (bytes: Uint8Array): number[] => onnxNodes(bytes).filter((n) => n.op_type === 'MaxPool').map((n) => n.output.length);
const x = ndarray('float32', [1, 1, 4, 4], [1, 5, 2, 0, 3, 4, 9, 8, 7, 6, 1, 2, 0, 3, 4, 11]);

test('inference graph: MaxPool without Indices, same values', async () => {
  const g = new Graph();
  const y = maxPool2d(g.input('x', [1, 1, 4, 4]), { kernel: 2 });
  assert.deepEqual(maxPoolOutputs(toOnnx({ y }).bytes), [1]);
  const c = await compile({ y });
  const r = await c.run({ x });
  await c.release();
  assert.deepEqual([...(r.y.data as Float32Array)], [5, 9, 7, 11]);
});

test('training graph: MaxPool keeps Indices for the backward; gradient routes to the argmax', async () => {
  const g = new Graph();
  const xi = g.input('x', [1, 1, 4, 4]);
  const y = maxPool2d(xi, { kernel: 2 });
  const loss = sum(mul(y, y));
  const [dx] = grad(loss, [xi]);
  assert.deepEqual(maxPoolOutputs(toOnnx({ loss, dx }).bytes), [2]);
  const c = await compile({ loss, dx });
  const r = await c.run({ x });
  await c.release();
  // d(sum y^2)/dx = 2 y at each window's maximum, 0 elsewhere
  assert.deepEqual([...(r.dx.data as Float32Array)], [0, 10, 0, 0, 0, 0, 18, 0, 14, 0, 0, 0, 0, 0, 0, 22]);
});
