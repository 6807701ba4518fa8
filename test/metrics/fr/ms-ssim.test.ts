import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createMetric } from '../../../src/api.js';
import { makeImage } from '../../../src/tensor/image.js';
import { needsSharedData } from '../../helpers/shared-data.js';
import { loadCalibration, tidPair, TID_PAIRS } from '../../helpers/calibration.js';
import { scene, noise, monotone, assertMonotoneLadders } from '../../helpers/fr-synth.js';

const close = (got: number, want: number, tol: number, label: string) =>
  assert.ok(Math.abs(got - want) <= tol, `${label}: got ${got}, want ${want} (tol ${tol})`);

async function tid(options: Record<string, unknown> = {}) {
  const m = await createMetric('ms_ssim', options);
  const out: Record<string, number> = {};
  for (const p of TID_PAIRS) out[p] = (await m.compute(...tidPair(p))).score;
  return out;
}

test('ms_ssim = msssim.m (MATLAB convention port) on the TID pairs to 4 decimals; pyiqa official at 5e-3', { skip: needsSharedData }, async () => {
  const port: Record<string, number> = { I03: 0.67, I04: 0.9996, I06: 0.9998, I08: 0.9565, I19: 0.8418 };
  const got = await tid();
  for (const p of TID_PAIRS) close(got[p], port[p], 5e-5 + 1e-9, p);
  const official = loadCalibration().tid('ms_ssim')!.reference_values;
  for (const p of TID_PAIRS) close(got[p], official[p], 5e-3, `${p} (pyiqa official)`);
});

test('ms_ssim 2022 YCbCr era to 4 decimals (luma ycbcr2022, as SSIM)', { skip: needsSharedData }, async () => {
  const want = loadCalibration().tid2022('ms_ssim')!.reference_values;
  const got = await tid({ luma: 'ycbcr2022' });
  for (const p of TID_PAIRS) close(got[p], want[p], 5e-5 + 1e-9, p);
});

test('ms_ssim with pyiqa options (YIQ rounded, ReLU cs) = pyiqa reimplementation values within 1e-4', { skip: needsSharedData }, async () => {
  const e = loadCalibration().tid('ms_ssim') as unknown as { pyiqa_reimplementation_values: Record<string, number> };
  const got = await tid({ luma: 'yiq', reluCs: true });
  for (const p of TID_PAIRS) close(got[p], e.pyiqa_reimplementation_values[p], 1e-4, p);
});

test('ms_ssim properties: identical = 1, symmetric, monotone, minimum size 176 named', async () => {
  const ref = scene(181, 177, 1, 9);
  const m = await createMetric('ms_ssim');
  close((await m.compute(ref, ref)).score, 1, 1e-12, 'identical');
  const d = noise(ref, 10);
  close((await m.compute(d, ref)).score, (await m.compute(ref, d)).score, 1e-12, 'symmetry');
  await assertMonotoneLadders(async (d, r) => (await m.compute(d, r)).score, ref, 'decreasing');
  const small = makeImage(200, 175, 1, new Float64Array(200 * 175));
  await assert.rejects(m.compute(small, small), /ms_ssim: image size: expected a short side of at least 176 px for 5 scales, got 200x175/);
});
