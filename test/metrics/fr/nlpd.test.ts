import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readImage } from '../../../src/io/decode.js';
import { nlpd } from '../../../src/metrics/fr/nlpd.js';
import { makeImage } from '../../../src/tensor/image.js';
import { needsSharedData } from '../../helpers/shared-data.js';
import { loadCalibration, tidPair, TID_PAIRS } from '../../helpers/calibration.js';
import { blur, jpegLike, noise, testImage } from './degrade-m3.js';

test('nlpd matches the official MATLAB NLP_dist values on the TID pairs to 1e-9 relative', { skip: needsSharedData }, async () => {
  const ref = loadCalibration().tid('nlpd')!.reference_values;
  for (const name of TID_PAIRS) {
    const [d, r] = await Promise.all(tidPair(name).map((p) => readImage(p)));
    const s = nlpd(d, r).score;
    assert.ok(Math.abs(s / ref[name] - 1) <= 1e-9, `${name}: ${s} vs ${ref[name]}`);
  }
});

test('nlpd: 2022-era values (Y of rgb2ycbcr) within 1.2e-3 relative only: documented, unexplained gap', { skip: needsSharedData }, async () => {
  // Rounded Y gives exactly 0 on I04/I06 (the reference does not); unrounded Y is 1.6e-4..1.2e-3 relative off.
  const ref = loadCalibration().tid2022('nlpd')!.reference_values;
  for (const name of TID_PAIRS) {
    const [d, r] = await Promise.all(tidPair(name).map((p) => readImage(p)));
    const s = nlpd(d, r, { luma: 'ycbcr' }).score;
    assert.ok(Math.abs(s / ref[name] - 1) <= 1.2e-3, `${name}: ${s} vs ${ref[name]}`);
  }
});

test('nlpd: identical images give 0; symmetric; monotone under blur, noise and JPEG-like quantisation', () => {
  const img = testImage(96, 96, 5);
  assert.equal(nlpd(img, img).score, 0);
  const d = noise(img, 8);
  assert.ok(Math.abs(nlpd(d, img).score - nlpd(img, d).score) < 1e-15);
  const inc = (xs: number[]) => xs.every((v, i) => i === 0 || v > xs[i - 1]);
  const b = [0.8, 1.6, 3].map((s) => nlpd(blur(img, s), img).score);
  const n = [4, 10, 25].map((s) => nlpd(noise(img, s), img).score);
  const j = [2, 6, 16].map((q) => nlpd(jpegLike(img, q), img).score);
  assert.ok(inc(b), `blur ${b}`);
  assert.ok(inc(n), `noise ${n}`);
  assert.ok(inc(j), `jpeg ${j}`);
});

test('nlpd: too small images are a clear error naming the minimum size', () => {
  const small = makeImage(31, 64, 1, new Float64Array(31 * 64));
  assert.throws(() => nlpd(small, small), /nlpd: image size: expected at least 32x32/);
  // odd sizes at every pyramid level (the 'odd' crop of the upsampling) give finite, symmetric values
  const a = testImage(45, 57, 8), b = blur(a, 1.2);
  const s = nlpd(b, a).score;
  assert.ok(Number.isFinite(s) && s > 0);
  assert.ok(Math.abs(s - nlpd(a, b).score) < 1e-15);
});
