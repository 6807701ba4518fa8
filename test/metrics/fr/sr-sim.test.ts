import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createMetric } from '../../../src/api.js';
import { needsSharedData, sharedPath } from '../../helpers/shared-data.js';
import { loadCalibration } from '../../helpers/calibration.js';
import { srSim, srSimc } from '../../../src/metrics/fr/sr-sim.js';
import { propertyTests } from './property-helpers.js';

const piq = (f: string) => sharedPath('calibration/piq_assets', f);

test('sr_sim matches the MATLAB SR_SIM.m values asserted by piq (goldhill, I01; Gaussian 10 and 9)', { skip: needsSharedData }, async () => {
  const vals = loadCalibration().piq('srsim').map((e) => e.value);
  assert.deepEqual(vals, [0.94623509, 0.94652679, 0.96667468, 0.965973]);
  // piq passes (clean, distorted); SR-SIM is symmetric
  const cases: Array<[string, string, number, number]> = [
    ['goldhill.png', 'goldhill_jpeg.png', 9, 0.94623509],
    ['goldhill.png', 'goldhill_jpeg.png', 10, 0.94652679],
    ['I01.BMP', 'i01_01_5.bmp', 9, 0.96667468],
    ['I01.BMP', 'i01_01_5.bmp', 10, 0.965973],
  ];
  for (const [a, b, gaussianSize, want] of cases) {
    const m = await createMetric('sr_sim', { gaussianSize });
    const { score } = await m.compute(piq(a), piq(b));
    assert.ok(Math.abs(score - want) <= 1e-7 * want, `${a} g${gaussianSize}: ${score} vs ${want}`);
  }
});

test("sr_simc matches piq's regression value on I01 at piq's tolerance (no MATLAB reference exists)", { skip: needsSharedData }, async () => {
  const [want] = loadCalibration().piq('srsim_chromatic').map((e) => e.value);
  const { score } = await (await createMetric('sr_simc')).compute(piq('I01.BMP'), piq('i01_01_5.bmp'));
  // allclose defaults; we differ by 4.2e-6 relative (piq runs float32)
  assert.ok(Math.abs(score - want) <= 1e-8 + 1e-5 * want, `${score} vs ${want}`);
});

propertyTests({ name: 'sr_sim', flatIdentical: NaN, fn: srSim, ideal: 1, lowerBetter: false, symmetric: true, tooSmall: [7, 30], minMessage: /sr_sim: image size: expected at least 8x8, got 7x30/, mapMeanIsScore: true });
propertyTests({ name: 'sr_simc', flatIdentical: NaN, fn: srSimc, ideal: 1, lowerBetter: false, symmetric: true, tooSmall: [30, 7], minMessage: /sr_simc: image size: expected at least 8x8, got 30x7/, mapMeanIsScore: true });
