/** Regression: parameters with the same (unqualified) name must stay distinct ONNX initializers. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Graph } from '../../src/engine/graph/graph.js';
import { compile } from '../../src/engine/runtime/index.js';
import { Linear } from '../../src/nn/layers.js';
import { Rng } from '../../src/engine/rng.js';
import { ndarray } from '../../src/tensor/ndarray.js';

test('two modules whose parameters were never qualified by namedTensors() compile to distinct initializers', async () => {
  const rng = new Rng(1);
  const a = new Linear(3, 2, { rng });
  const b = new Linear(2, 4, { rng }); // both have parameters named 'weight' and 'bias'
  const g = new Graph();
  const y = b.forward(a.forward(g.input('x', [1, 3])));
  const c = await compile({ y });
  const x = [1, 2, 3];
  const r = await c.run({ x: ndarray('float32', [1, 3], x) });
  await c.release();
  const lin = (m: Linear, v: number[]) =>
    Array.from({ length: m.outFeatures }, (_, o) => v.reduce((s, xi, i) => s + xi * m.weight.value.data[o * m.inFeatures + i], m.bias!.value.data[o]));
  const want = lin(b, lin(a, x));
  want.forEach((w, i) => assert.ok(Math.abs((r.y.data as Float32Array)[i] - w) < 1e-5));
});

test('MaxPool writes its Indices output only when a backward reads it (inference takes the fast kernel)', async () => {
  const { maxPool2d, sum } = await import('../../src/engine/ops/index.js');
  const { onnxNodes, toOnnx } = await import('../../src/engine/onnx/index.js');
  const { grad } = await import('../../src/engine/autodiff/index.js');
  const g = new Graph();
  const x = g.input('x', [1, 2, 6, 6]);
  const y = maxPool2d(x, { kernel: 3, stride: 2, padding: 1 });
  const inference = onnxNodes(toOnnx({ y }).bytes).filter((n) => n.op_type === 'MaxPool');
  assert.deepEqual(inference.map((n) => n.output.length), [1]);
  const [dx] = grad(sum(y, [0, 1, 2, 3]), [x]);
  const training = onnxNodes(toOnnx({ y, dx: dx! }).bytes).filter((n) => n.op_type === 'MaxPool');
  assert.deepEqual(training.map((n) => n.output.length), [2]);
  // the inference graph still computes the same maxima
  const c = await compile({ y });
  const v = Float32Array.from({ length: 72 }, (_, i) => Math.sin(i * 1.7));
  const r = await c.run({ x: ndarray('float32', [1, 2, 6, 6], v) });
  await c.release();
  assert.equal((r.y.data as Float32Array)[0], Math.fround(Math.max(v[0], v[1], v[6], v[7])));
});
