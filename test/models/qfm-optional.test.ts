/**
 * The optional parts of QFM-IQM's design (docs/models.md §3.6): the adversarial (FGSM) refinement of ε and the
 * contrastive term L_con with its negative mining. Checked against finite differences of the same graphs on a tiny
 * model and against plain JS computations; the switches off must leave the loss as it was.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { grad } from '../../src/engine/autodiff/index.js';
import { Graph, type Tensor } from '../../src/engine/graph/graph.js';
import { Rng } from '../../src/engine/rng.js';
import { compile } from '../../src/engine/runtime/index.js';
import { patchMean, QfmIqm } from '../../src/models/qfm/qfm-iqm.js';
import { qfmLoss, type QfmLossWeights } from '../../src/models/qfm/qfm-loss.js';
import { mineNegatives } from '../../src/train/nr-models.js';
import { ndarray, type NdArray } from '../../src/tensor/ndarray.js';

const B = 4;
const S = 16;
const model = () => new QfmIqm({ embedDim: 16, depth: 1, numHeads: 2, imgSize: S, patch: 8, initValues: 0.5, numQueries: 2, gateReduction: 4, gate: true, seed: 2 });

function baseFeeds(eps: number[]): Record<string, NdArray> {
  const rng = new Rng(11);
  return {
    x: ndarray('float32', [B, 3, S, S], Float32Array.from({ length: B * 3 * S * S }, () => rng.normal())),
    // targets away from the predictions (≈ 0) so the SmoothL1 terms are in their quadratic / linear parts, not at 0
    y: ndarray('float32', [B, 1], [0.9, 0.2, 0.7, 0.4]),
    // anchor 3 has no partner (itself, mask 0): Δ = 0, so ∂L/∂ε_3 = 0 and its ε must stay
    partner: ndarray('int64', [B], BigInt64Array.from([1n, 2n, 0n, 3n])),
    mask: ndarray('float32', [B, 1], [1, 1, 1, 0]),
    eps: ndarray('float32', [B, 1], eps),
  };
}

function inputs(g: Graph, con = false) {
  return {
    x: g.input('x', [B, 3, S, S]), y: g.input('y', [B, 1]), partner: g.input('partner', [B], 'int64'), mask: g.input('mask', [B, 1]), eps: g.input('eps', [B, 1]),
    conW: con ? g.input('conW', [B, B]) : undefined,
  };
}

/** Runs qfmLoss's graph; `wrt` adds the gradients of `of` (a part name or 'loss') w.r.t. every trainable parameter. */
async function runLoss(m: QfmIqm, w: QfmLossWeights, feeds: Record<string, NdArray>, withGrads = false, of = 'loss'): Promise<Record<string, NdArray>> {
  const g = new Graph('input');
  const r = qfmLoss(m, inputs(g, 'conW' in feeds), w);
  const outs: Record<string, Tensor> = { loss: r.loss, ...r.parts };
  if (withGrads) {
    const ps = m.trainableParameters();
    grad(of === 'loss' ? r.loss : r.parts[of], ps.map((p) => g.param(p)), { stop: r.stop }).forEach((t, i) => (outs[`grad.${ps[i].name}`] = t));
  }
  const net = await compile(outs);
  const out = await net.run(feeds);
  await net.release();
  return out;
}

const f32 = (a: NdArray): number[] => Array.from(a.data as Float32Array);
const smoothL1 = (p: number, t: number): number => (Math.abs(p - t) < 1 ? 0.5 * (p - t) ** 2 : Math.abs(p - t) - 0.5);
const sens = (advEps: QfmLossWeights['advEps']): QfmLossWeights => ({ sens: 1, match: 0.1, kd: 0, advEps });

