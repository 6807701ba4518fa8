/**
 * CVRKD-IQA parity against the PyTorch reference written from the spec (tools/models/cvrkd_ref.py): predictions,
 * difference-encoder inner features, and the gradients of the student loss (L1 + feature MSE), float32 on ORT.
 * Plus the distillation-loss layer options and input checks.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { Graph, type Tensor } from '../../src/engine/graph/graph.js';
import { grad } from '../../src/engine/autodiff/grad.js';
import { abs, add, constant, mul, reshape, sub, sum } from '../../src/engine/ops/index.js';
import { compile } from '../../src/engine/runtime/compile.js';
import { ndarray } from '../../src/tensor/ndarray.js';
import { Cvrkd, type CvrkdConfig } from '../../src/models/cvrkd/cvrkd.js';
import { formulaStateDict } from '../../src/models/common.js';

interface Picks { sum: number; l2: number; idx: number[]; val: number[] }
const fx = JSON.parse(readFileSync(new URL('../fixtures/models/cvrkd_parity.json', import.meta.url), 'utf8')) as {
  config: CvrkdConfig;
  names: string[];
  lq: { shape: number[]; data: number[] };
  ref: { shape: number[]; data: number[] };
  mos: number[];
  pred: number[];
  inner: Picks[];
  loss: number;
  grads: Record<string, Picks>;
};

function makeNet(): Cvrkd {
  const net = new Cvrkd(fx.config);
  net.loadStateDict(formulaStateDict(net));
  return net.eval();
}

const near = (a: number, b: number, tol: number) => Math.abs(a - b) <= tol * (1 + Math.abs(b));

test('cvrkd: parameter names equal the reference state dict (official layout)', () => {
  assert.deepEqual(Object.keys(makeNet().stateDict()).sort(), fx.names);
});

test('cvrkd: prediction, inner features and student-loss gradients match PyTorch', async () => {
  const net = makeNet();
  const g = new Graph('input');
  const lq = g.input('lq', fx.lq.shape);
  const ref = g.input('ref', fx.ref.shape);
  const out = net.run(lq, ref);
  // loss = L1(pred, mos) + sum_i MSE(f_i, 0.05 cos(j))
  let loss = mul(sum(abs(sub(out.pred, constant(g, [2], fx.mos)))), 0.5);
  for (const f of out.diffInner) {
    const c = constant(g, f.shape, Float64Array.from({ length: f.size }, (_, j) => 0.05 * Math.cos(j)));
    const d = sub(f, c);
    loss = add(loss, mul(sum(mul(d, d)), 1 / f.size));
  }
  const params = g.paramTensors().filter((t) => t.leaf?.kind === 'param' && t.leaf.asInput && t.leaf.param.requiresGrad && !t.leaf.param.isBuffer);
  const grads = grad(loss, params);
  const outs: Record<string, Tensor> = { loss, pred: out.pred };
  out.diffInner.forEach((t, i) => (outs[`f${i}`] = reshape(t, [-1])));
  params.forEach((p, i) => (outs[`g${i}`] = grads[i]));
  const c = await compile(outs);
  const r = await c.run({ lq: ndarray('float32', fx.lq.shape, fx.lq.data), ref: ndarray('float32', fx.ref.shape, fx.ref.data) });
  fx.pred.forEach((v, i) => assert.ok(near(Number(r.pred.data[i]), v, 1e-5), `pred ${r.pred.data[i]} vs ${v}`));
  assert.ok(near(Number(r.loss.data[0]), fx.loss, 1e-5));
  assert.equal(out.diffInner.length, 2 * fx.config.depth);
  fx.inner.forEach((p, i) => p.idx.forEach((k, j) => assert.ok(near(Number(r[`f${i}`].data[k]), p.val[j], 1e-4), `inner ${i}[${k}]`)));
  let n = 0;
  params.forEach((p, i) => {
    const name = (p.leaf as { param: { name: string } }).param.name;
    const w = fx.grads[name];
    assert.ok(w, `gradient for ${name} in the fixture`);
    assert.ok(!name.startsWith('feature_extractor.'), 'the backbone is frozen');
    const gd = r[`g${i}`].data as Float32Array;
    const scale = Math.max(w.l2, 1e-6);
    let l2 = 0;
    for (const v of gd) l2 += v * v;
    assert.ok(Math.abs(Math.sqrt(l2) - w.l2) <= 1e-3 * scale + 1e-7, `${name} grad L2 ${Math.sqrt(l2)} vs ${w.l2}`);
    w.idx.forEach((k, j) => assert.ok(Math.abs(gd[k] - w.val[j]) <= 1e-3 * scale + 1e-7, `${name} grad[${k}]`));
    n++;
  });
  assert.equal(n, Object.keys(fx.grads).length);
  await c.release();
});

test('cvrkd: wrong patch count and mismatched reference are clear errors', () => {
  const net = makeNet();
  const g = new Graph();
  const [b, , ch, h, w] = fx.lq.shape;
  assert.throws(() => net.run(g.input('a', [b, 3, ch, h, w]), g.input('b', [b, 3, ch, h, w])), /patches per image: expected 2, got 3/);
  assert.throws(() => net.run(g.input('c', fx.lq.shape), g.input('d', [b, 2, ch, h + 1, w])), /reference patches/);
});
