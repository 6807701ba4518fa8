/**
 * Optimisers, schedules, clipping, accumulation, parameter groups and checkpoints, against a float64 JavaScript
 * transcription of the torch.optim update rules on a least-squares problem (gradient 2/n X^T (Xw - t)).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Parameter, type Graph } from '../../src/engine/graph/graph.js';
import { add, matmul, reshape } from '../../src/engine/ops/index.js';
import type { Tensor } from '../../src/engine/graph/graph.js';
import { TrainStep, adam, adamw, sgd, stepLr, cosineLr, warmup, type Optimizer } from '../../src/engine/optim/index.js';
import { ndarray, type NdArray } from '../../src/tensor/ndarray.js';
import { mseLoss } from '../../src/train/losses.js';
import { saveCheckpoint, loadCheckpoint } from '../../src/train/checkpoint.js';
import { Rng } from '../../src/engine/rng.js';
import { Linear, Dropout, Sequential } from '../../src/nn/index.js';

const N = 8;
const D = 3;
const rng = new Rng(5);
const X = Float64Array.from({ length: N * D }, () => rng.normal());
const T = Float64Array.from({ length: N }, () => rng.normal());
const feeds = (rows = [0, N]): Record<string, NdArray> => ({
  x: ndarray('float32', [rows[1] - rows[0], D], Float32Array.from(X.subarray(rows[0] * D, rows[1] * D))),
  t: ndarray('float32', [rows[1] - rows[0], 1], Float32Array.from(T.subarray(rows[0], rows[1]))),
});
const gradOf = (w: Float64Array): Float64Array => {
  const g = new Float64Array(D);
  for (let i = 0; i < N; i++) {
    let r = -T[i];
    for (let j = 0; j < D; j++) r += X[i * D + j] * w[j];
    for (let j = 0; j < D; j++) g[j] += (2 / N) * X[i * D + j] * r;
  }
  return g;
};
const w0 = [0.3, -0.2, 0.5];

function build(w: Parameter, rows = N) {
  return (g: Graph) => mseLoss(matmul(g.input('x', [rows, D]), reshape(g.param(w), [D, 1])), g.input('t', [rows, 1]));
}

/** torch.optim reference updates, float64: the weights and the state (momentum buffer or exp_avg, exp_avg_sq). */
function reference(kind: string, steps: number, lr: number): { w: Float64Array; m: Float64Array; v: Float64Array } {
  const w = Float64Array.from(w0);
  const m = new Float64Array(D);
  const v = new Float64Array(D);
  for (let t = 1; t <= steps; t++) {
    const g = gradOf(w);
    for (let j = 0; j < D; j++) {
      if (kind === 'sgd') w[j] -= lr * g[j];
      else if (kind === 'momentum' || kind === 'nesterov') {
        const gj = g[j] + 0.01 * w[j];
        m[j] = t === 1 ? gj : 0.9 * m[j] + gj;
        w[j] -= lr * (kind === 'nesterov' ? gj + 0.9 * m[j] : m[j]);
      } else {
        if (kind === 'adamw') w[j] *= 1 - lr * 0.1;
        m[j] = 0.9 * m[j] + 0.1 * g[j];
        v[j] = 0.999 * v[j] + 0.001 * g[j] * g[j];
        const denom = Math.sqrt(v[j]) / Math.sqrt(1 - 0.999 ** t) + 1e-8;
        w[j] -= (lr / (1 - 0.9 ** t)) * (m[j] / denom);
      }
    }
  }
  return { w, m, v };
}