test('QFM advEps: per-anchor ∂L_q(h(T̃_i), y_i)/∂ε_i matches finite differences; the FGSM step takes its sign, clipped to [0, ε_max]', async () => {
  const m = model();
  const eps = [0.1, 0.15, 0.2, 0.1];
  const a = await runLoss(m, sens({ eta: 0.05, max: 0.3 }), baseFeeds(eps));
  const y = f32(baseFeeds(eps).y);
  // central differences of L_i(ε) = SmoothL1(h(T̃_i(ε_i)), y_i), all anchors at once (each depends on its own ε_i only)
  const h = 2e-3;
  const li = async (e: number[]) => f32((await runLoss(m, sens(null), baseFeeds(e))).predTilde).map((p, i) => smoothL1(p, y[i]));
  const [lp, lm] = [await li(eps.map((e) => e + h)), await li(eps.map((e) => e - h))];
  const fd = lp.map((v, i) => (v - lm[i]) / (2 * h));
  const dg = f32(a.epsGrad);
  const scale = Math.max(...fd.map(Math.abs));
  assert.ok(scale > 1e-4, `derivatives too small to test: ${fd}`);
  let compared = 0;
  for (let i = 0; i < B; i++) {
    if (Math.abs(fd[i]) < 0.05 * scale) continue; // sign agreement only where the derivative is not tiny
    assert.equal(Math.sign(dg[i]), Math.sign(fd[i]), `anchor ${i}: autodiff ${dg[i]} vs FD ${fd[i]}`);
    assert.ok(Math.abs(dg[i] - fd[i]) <= 0.03 * Math.abs(fd[i]) + 1e-4, `anchor ${i}: autodiff ${dg[i]} vs FD ${fd[i]}`);
    compared++;
  }
  assert.ok(compared >= 2, `only ${compared} anchors with a non-tiny derivative`);
  assert.equal(dg[3], 0, 'no partner: Δ = 0, no derivative');
  const ea = f32(a.epsAdv);
  for (let i = 0; i < B; i++) assert.ok(Math.abs(ea[i] - Math.min(0.3, Math.max(0, eps[i] + 0.05 * Math.sign(dg[i])))) < 1e-6, `ε_${i} ${ea[i]}`);
  assert.ok(Math.abs(ea[3] - eps[3]) < 1e-7);
  // a step larger than the range: every anchor with a derivative lands on a bound, 0 or ε_max
  const big = f32((await runLoss(m, sens({ eta: 0.5, max: 0.3 }), baseFeeds(eps))).epsAdv);
  const want = dg.map((d, i) => (d > 0 ? 0.3 : d < 0 ? 0 : eps[i]));
  big.forEach((v, i) => assert.ok(Math.abs(v - want[i]) < 1e-6, `ε_${i} ${v} vs ${want[i]}`));
  assert.ok(want.includes(0.3) || want.includes(0), 'no anchor was clipped');
});

test('QFM advEps: the refined ε is a constant for the weights (loss and every gradient = those of a fixed ε fed as input); η = 0 leaves the loss', async () => {
  const m = model();
  const eps = [0.1, 0.1, 0.1, 0.1];
  const a = await runLoss(m, sens({ eta: 0.05, max: 0.3 }), baseFeeds(eps), true);
  const refined = f32(a.epsAdv);
  assert.ok(refined.some((v) => Math.abs(v - 0.1) > 0.01), 'ε did not move');
  const b = await runLoss(m, sens(null), baseFeeds(refined), true);
  assert.ok(Math.abs(f32(a.loss)[0] - f32(b.loss)[0]) < 1e-6, `${f32(a.loss)[0]} vs ${f32(b.loss)[0]}`);
  for (const p of m.trainableParameters()) {
    const [ga, gb] = [f32(a[`grad.${p.name}`]), f32(b[`grad.${p.name}`])];
    const err = Math.sqrt(ga.reduce((s, v, i) => s + (v - gb[i]) ** 2, 0)) / Math.max(1e-12, Math.sqrt(gb.reduce((s, v) => s + v * v, 0)));
    assert.ok(err < 1e-5, `${p.name}: relative L2 ${err}`);
  }
  // the refinement changes the loss (else the comparison above proves nothing) ...
  const off = await runLoss(m, sens(null), baseFeeds(eps));
  assert.notEqual(f32(off.loss)[0], f32(a.loss)[0]);
  // ... and with η = 0 it is the unrefined loss
  const zero = await runLoss(m, sens({ eta: 0, max: 0.3 }), baseFeeds(eps));
  assert.ok(Math.abs(f32(zero.loss)[0] - f32(off.loss)[0]) < 1e-7);
});

