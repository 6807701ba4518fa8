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

test('useFusedAttention: Swin (shifted windows: bias + mask as one bias), ViT and YOTO attention give the composite result', async () => {
  const { useFusedAttention } = await import('../../src/engine/fused/attention.js');
  const { SwinTransformer } = await import('../../src/models/backbones/swin.js');
  const { VisionTransformer } = await import('../../src/models/backbones/vit.js');
  const { Rng } = await import('../../src/engine/rng.js');
  const nets = [
    new SwinTransformer({ embedDim: 16, depths: [2, 2], numHeads: [1, 2], window: 4, imgSize: 32, rng: new Rng(3) }),
    new VisionTransformer({ embedDim: 16, depth: 2, numHeads: 2, patch: 8, imgSize: 32, initValues: 0.5, rng: new Rng(4) }),
  ];
  const x = ndarray('float32', [2, 3, 32, 32], Float32Array.from({ length: 2 * 3 * 32 * 32 }, (_, i) => Math.sin(i * 0.37)));
  for (const net of nets) {
    net.eval();
    const run = async (fused: boolean) => {
      useFusedAttention(fused);
      const g = new Graph();
      const fs = net.features(g.input('x', [2, 3, 32, 32]));
      const ops = onnxNodes(toOnnx({ y: fs[fs.length - 1] }).bytes).map((n) => n.op_type);
      const c = await compile({ y: fs[fs.length - 1] });
      const r = await c.run({ x });
      await c.release();
      return { y: r.y.data as Float32Array, attention: ops.filter((o) => o === 'Attention').length };
    };
    try {
      const [a, b] = [await run(true), await run(false)];
      assert.ok(a.attention > 0 && b.attention === 0);
      assert.ok(relL2(a.y, b.y) < 1e-5, `${net.constructor.name}: ${relL2(a.y, b.y)}`);
    } finally {
      useFusedAttention(false);
    }
  }
});