const cases: [string, Optimizer][] = [
  ['sgd', sgd()],
  ['momentum', sgd({ momentum: 0.9, weightDecay: 0.01 })],
  ['nesterov', sgd({ momentum: 0.9, nesterov: true, weightDecay: 0.01 })],
  ['adam', adam()],
  ['adamw', adamw({ weightDecay: 0.1 })],
];
for (const [kind, opt] of cases) {
  test(`${kind}: 4 steps match the torch.optim rule`, async () => {
    const w = new Parameter('w', ndarray('float32', [D], w0));
    const step = await TrainStep.create({ build: build(w), params: [w], optimizer: opt, lr: 0.05 });
    for (let i = 0; i < 4; i++) await step.run(feeds());
    await step.release();
    const want = reference(kind, 4, 0.05).w;
    want.forEach((v, j) => assert.ok(Math.abs((w.value.data[j] as number) - v) < 1e-5, `${kind} w[${j}] ${w.value.data[j]} vs ${v}`));
  });
}

test('param groups scale the learning rate; clipping caps the global norm; frozen params stay', async () => {
  const a = new Parameter('a', ndarray('float32', [D], w0));
  const b = new Parameter('b', ndarray('float32', [D], w0));
  const frozen = new Parameter('c', ndarray('float32', [D], [1, 1, 1]), false);
  const buildAB = (g: Graph) => {
    const x = g.input('x', [N, D]);
    const t = g.input('t', [N, 1]);
    const l1 = mseLoss(matmul(x, reshape(g.param(a), [D, 1])), t);
    const l2 = mseLoss(matmul(x, reshape(g.param(b), [D, 1])), t);
    const l3 = mseLoss(matmul(x, reshape(g.param(frozen), [D, 1])), t);
    return { loss: addAll([l1, l2, l3]) };
  };
  const step = await TrainStep.create({ build: buildAB, params: [{ params: [a] }, { params: [b, frozen], lrMult: 0.1 }], optimizer: sgd(), lr: 0.05, clipGradNorm: 0.5 });
  assert.ok(!step['main'].model.inputs.some((i) => i.name === 'c'), 'frozen parameter is a constant of the graph');
  await step.run(feeds());
  const g = gradOf(Float64Array.from(w0));
  const norm = Math.sqrt(2 * g.reduce((s, v) => s + v * v, 0));
  const coef = Math.min(1, 0.5 / (norm + 1e-6));
  assert.ok(coef < 1, 'the test clips');
  for (let j = 0; j < D; j++) {
    assert.ok(Math.abs((a.value.data[j] as number) - (w0[j] - 0.05 * coef * g[j])) < 1e-6);
    assert.ok(Math.abs((b.value.data[j] as number) - (w0[j] - 0.005 * coef * g[j])) < 1e-6);
  }
  assert.deepEqual(Array.from(frozen.value.data as Float32Array), [1, 1, 1]);
  await step.release();
});

const addAll = (ts: Tensor[]): Tensor => ts.reduce((p, q) => add(p, q));

test('gradient accumulation over two half batches equals one full-batch step', async () => {
  const w1 = new Parameter('w', ndarray('float32', [D], w0));
  const full = await TrainStep.create({ build: build(w1), params: [w1], optimizer: adam(), lr: 0.05 });
  const w2 = new Parameter('w', ndarray('float32', [D], w0));
  const acc = await TrainStep.create({ build: build(w2, N / 2), params: [w2], optimizer: adam(), lr: 0.05, accumulate: 2 });
  for (let s = 0; s < 2; s++) {
    await full.run(feeds());
    await acc.run(feeds([0, N / 2]));
    assert.equal(acc.step, s, 'no update after the first micro-batch');
    await acc.run(feeds([N / 2, N]));
  }
  assert.equal(acc.step, 2);
  for (let j = 0; j < D; j++) assert.ok(Math.abs((w1.value.data[j] as number) - (w2.value.data[j] as number)) < 1e-6);
  await full.release();
  await acc.release();
});

test('schedules: step, cosine, warm-up', () => {
  const s = stepLr(0.1, 10, 0.5);
  assert.deepEqual([s(0), s(9), s(10), s(25)], [0.1, 0.1, 0.05, 0.025]);
  const c = cosineLr(1, 100, 0.1);
  assert.equal(c(0), 1);
  assert.ok(Math.abs(c(50) - 0.55) < 1e-12);
  assert.ok(Math.abs(c(100) - 0.1) < 1e-12);
  const w = warmup(4, c);
  assert.deepEqual([w(0), w(3)], [0.25, 1]);
  assert.equal(w(4), c(0));
});