test('mineNegatives: top-quartile semantic similarity (numpy-linear quantile of the batch pairs) and |Δy| ≥ minDy', () => {
  // unit vectors at 0°, 10°, 60°, 90°: pair cosines cos 10°, cos 60°, cos 90°, cos 50°, cos 80°, cos 30°
  const deg = [0, 10, 60, 90].map((d) => (d * Math.PI) / 180);
  const sem = deg.map((a) => Float32Array.from([Math.cos(a), Math.sin(a)]));
  const sorted = [90, 80, 60, 50, 30, 10].map((d) => Math.cos((d * Math.PI) / 180));
  const tau = sorted[3] * 0.25 + sorted[4] * 0.75; // q = 0.75 over 6 values: position 3.75
  const ys = [0.1, 0.5, 0.6, 0.7];
  // pairs at or above τ: (0, 1) cos 10° and (2, 3) cos 30°; only (0, 1) differs by ≥ 0.2 in quality
  const r = mineNegatives(ys, sem, 0.75, 0.2);
  assert.ok(Math.abs(r.tau - tau) < 1e-6, `${r.tau} vs ${tau}`);
  assert.equal(r.pairs, 2);
  const w = new Float32Array(16);
  w[0 * 4 + 1] = w[1 * 4 + 0] = 0.5;
  assert.deepEqual(Array.from(r.weight), Array.from(w));
  // a lower |Δy| threshold admits (2, 3); a lower quantile admits (1, 2) (cos 50°) too
  const r2 = mineNegatives(ys, sem, 0.75, 0.05);
  assert.equal(r2.pairs, 4);
  assert.ok([1, 4, 11, 14].every((j) => r2.weight[j] === 0.25));
  const r3 = mineNegatives(ys, sem, 0.5, 0.05);
  assert.equal(r3.pairs, 6);
  assert.ok(r3.weight[1 * 4 + 2] > 0 && r3.weight[0 * 4 + 2] === 0);
  // nothing mined: all-zero weights (L_con = 0), no division by zero
  const r4 = mineNegatives([0.5, 0.5, 0.5, 0.5], sem, 0.75, 0.2);
  assert.equal(r4.pairs, 0);
  assert.ok(r4.weight.every((v) => v === 0));
});

/** z = mean over patches of T' for the batch, as the loss sees it. */
async function features(m: QfmIqm, x: NdArray): Promise<number[][]> {
  const g = new Graph('input');
  const net = await compile({ z: patchMean(m.tokens(g.input('x', [B, 3, S, S]))) });
  const z = f32((await net.run({ x })).z);
  await net.release();
  const d = z.length / B;
  return Array.from({ length: B }, (_, i) => z.slice(i * d, (i + 1) * d));
}

test('QFM L_con: value = mean over mined pairs of max(0, m − ‖z_i − z_k‖/√D) (JS), added with λ_c; gradients match finite differences', async () => {
  const m = model();
  const feeds = baseFeeds([0.1, 0.1, 0.1, 0.1]);
  const z = await features(m, feeds.x);
  const D = z[0].length;
  const dist = (i: number, k: number) => Math.sqrt(z[i].reduce((s, v, c) => s + (v - z[k][c]) ** 2, 0)) / Math.sqrt(D);
  // five different unordered pairs, so five different distances
  const pairs: [number, number][] = [[0, 1], [2, 0], [2, 3], [3, 1], [1, 2]];
  // a margin halfway between two of the distances: some hinges active, some not, none at its kink
  const ds = pairs.map(([i, k]) => dist(i, k)).sort((a, b) => a - b);
  const margin = (ds[1] + ds[2]) / 2;
  assert.ok(ds[2] - ds[1] > 1e-3, `distances too close: ${ds}`);
  const conW = new Float32Array(B * B);
  for (const [i, k] of pairs) conW[i * B + k] = 1 / pairs.length;
  const want = pairs.reduce((s, [i, k]) => s + Math.max(0, margin - dist(i, k)), 0) / pairs.length;
  assert.ok(want > 0 && pairs.some(([i, k]) => dist(i, k) > margin));
  const w: QfmLossWeights = { sens: 0, match: 0, kd: 0, con: 0.1, conMargin: margin };
  const withCon = { ...feeds, conW: ndarray('float32', [B, B], conW) };
  const r = await runLoss(m, w, withCon, true, 'lcon');
  const lc = f32(r.lcon)[0];
  assert.ok(Math.abs(lc - want) < 1e-5 * Math.max(1, want), `L_con ${lc} vs JS ${want}`);
  assert.ok(Math.abs(f32(r.loss)[0] - (f32(r.lq)[0] + 0.1 * want)) < 1e-5);
  // λ_c = 0 (or no conW) leaves the loss as it was
  const off = await runLoss(m, { sens: 0, match: 0, kd: 0 }, feeds);
  const zeroed = await runLoss(m, { ...w, con: 0 }, withCon);
  assert.equal(f32(zeroed.loss)[0], f32(off.loss)[0]);
  // gradient of L_con: the directional derivative along a random direction of all parameters vs central differences
  const ps = m.trainableParameters();
  const rng = new Rng(5);
  const dir = ps.map((p) => Float32Array.from({ length: p.value.data.length }, () => rng.normal()));
  const analytic = ps.reduce((s, p, j) => s + f32(r[`grad.${p.name}`]).reduce((a, v, k) => a + v * dir[j][k], 0), 0);
  const orig = ps.map((p) => p.value);
  const at = async (h: number) => {
    ps.forEach((p, j) => (p.value = ndarray('float32', p.shape, orig[j].data.map((v, k) => v + h * dir[j][k]) as Float32Array)));
    const v = f32((await runLoss(m, w, withCon)).lcon)[0];
    ps.forEach((p, j) => (p.value = orig[j]));
    return v;
  };
  // a small step: along all parameters at once the loss is visibly curved at 1e-3 (FD 8 % off), 1e-4..1e-5 agree
  const h = 2e-5;
  const fd = ((await at(h)) - (await at(-h))) / (2 * h);
  assert.ok(Math.abs(analytic) > 1e-3, `no gradient flows into L_con (${analytic})`);
  assert.ok(Math.abs(analytic - fd) <= 0.015 * Math.abs(fd), `directional derivative: autodiff ${analytic} vs FD ${fd}`);
});

