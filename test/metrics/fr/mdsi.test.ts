import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createMetric } from '../../../src/api.js';
import { needsSharedData, sharedPath } from '../../helpers/shared-data.js';
import { loadCalibration } from '../../helpers/calibration.js';
import { mdsi, mdsiMult } from '../../../src/metrics/fr/mdsi.js';
import { propertyTests } from './property-helpers.js';

const piq = (f: string) => sharedPath('calibration/piq_assets', f);

test('mdsi / mdsi_mult match the MATLAB MDSI.m values asserted by piq (goldhill grey, I01 RGB)', { skip: needsSharedData }, async () => {
  const cal = loadCalibration();
  const sum = cal.piq('mdsi_sum').map((e) => e.value), mult = cal.piq('mdsi_mult').map((e) => e.value);
  assert.deepEqual(sum, [0.395910876130775, 0.338972600511665]);
  assert.deepEqual(mult, [0.328692181289061, 0.258002917257516]);
  const ms = await createMetric('mdsi'), mm = await createMetric('mdsi_mult');
  const pairs: Array<[string, string]> = [['goldhill_jpeg.png', 'goldhill.png'], ['i01_01_5.bmp', 'I01.BMP']];
  for (let k = 0; k < 2; k++) {
    const [d, r] = pairs[k].map(piq);
    const s = (await ms.compute(d, r)).score, m = (await mm.compute(d, r)).score;
    // 15-digit references: ours agree to ~1e-13
    assert.ok(Math.abs(s - sum[k]) <= 1e-9 * sum[k], `sum ${pairs[k][0]}: ${s} vs ${sum[k]}`);
    assert.ok(Math.abs(m - mult[k]) <= 1e-9 * mult[k], `mult ${pairs[k][0]}: ${m} vs ${mult[k]}`);
  }
});

propertyTests({ name: 'mdsi', flatIdentical: 0, fn: mdsi, ideal: 0, lowerBetter: true, symmetric: false, tooSmall: [2, 2], minMessage: /mdsi: image size: expected at least 3x3, got 2x2/ });
propertyTests({ name: 'mdsi_mult', flatIdentical: 0, fn: mdsiMult, ideal: 0, lowerBetter: true, symmetric: false, tooSmall: [1, 5], minMessage: /mdsi_mult: image size: expected at least 3x3, got 1x5/ });
