import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createMetric } from '../../../src/api.js';
import { makeImage } from '../../../src/tensor/image.js';
import { needsSharedData } from '../../helpers/shared-data.js';
import { loadCalibration, tidPair, TID_PAIRS } from '../../helpers/calibration.js';
import { scene, blur, noise, monotone } from '../../helpers/fr-synth.js';

const close = (got: number, want: number, tol: number, label: string) =>
  assert.ok(Math.abs(got - want) <= tol, `${label}: got ${got}, want ${want} (tol ${tol})`);

test('cw_ssim = official cwssim_index.m (level 4, 8 orientations, rgb2gray) on the TID pairs to 4 decimals', { skip: needsSharedData }, async () => {
  const want = loadCalibration().tid('cw_ssim')!.reference_values;
  const m = await createMetric('cw_ssim');
  for (const p of TID_PAIRS) close((await m.compute(...tidPair(p))).score, want[p], 5e-5 + 1e-9, p);
});

test('cw_ssim 2022 YCbCr era (unrounded rgb2ycbcr Y): 12 digits (I06 printed as 1.0: 4 decimals)', { skip: needsSharedData }, async () => {
  const want = loadCalibration().tid2022('cw_ssim')!.reference_values;
  const m = await createMetric('cw_ssim', { luma: 'ycbcr', roundY: false });
  for (const p of TID_PAIRS) {
    const got = (await m.compute(...tidPair(p))).score;
    if (p === 'I06') close(got, want[p], 5e-5, p);
    else close(got, want[p], 1e-9 * want[p], p);
  }
});

test('cw_ssim properties: identical = 1, symmetric, monotone, min size 64', async () => {
  const ref = scene(96, 80, 1, 13);
  const m = await createMetric('cw_ssim');
  const same = await m.compute(ref, ref);
  close(same.score, 1, 1e-12, 'identical');
  assert.ok(same.map!.data.every((v) => Math.abs(v - 1) < 1e-12));
  const d = noise(ref, 10);
  close((await m.compute(d, ref)).score, (await m.compute(ref, d)).score, 1e-12, 'symmetry');
  for (const [label, deg, levels] of [
    ['blur', (t: number) => blur(ref, t), [0.5, 1, 2, 3]],
    ['noise', (t: number) => noise(ref, t), [5, 15, 40, 80]],
  ] as const) {
    const s: number[] = [];
    for (const t of levels) s.push((await m.compute(deg(t), ref)).score);
    assert.ok(monotone(s, 'decreasing'), `${label}: ${s.join(', ')}`);
  }
  const small = makeImage(70, 63, 1, new Float64Array(70 * 63));
  await assert.rejects(m.compute(small, small), /cw_ssim: image size: expected at least 64x64, got 70x63/);
});

test('scfBandsPair (partial, paired FFT) = scfBands (full buildSCFpyr cascade) on odd and even sizes', async () => {
  const { scfBands, scfBandsPair } = await import('../../../src/signal/scf-pyramid.js');
  for (const [w, h] of [[67, 75], [80, 64]]) {
    const a = { width: w, height: h, data: scene(w, h, 1, 3).data }, b = { width: w, height: h, data: noise(scene(w, h, 1, 3), 20).data };
    for (const level of [1, 2, 3]) {
      const [pa, pb] = scfBandsPair(a, b, level, 4);
      const fa = scfBands(a, level, 4), fb = scfBands(b, level, 4);
      for (const [p, f] of [[pa, fa], [pb, fb]] as const) for (let o = 0; o < 4; o++) {
        assert.equal(p[o].width, f[o].width);
        assert.equal(p[o].height, f[o].height);
        let max = 0, err = 0;
        for (let i = 0; i < f[o].re.length; i++) {
          max = Math.max(max, Math.hypot(f[o].re[i], f[o].im[i]));
          err = Math.max(err, Math.hypot(p[o].re[i] - f[o].re[i], p[o].im[i] - f[o].im[i]));
        }
        assert.ok(err <= 1e-10 * max, `${w}x${h} level ${level} band ${o}: ${err} vs ${max}`);
      }
    }
  }
});
