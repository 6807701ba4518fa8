import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readImage } from '../../../src/io/decode.js';
import { vif } from '../../../src/metrics/fr/vif.js';
import { createMetric } from '../../../src/api.js';
import { makeImage } from '../../../src/tensor/image.js';
import { needsSharedData } from '../../helpers/shared-data.js';
import { loadCalibration, tidPair, TID_PAIRS } from '../../helpers/calibration.js';
import { blur, jpegLike, noise, testImage } from './degrade-m3.js';

// The references are given to 4 decimals: |ours - ref| <= half a unit of the last digit (5e-5), plus float slack.
const HALF_UNIT = 5e-5 + 1e-12;

test('vif matches the official MATLAB vifvec values on the TID pairs (rgb2gray input)', { skip: needsSharedData }, async () => {
  const ref = loadCalibration().tid('vif')!.reference_values;
  for (const name of TID_PAIRS) {
    const [d, r] = await Promise.all(tidPair(name).map((p) => readImage(p)));
    const s = vif(d, r).score;
    assert.ok(Math.abs(s - ref[name]) <= HALF_UNIT, `${name}: ${s} vs ${ref[name]}`);
  }
});

test('vif matches the 2022-era official values (Y of rgb2ycbcr, not rounded)', { skip: needsSharedData }, async () => {
  const ref = loadCalibration().tid2022('vif')!.reference_values;
  for (const name of TID_PAIRS) {
    const [d, r] = await Promise.all(tidPair(name).map((p) => readImage(p)));
    const s = vif(d, r, { luma: 'ycbcr' }).score;
    // I03 is given as 0.018 (3 decimals): half a unit of its last digit
    const tol = String(ref[name]).split('.')[1].length === 3 ? 5e-4 : HALF_UNIT;
    assert.ok(Math.abs(s - ref[name]) <= tol, `${name}: ${s} vs ${ref[name]}`);
  }
});

test('vif: identical images give 1; order matters; monotone under blur, noise and JPEG-like quantisation', async () => {
  const img = testImage(96, 96, 3);
  assert.ok(Math.abs(vif(img, img).score - 1) < 1e-12);
  const d = blur(img, 1.5);
  assert.notEqual(vif(d, img).score, vif(img, d).score);
  const dec = (xs: number[]) => xs.every((v, i) => i === 0 || v < xs[i - 1]);
  const b = [0.8, 1.6, 3].map((s) => vif(blur(img, s), img).score);
  const n = [4, 10, 25].map((s) => vif(noise(img, s), img).score);
  const j = [2, 6, 16].map((q) => vif(jpegLike(img, q), img).score);
  assert.ok(dec(b), `blur ${b}`);
  assert.ok(dec(n), `noise ${n}`);
  assert.ok(dec(j), `jpeg ${j}`);
});

test('vif: too small images are a clear error naming the minimum size', async () => {
  const small = makeImage(71, 100, 1, new Float64Array(7100).fill(9));
  assert.throws(() => vif(small, small), /vif: image size: expected at least 72x72/);
  // at the minimum size and at odd sizes the score is finite
  for (const [w, h] of [[72, 72], [73, 91]]) {
    const a = testImage(w, h, 9);
    const s = vif(noise(a, 10), a).score;
    assert.ok(Number.isFinite(s) && s > 0 && s < 1, `${w}x${h}: ${s}`);
  }
  // a constant reference carries no information: VIF is 0/0, reported as an error
  const flat = makeImage(80, 80, 1, new Float64Array(6400).fill(100));
  assert.throws(() => vif(flat, flat), /vif: reference image: expected some texture/);
  const m = await createMetric('vif');
  assert.equal(m.lowerBetter, false);
});
