import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createMetric } from '../../../src/api.js';
import { needsSharedData, sharedPath } from '../../helpers/shared-data.js';
import { loadCalibration } from '../../helpers/calibration.js';
import { dss } from '../../../src/metrics/fr/dss.js';
import { propertyTests, testImage, noise } from './property-helpers.js';

const piq = (f: string) => sharedPath('calibration/piq_assets', f);

test('dss matches the MATLAB dss_index.m values asserted by piq (goldhill grey; I01 via MATLAB rgb2gray)', { skip: needsSharedData }, async () => {
  const vals = loadCalibration().piq('dss').map((e) => e.value);
  assert.deepEqual(vals, [0.45217181, 0.77177436]);
  const m = await createMetric('dss');
  const g = (await m.compute(piq('goldhill.png'), piq('goldhill_jpeg.png'))).score;
  const i = (await m.compute(piq('I01.BMP'), piq('i01_01_5.bmp'))).score;
  assert.ok(Math.abs(g - vals[0]) <= 1e-7 * vals[0], `goldhill ${g}`);
  assert.ok(Math.abs(i - vals[1]) <= 1e-7 * vals[1], `I01 ${i}`);
  // piq's own luma (Y of YIQ, unrounded) is a different convention: 1.3e-4 lower on I01
  const y = (await (await createMetric('dss', { luma: 'yiq' })).compute(piq('I01.BMP'), piq('i01_01_5.bmp'))).score;
  assert.ok(Math.abs(y - vals[1]) > 5e-5 && Math.abs(y - vals[1]) < 5e-4, `yiq luma ${y}`);
});

test('dss crops to multiples of 8 (top-left kept)', () => {
  const r = testImage(70, 45, 3), d = noise(r, 12);
  const crop = (img: typeof r) => {
    const n = img.width * img.height, out = new Float64Array(3 * 64 * 40);
    for (let c = 0; c < 3; c++) for (let y = 0; y < 40; y++) for (let x = 0; x < 64; x++) out[c * 2560 + y * 64 + x] = img.data[c * n + y * img.width + x];
    return { ...img, width: 64, height: 40, data: out };
  };
  assert.equal(dss(d, r).score, dss(crop(d), crop(r)).score);
});

propertyTests({ name: 'dss', flatIdentical: 1, fn: dss, ideal: 1, lowerBetter: false, symmetric: true, tooSmall: [31, 64], minMessage: /dss: image size: expected at least 32x32, got 31x64/ });
