import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readImage } from '../../../src/io/decode.js';
import { vifp } from '../../../src/metrics/fr/vifp.js';
import { makeImage } from '../../../src/tensor/image.js';
import { needsSharedData, sharedPath } from '../../helpers/shared-data.js';
import { loadCalibration } from '../../helpers/calibration.js';
import { blur, jpegLike, noise, testImage } from './degrade-m3.js';

test('vifp matches piq MATLAB values on goldhill and I01 (atol 1e-4, 4-decimal references)', { skip: needsSharedData }, async () => {
  const entries = loadCalibration().piq('vif_p');
  assert.equal(entries.length, 2);
  for (const e of entries) {
    const x = String(e['x_(first argument, usually distorted)']).split(' ')[0];
    const y = String(e['y_(second argument, usually reference)']).split(' ')[0];
    const png = (p: string) => p.replace(/\.gif$/, '.png'); // lossless PNG copies of the GIFs
    const [d, r] = await Promise.all([readImage(sharedPath('calibration', png(x))), readImage(sharedPath('calibration', png(y)))]);
    const s = vifp(d, r).score;
    assert.ok(Math.abs(s - e.value) <= 5e-5, `${x}: ${s} vs ${e.value}`);
  }
});

test('vifp: identical images give 1; order matters; monotone under blur, noise and JPEG-like quantisation', () => {
  const img = testImage(96, 96, 4, 3);
  // the 1e-10 guards of vifp_mscale.m keep g slightly below 1: 1 within 1e-9
  assert.ok(Math.abs(vifp(img, img).score - 1) < 1e-9);
  const d = noise(img, 8);
  assert.notEqual(vifp(d, img).score, vifp(img, d).score);
  const dec = (xs: number[]) => xs.every((v, i) => i === 0 || v < xs[i - 1]);
  const b = [0.8, 1.6, 3].map((s) => vifp(blur(img, s), img).score);
  const n = [4, 10, 25].map((s) => vifp(noise(img, s), img).score);
  const j = [2, 6, 16].map((q) => vifp(jpegLike(img, q), img).score);
  assert.ok(dec(b), `blur ${b}`);
  assert.ok(dec(n), `noise ${n}`);
  assert.ok(dec(j), `jpeg ${j}`);
});

test('vifp: too small images are a clear error naming the minimum size', () => {
  const small = makeImage(40, 64, 1, new Float64Array(40 * 64));
  assert.throws(() => vifp(small, small), /vifp: image size: expected at least 41x41, got 40x64/);
  const flat = makeImage(48, 48, 1, new Float64Array(48 * 48).fill(7));
  assert.throws(() => vifp(flat, flat), /vifp: reference image: expected some local variance/);
});
