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

/** dx of sum(maxpool(x) · r) on a graph built for `target`, and its ONNX MaxPool output counts. */
async function poolGrad(target: 'cpu' | 'webgpu', xv: Float32Array, shape: number[], opts: Parameters<typeof maxPool2d>[1], rv: (n: number) => number) {
  const g = new Graph('input');
  g.target = target;
  const xi = g.input('x', shape);
  const y = maxPool2d(xi, opts);
  const r = ndarray('float32', y.shape, Float32Array.from({ length: y.size }, (_, i) => rv(i)));
  const loss = sum(mul(y, g.constant(r)));
  const [dx] = grad(loss, [xi]);
  const nodes = onnxNodes(toOnnx({ loss, dx }).bytes);
  const c = await compile({ dx });
  const out = (await c.run({ x: ndarray('float32', shape, xv) })).dx.data as Float32Array;
  await c.release();
  return { dx: out, pools: nodes.filter((n) => n.op_type === 'MaxPool').map((n) => n.output.length), scatter: nodes.some((n) => n.op_type === 'ScatterElements') };
}

test('WebGPU-target graph: MaxPool backward without Indices equals the Indices + scatter form, ties to the first maximum', async () => {
  const cases: { shape: number[]; opts: Parameters<typeof maxPool2d>[1]; ties: boolean }[] = [
    { shape: [2, 3, 9, 8], opts: { kernel: 3, stride: 2, padding: 1 }, ties: false }, // ResNet stem pool, odd sizes
    { shape: [2, 3, 9, 8], opts: { kernel: 3, stride: 2, padding: 1 }, ties: true }, // after a ReLU: many equal zeros
    { shape: [1, 2, 5, 5], opts: { kernel: 2, stride: 1 }, ties: true }, // overlapping windows
    { shape: [1, 2, 10, 9], opts: { kernel: 3, stride: 2, padding: [1, 0, 2, 1], dilation: 2 }, ties: false },
  ];
  for (const { shape, opts, ties } of cases) {
    const n = shape.reduce((a, b) => a * b, 1);
    // ties: a quarter of the values clamped to 0 and the rest on a coarse grid, as after ReLU on quantised input
    const xv = Float32Array.from({ length: n }, (_, i) => {
      const v = Math.sin(i * 12.9898) * 43758.5453;
      const f = v - Math.floor(v) - 0.25;
      return ties ? Math.max(0, Math.round(f * 4) / 4) : f;
    });
    const rv = (i: number) => 1 + ((i * 7) % 5);
    const ref = await poolGrad('cpu', xv, shape, opts, rv);
    const got = await poolGrad('webgpu', xv, shape, opts, rv);
    assert.deepEqual(ref.pools, [2]);
    assert.ok(ref.scatter);
    assert.deepEqual(got.pools, [1], 'no Indices output on the WebGPU target');
    assert.ok(!got.scatter);
    // each gradient entry is a sum of the same small integers in either form: exact
    assert.deepEqual([...got.dx], [...ref.dx], JSON.stringify(opts));
  }
});
