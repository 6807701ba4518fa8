/**
 * Composites (no gradient code of their own): gradients through them vs float64 finite differences and ORT
 * (gradcheck), forward values vs PyTorch fixtures (tools/gen_engine_functional.py).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { checkOp, relL2 } from '../engine/gradcheck.js';
import { Graph, type RefArray, type Tensor } from '../../src/engine/graph/graph.js';
import { evaluate } from '../../src/engine/ops/evaluate.js';
import { add, constant, mul, reshape } from '../../src/engine/ops/index.js';
import * as F from '../../src/nn/functional.js';
import { scaledDotProductAttention } from '../../src/nn/blocks.js';
import * as L from '../../src/train/losses.js';
import { hashTensor } from '../helpers/hash-init.js';

const fx = JSON.parse(readFileSync(new URL('../fixtures/engine/functional.json', import.meta.url), 'utf8'));

test('layerNorm: gradients through the mean/variance composite', () =>
  checkOp([{ shape: [2, 3, 6] }, { shape: [6] }, { shape: [6] }], (x, w, b) => F.layerNorm(x, w, b, 1e-5)));
test('batchNormTrain: gradients through batch statistics', () =>
  checkOp([{ shape: [3, 2, 3, 3] }, { shape: [2] }, { shape: [2] }], (x, w, b) => F.batchNormTrain(x, w, b, 1e-5).y));
test('resize bilinear / bicubic and adaptive avg pool: gradients', () =>
  checkOp([{ shape: [1, 2, 5, 7] }], (x) => {
    const a = F.resize(x, [8, 4], 'bilinear');
    const b = F.resize(x, [8, 4], 'bicubic', true);
    const c = F.resize(F.adaptiveAvgPool2d(x, [3, 2]), [8, 4]);
    return add(add(a, b), c);
  }));
test('unfold (im2col) gradient', () => checkOp([{ shape: [1, 2, 4, 5] }], (x) => reshape(F.unfold(x, 3, 1, 1), [-1])));
test('attention, windows and dropout-free composites: gradients', () =>
  checkOp([{ shape: [1, 2, 4, 3] }, { shape: [1, 2, 5, 3] }, { shape: [1, 2, 5, 3] }], (q, k, v) => scaledDotProductAttention(q, k, v)));
test('window partition / reverse round trip and gradient', () =>
  checkOp([{ shape: [1, 4, 6, 2] }], (x) => F.windowReverse(mul(F.windowPartition(x, 2), F.windowPartition(x, 2)), 2, 4, 6)));

const x = hashTensor(70, 1, 1);
function ref(build: (t: Tensor) => Tensor): Float64Array {
  const g = new Graph();
  const t = g.input('x', [1, 2, 5, 7], 'float64');
  const feeds: Record<string, RefArray> = { x: { data: Float64Array.from(x), shape: [1, 2, 5, 7] } };
  return evaluate([build(t)], feeds)[0].data;
}

test('resize matches torch F.interpolate (bilinear, bicubic, align_corners on/off, up and down)', () => {
  for (const c of fx.resize) {
    const y = ref((t) => F.resize(t, c.size, c.mode, c.align_corners));
    assert.ok(relL2(y, c.y) < 1e-6, `${c.mode} ${c.size} ac=${c.align_corners}: ${relL2(y, c.y)}`);
  }
});

test('adaptiveAvgPool2d matches torch', () => {
  for (const c of fx.adaptive) {
    const y = ref((t) => F.adaptiveAvgPool2d(t, c.size));
    assert.ok(relL2(y, c.y) < 1e-6, `${c.size}: ${relL2(y, c.y)}`);
  }
});

test('losses match torch and have correct gradients', async () => {
  const g = new Graph();
  const c = (shape: number[], seed: number, sign = false) => {
    const d = Float64Array.from(hashTensor(shape.reduce((a, b) => a * b), seed, 1));
    return constant(g, shape, sign ? d.map(Math.sign) : d, 'float64');
  };
  const [p, q] = [c([4, 6], 2), c([4, 6], 3)];
  const vals = evaluate(
    [L.mseLoss(p, q), L.l1Loss(p, q), L.smoothL1Loss(p, q, 0.5), L.marginRankingLoss(c([8], 4), c([8], 5), c([8], 6, true), 0.3), L.klDivLoss(p, q), L.infoNceLoss(p, q, 0.1)],
    {},
  ).map((r) => r.data[0]);
  const want = fx.losses;
  [want.mse, want.l1, want.smooth_l1, want.margin_ranking, want.kl, want.infonce].forEach((w: number, i: number) =>
    assert.ok(Math.abs(vals[i] - w) <= 1e-9 * Math.max(1, Math.abs(w)), `loss ${i}: ${vals[i]} vs ${w}`),
  );
  await checkOp([{ shape: [4, 6] }, { shape: [4, 6] }], (a, b) =>
    add(add(L.mseLoss(a, b), L.smoothL1Loss(a, b, 5)), add(L.klDivLoss(a, b), L.infoNceLoss(a, b, 0.5))),
  );
});
