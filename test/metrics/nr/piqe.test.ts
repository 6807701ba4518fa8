import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readImage } from '../../../src/io/decode.js';
import { piqe, piqeMasks } from '../../../src/metrics/nr/piqe.js';
import { makeImage } from '../../../src/tensor/image.js';
import { needsSharedData, sharedPath } from '../../helpers/shared-data.js';
import { loadCalibration, TID_PAIRS } from '../../helpers/calibration.js';
import { blur, greyCrop, greyImage, noise } from '../../helpers/synth-nr.js';

// Measured: 100.0000 / 21.6244 / 35.8645 / 41.1475 / 76.9485 vs MATLAB 100.00 / 21.62 / 35.86 / 41.15 / 76.95,
// i.e. equal at the 2 decimals the reference gives (|diff| <= 0.005).
test('piqe matches MATLAB piqe on the TID images to the reference precision', { skip: needsSharedData }, async () => {
  const ref = loadCalibration().tid('piqe')!.reference_values;
  for (const name of TID_PAIRS) {
    const s = piqe(await readImage(sharedPath(`calibration/tid2013_resultscalibra/dist_dir/${name}.bmp`))).score;
    assert.ok(Math.abs(s - ref[name]) <= 0.005 + 1e-9, `${name}: ${s} vs ${ref[name]}`);
  }
});

test('piqe: uniform image scores 100; masks and map have the input size (non-multiple of 16)', () => {
  const flat = makeImage(37, 21, 1, new Float64Array(37 * 21).fill(128));
  const r = piqeMasks(flat);
  assert.equal(r.score, 100);
  assert.equal(r.map.width, 37);
  assert.equal(r.noiseMask.height, 21);
});

test('piqe: increases with blur and with noise on a photo', { skip: needsSharedData }, async () => {
  const base = greyCrop(await readImage(sharedPath('calibration/piq_assets/I01.BMP')), 256, 256);
  const s0 = piqe(greyImage(base)).score;
  const sBlur = piqe(greyImage(blur(base, 2.5))).score, sNoise = piqe(greyImage(noise(base, 25))).score;
  assert.ok(sBlur > s0 && sNoise > s0, `${s0} -> blur ${sBlur}, noise ${sNoise}`);
  const m = piqeMasks(greyImage(noise(base, 25)));
  assert.ok(m.noiseMask.data.some((v) => v === 1), 'noise mask marks noisy blocks');
});
