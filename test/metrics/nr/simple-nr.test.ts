import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readImage } from '../../../src/io/decode.js';
import { entropy, histogramEntropy } from '../../../src/metrics/nr/entropy.js';
import { lapvar, laplacian } from '../../../src/metrics/nr/lapvar.js';
import { jpegWsb, jpegBlockFeatures } from '../../../src/metrics/nr/jpeg-wsb.js';
import { makeImage, makePlane } from '../../../src/tensor/image.js';
import { needsSharedData, sharedPath } from '../../helpers/shared-data.js';
import { loadCalibration, TID_PAIRS } from '../../helpers/calibration.js';
import { blur, greyCrop, greyImage, noise, texture } from '../../helpers/synth-nr.js';

test('entropy matches the reference values (MATLAB entropy of rgb2gray) to 1e-4', { skip: needsSharedData }, async () => {
  const ref = loadCalibration().tid('entropy')!.reference_values;
  for (const name of TID_PAIRS) {
    const s = entropy(await readImage(sharedPath(`calibration/tid2013_resultscalibra/dist_dir/${name}.bmp`))).score;
    assert.ok(Math.abs(s - ref[name]) <= 5e-5, `${name}: ${s} vs ${ref[name]}`);
  }
});

test('entropy: closed forms', () => {
  assert.equal(histogramEntropy(new Float64Array(100).fill(3)), 0);
  assert.equal(histogramEntropy(Float64Array.from({ length: 256 }, (_, i) => i)), 8);
  assert.equal(histogramEntropy([0, 0, 255, 255]), 1);
});

test('lapvar: Laplacian of a ramp is 0 inside; variance falls with blur', () => {
  const ramp = makePlane(8, 8, Float64Array.from({ length: 64 }, (_, i) => 3 * (i % 8) + 5 * Math.floor(i / 8)));
  const L = laplacian(ramp);
  for (let y = 1; y < 7; y++) for (let x = 1; x < 7; x++) assert.equal(L.data[y * 8 + x], 0);
  const t = texture(128, 128, 5);
  const v0 = lapvar(greyImage(t)).score, v1 = lapvar(greyImage(blur(t, 1))).score, v2 = lapvar(greyImage(blur(t, 2))).score;
  assert.ok(v0 > v1 && v1 > v2, `${v0} > ${v1} > ${v2}`);
  assert.throws(() => lapvar(makeImage(2, 5, 1, new Float64Array(10))), /lapvar: image size: expected at least 3x3, got 2x5/);
});

test('jpeg_wsb: blockiness feature is the mean jump across 8x8 boundaries; quality falls with 8x8 block averaging', { skip: needsSharedData }, async () => {
  // an 8x8 checkerboard of 0/10: every jump sits on the block grid, B = 10, mean|d| = 3·10/31 per line
  const blocks = makePlane(32, 32, Float64Array.from({ length: 1024 }, (_, i) => 10 * ((Math.floor((i % 32) / 8) + Math.floor(i / 256)) % 2)));
  const f = jpegBlockFeatures(blocks);
  assert.equal(f.B, 10);
  assert.ok(Math.abs(f.A - (8 * (30 / 31) - 10) / 7) < 1e-12, String(f.A));
  assert.equal(f.Z, 0);
  const base = greyCrop(await readImage(sharedPath('calibration/piq_assets/I01.BMP')), 256, 256);
  const blocky = (k: number) => { // average each 8x8 block towards its mean (k = 0: none, 1: full)
    const d = Float64Array.from(base.data);
    for (let by = 0; by < 256; by += 8) for (let bx = 0; bx < 256; bx += 8) {
      let m = 0;
      for (let y = 0; y < 8; y++) for (let x = 0; x < 8; x++) m += base.data[(by + y) * 256 + bx + x] / 64;
      for (let y = 0; y < 8; y++) for (let x = 0; x < 8; x++) { const i = (by + y) * 256 + bx + x; d[i] = Math.round((1 - k) * d[i] + k * m); }
    }
    return greyImage(makePlane(256, 256, d));
  };
  const s = [0, 0.5, 0.8, 0.95].map((k) => jpegWsb(blocky(k)).score);
  for (let i = 1; i < s.length; i++) assert.ok(s[i] < s[i - 1], `quality falls: ${s.join(', ')}`);
  assert.throws(() => jpegWsb(makeImage(15, 40, 1, new Float64Array(600))), /jpeg_wsb: image size: expected at least 16x16/);
  void noise;
});