test('checkpoint (safetensors, atomic) + resume continues bit for bit, dropout masks included', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'iqa-ckpt-'));
  const make = async () => {
    const net = new Sequential(new Linear(D, 4, { rng: new Rng(1) }), new Dropout(0.3), new Linear(4, 1, { rng: new Rng(2) }));
    net.namedTensors();
    const step = await TrainStep.create({
      build: (g) => mseLoss(net.forward(g.input('x', [N, D])), g.input('t', [N, 1])),
      params: net.parameters(),
      optimizer: adam(),
      lr: cosineLr(0.05, 6),
      seed: 7,
    });
    return { net, step };
  };
  const a = await make();
  for (let i = 0; i < 6; i++) await a.step.run(feeds());
  const b = await make();
  for (let i = 0; i < 3; i++) await b.step.run(feeds());
  const path = join(dir, 'ck.safetensors');
  saveCheckpoint(path, b.step.state());
  assert.deepEqual(readdirSync(dir), ['ck.safetensors'], 'no temp file left');
  const c = await make();
  c.step.load(loadCheckpoint(path));
  assert.equal(c.step.step, 3);
  for (let i = 0; i < 3; i++) await c.step.run(feeds());
  const sa = a.net.stateDict();
  const sc = c.net.stateDict();
  for (const k of Object.keys(sa)) assert.deepEqual(Array.from(sc[k].data as Float32Array), Array.from(sa[k].data as Float32Array), k);
  for (const s of [a, b, c]) await s.step.release();
  rmSync(dir, { recursive: true });
});

test("Adam's state: exponentially weighted sums, loadable from torch.optim's exp_avg / exp_avg_sq", async () => {
  // Adam keeps M = exp_avg / (1 - b1) and V = exp_avg_sq / (1 - b2) (optimizer.ts); checked against the torch rule's moments after two steps
  const w = new Parameter('w', ndarray('float32', [D], w0));
  const step = await TrainStep.create({ build: build(w), params: [w], optimizer: adam(), lr: 0.05 });
  for (let t = 1; t <= 2; t++) await step.run(feeds());
  const { m, v } = reference('adam', 2, 0.05);
  const st = step.state();
  const sum = st.optim['optim.w.exp_sum'].data as Float32Array;
  const sumSq = st.optim['optim.w.exp_sum_sq'].data as Float32Array;
  for (let j = 0; j < D; j++) {
    assert.ok(Math.abs(sum[j] * 0.1 - m[j]) <= 1e-6 * Math.max(1, Math.abs(m[j])), `exp_avg[${j}] ${sum[j] * 0.1} vs ${m[j]}`);
    assert.ok(Math.abs(sumSq[j] * 0.001 - v[j]) <= 1e-6 * Math.max(1, v[j]), `exp_avg_sq[${j}] ${sumSq[j] * 0.001} vs ${v[j]}`);
  }
  // A state in torch.optim's form (as a PyTorch checkpoint holds it) continues like our own.
  const torchState = { ...st, optim: { 'optim.w.exp_avg': ndarray('float32', [D], Float32Array.from(m)), 'optim.w.exp_avg_sq': ndarray('float32', [D], Float32Array.from(v)) } };
  const w2 = new Parameter('w', ndarray('float32', [D], w0));
  const resumed = await TrainStep.create({ build: build(w2), params: [w2], optimizer: adam(), lr: 0.05 });
  resumed.load(torchState);
  await resumed.run(feeds());
  await step.run(feeds());
  for (let j = 0; j < D; j++) assert.ok(Math.abs((w2.value.data[j] as number) - (w.value.data[j] as number)) < 1e-6, `w[${j}]`);
  assert.throws(() => resumed.load({ ...st, optim: {} }), /optim\.w\.exp_sum/);
  for (const s of [step, resumed]) await s.release();
});
