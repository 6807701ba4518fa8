import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createMetric } from '../../../src/api.js';
import { needsSharedData, sharedPath } from '../../helpers/shared-data.js';
import { loadCalibration } from '../../helpers/calibration.js';
import { haarpsi } from '../../../src/metrics/fr/haarpsi.js';
import { propertyTests, testImage, noise } from './property-helpers.js';

const piq = (f: string) => sharedPath('calibration/piq_assets', f);

test('haarpsi matches the MATLAB HaarPSI.m value asserted by piq on I01', { skip: needsSharedData }, async () => {
  const [want] = loadCalibration().piq('haarpsi').map((e) => e.value);
  assert.equal(want, 0.71706527);
  const { score, map } = await (await createMetric('haarpsi')).compute(piq('I01.BMP'), piq('i01_01_5.bmp'));
  assert.ok(Math.abs(score - want) <= 1e-7 * want, `${score} vs ${want}`);
  assert.ok(map && map.width === 256 && map.height === 192);
});

test('haarpsi: without subsampling the minimum size drops to 8', () => {
  assert.throws(() => haarpsi(...twoTiny(12)), /haarpsi: image size: expected at least 16x16, got 12x12/);
  assert.ok(Number.isFinite(haarpsi(...twoTiny(12), { subsample: false }).score));
});

function twoTiny(n: number): [ReturnType<typeof testImage>, ReturnType<typeof testImage>] {
  const r = testImage(n, n, 2);
  return [noise(r, 10), r];
}

propertyTests({ name: 'haarpsi', flatIdentical: 1, fn: haarpsi, ideal: 1, lowerBetter: false, symmetric: true, tooSmall: [15, 40], minMessage: /haarpsi: image size: expected at least 16x16, got 15x40/ });