test('trainFromConfig: out-of-range advEps / L_con options are config errors (before any data is read)', async () => {
  const { trainFromConfig } = await import('../../src/train/nr-models.js');
  const cfg = (qfm: Record<string, unknown>) => ({
    kind: 'qfm-iqm', preset: 'cpu', model: {}, out: '/nonexistent/out', data: { csv: '/nonexistent/labels.csv', crop: 16 },
    train: { epochs: 1, batch: 4, lr: 1e-3, weightDecay: 0 }, qfm: { lambdaSens: 1, lambdaMatch: 0.1, tauQ: 0.05, eps: 0.1, ...qfm },
  }) as never;
  await assert.rejects(trainFromConfig(cfg({ advEps: { eta: -0.05, max: 0.3 } })), /qfm\.advEps: expected \{ eta ≥ 0, max ≥ 0 \} or null/);
  await assert.rejects(trainFromConfig(cfg({ lambdaCon: 0.1, conTauQuantile: 75 })), /qfm\.conTauQuantile: expected a quantile in \[0, 1\], got 75/);
  await assert.rejects(trainFromConfig(cfg({ lambdaCon: -1 })), /qfm\.lambdaCon: expected a number ≥ 0/);
  // valid options get as far as the (missing) data
  await assert.rejects(trainFromConfig(cfg({ advEps: { eta: 0.05, max: 0.3 }, lambdaCon: 0.1 })), (e: Error) => !/qfm\./.test(e.message));
});

test('QFM stage-B feature distillation: λ_f·MSE(z_s, z_t) matches a JS computation, its gradient in z_t is -2(z_s - z_t)/(B·D), λ_f = 0 leaves the loss', async () => {
  const m = model();
  const feeds = baseFeeds([0.1, 0.1, 0.1, 0.1]);
  const D = 16;
  const rng = new Rng(5);
  const ztv = Float32Array.from({ length: B * D }, () => 0.3 * rng.normal());
  const run = async (feat: number) => {
    const g = new Graph('input');
    const zt = g.input('zt', [B, D]);
    const r = qfmLoss(m, { ...inputs(g), zt }, { sens: 0, match: 0, kd: 0, feat });
    const z = patchMean(m.tokens(g.input('x2', [B, 3, S, S])));
    const outs: Record<string, Tensor> = { loss: r.loss, lq: r.parts.lq, z };
    if (feat > 0) {
      outs.lfeat = r.parts.lfeat;
      outs.dzt = grad(r.parts.lfeat, [zt])[0];
    }
    const net = await compile(outs);
    const out = await net.run({ ...feeds, x2: feeds.x, zt: ndarray('float32', [B, D], ztv) });
    await net.release();
    return out;
  };
  const on = await run(0.1);
  const off = await run(0);
  const z = f32(on.z);
  let mse = 0;
  for (let i = 0; i < B * D; i++) mse += (z[i] - ztv[i]) ** 2 / (B * D);
  assert.ok(Math.abs(f32(on.lfeat)[0] - mse) <= 1e-5 * Math.max(1, mse), `L_feat ${f32(on.lfeat)[0]} vs JS ${mse}`);
  assert.ok(Math.abs(f32(on.loss)[0] - (f32(on.lq)[0] + 0.1 * mse)) < 1e-5);
  assert.equal(f32(off.loss)[0], f32(off.lq)[0]);
  f32(on.dzt).forEach((v, i) => assert.ok(Math.abs(v - (-2 * (z[i] - ztv[i])) / (B * D)) < 1e-6, `dz_t[${i}] ${v}`));
});
