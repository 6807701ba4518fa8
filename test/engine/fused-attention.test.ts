/**
 * The fused attention node (ONNX Attention, opset 23): gradients vs float64 finite differences, onnxruntime float32
 * forward/backward vs the float64 reference, the same model in onnxruntime-web, and the composite it replaces.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkOp, relL2 } from './gradcheck.js';
import { attention } from '../../src/engine/fused/attention.js';
import { Graph } from '../../src/engine/graph/graph.js';
import { add, matmul, mul, softmax, transpose } from '../../src/engine/ops/index.js';
import { onnxNodes, toOnnx } from '../../src/engine/onnx/index.js';
import { compile } from '../../src/engine/runtime/index.js';
import { ndarray } from '../../src/tensor/ndarray.js';

test('attention (q, k, v)', () => checkOp([{ shape: [2, 3, 4, 5] }, { shape: [2, 3, 6, 5] }, { shape: [2, 3, 6, 2] }], (q, k, v) => attention(q, k, v)));
test('attention with a broadcast bias and a custom scale', () =>
  checkOp([{ shape: [1, 2, 4, 3] }, { shape: [1, 2, 4, 3] }, { shape: [1, 2, 4, 3] }, { shape: [1, 2, 4, 4] }], (q, k, v, b) => attention(q, k, v, { scale: 0.7, bias: b })));
test('attention: bad shapes are refused', () => {
  const g = new Graph();
  assert.throws(() => attention(g.input('q', [1, 2, 4, 3]), g.input('k', [1, 2, 4, 5]), g.input('v', [1, 2, 4, 3])), /attention: k: expected \[1, 2, Lk, 3\]/);
  assert.throws(() => attention(g.input('q2', [1, 2, 4, 3]), g.input('k2', [1, 2, 4, 3]), g.input('v2', [1, 2, 4, 3]), { bias: g.input('b', [2, 2, 4, 4]) }), /bias/);
});

test('the fused node equals the composite on onnxruntime, and runs in onnxruntime-web', async () => {
  const shape = [2, 3, 7, 8];
  const n = shape.reduce((a, b) => a * b);
  const f = (s: number) => ndarray('float32', shape, Float32Array.from({ length: n }, (_, i) => Math.sin(i * s)));
  const bias = ndarray('float32', [1, 3, 7, 7], Float32Array.from({ length: 147 }, (_, i) => Math.cos(i)));
  const g = new Graph();
  const [q, k, v, b] = [g.input('q', shape), g.input('k', shape), g.input('v', shape), g.input('b', [1, 3, 7, 7])];
  const fused = attention(q, k, v, { bias: b });
  const composite = matmul(softmax(add(mul(matmul(q, transpose(k, [0, 1, 3, 2])), 1 / Math.sqrt(8)), b), -1), v);
  const m = toOnnx({ fused });
  assert.deepEqual(onnxNodes(m.bytes).map((x) => x.op_type), ['Attention']);
  const c = await compile({ fused, composite });
  const feeds = { q: f(1), k: f(2), v: f(3), b: bias };
  const r = await c.run(feeds);
  await c.release();
  assert.ok(relL2(r.fused.data as Float32Array, r.composite.data as Float32Array) < 1e-6);
  const ortWeb = await import('onnxruntime-web');
  ortWeb.env.wasm.numThreads = 1;
  const s = await ortWeb.InferenceSession.create(m.bytes, { executionProviders: ['wasm'] });
  const T = (a: { data: ArrayLike<number>; shape: readonly number[] }) => new ortWeb.Tensor('float32', a.data as Float32Array, [...a.shape]);
  const w = await s.run({ q: T(feeds.q), k: T(feeds.k), v: T(feeds.v), b: T(bias) });
  await s.release();
  assert.ok(relL2(w.fused.data as Float32Array, r.composite.data as Float32Array) < 1e-6);
});
