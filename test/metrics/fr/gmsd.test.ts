import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createMetric } from '../../../src/api.js';
import { makeImage } from '../../../src/tensor/image.js';
import { needsSharedData, sharedPath } from '../../helpers/shared-data.js';
import { loadCalibration, tidPair, TID_PAIRS } from '../../helpers/calibration.js';
import { scene, noise, monotone, assertMonotoneLadders } from '../../helpers/fr-synth.js';

const rel = (got: number, want: number, tol: number, label: string) =>
  assert.ok(Math.abs(got - want) <= tol * Math.abs(want), `${label}: got ${got}, want ${want} (rel tol ${tol})`);

test('gmsd = official MATLAB GMSD.m on the TID pairs (rgb2gray) to 1e-9 relative', { skip: needsSharedData }, async () => {
  const want = loadCalibration().tid('gmsd')!.reference_values;
  const m = await createMetric('gmsd');
  for (const p of TID_PAIRS) rel((await m.compute(...tidPair(p))).score, want[p], 1e-9, p);
});

test('gmsd 2022 YCbCr era (luma ycbcr): within 1e-4 relative (I08 exact)', { skip: needsSharedData }, async () => {
  const want = loadCalibration().tid2022('gmsd')!.reference_values;
  const m = await createMetric('gmsd', { luma: 'ycbcr' });
  for (const p of TID_PAIRS) rel((await m.compute(...tidPair(p))).score, want[p], p === 'I08' ? 1e-12 : 1e-4, p);
});

test('gmsd = piq MATLAB values on goldhill (grey) and I01 (Y of YIQ)', { skip: needsSharedData }, async () => {
  const [g, i] = loadCalibration().piq('gmsd');
  const m = await createMetric('gmsd');
  const a = await m.compute(sharedPath('calibration/piq_assets/goldhill_jpeg.png'), sharedPath('calibration/piq_assets/goldhill.png'));
  rel(a.score, g.value, 1e-9, 'goldhill');
  assert.equal(a.map!.width, 256);
  const y = await createMetric('gmsd', { luma: 'yiq' });
  rel((await y.compute(sharedPath('calibration/piq_assets/i01_01_5.bmp'), sharedPath('calibration/piq_assets/I01.BMP'))).score, i.value, 1e-9, 'I01');
});

test('gmsd properties: identical = 0 (GMS map all 1), symmetric, monotone, odd sizes, min size', async () => {
  const ref = scene(65, 47, 3, 4);
  const m = await createMetric('gmsd');
  const same = await m.compute(ref, ref);
  assert.equal(same.score, 0);
  assert.ok(same.map!.data.every((v) => v === 1));
  assert.equal(same.map!.width, 33);
  assert.equal(same.map!.height, 24);
  const d = noise(ref, 10);
  assert.ok(Math.abs((await m.compute(d, ref)).score - (await m.compute(ref, d)).score) < 1e-15);
  await assertMonotoneLadders(async (d, r) => (await m.compute(d, r)).score, ref, 'increasing');
  const tiny = makeImage(1, 5, 1, new Float64Array(5));
  await assert.rejects(m.compute(tiny, tiny), /gmsd: image size: expected at least 2x2, got 1x5/);
});
