import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createMetric } from '../../../src/api.js';
import { needsSharedData, sharedPath } from '../../helpers/shared-data.js';
import { loadCalibration, tidPair, TID_PAIRS } from '../../helpers/calibration.js';
import { fsim, fsimc } from '../../../src/metrics/fr/fsim.js';
import { propertyTests, testImage, noise } from './property-helpers.js';

const piq = (f: string) => sharedPath('calibration/piq_assets', f);

// Golden values carry 4-5 decimals: the tolerance is half a unit of the last digit given (tighter than 1e-4 relative).
const halfUnit = (v: number, digits: number) => 0.5 * 10 ** -digits + 1e-12 * v;

test('fsim/fsimc match the official MATLAB FSIM values asserted by piq (goldhill, I01)', { skip: needsSharedData }, async () => {
  const cal = loadCalibration();
  const vals = [...cal.piq('fsim'), ...cal.piq('fsimc')].map((e) => e.value);
  assert.deepEqual(vals, [0.89691, 0.93674, 0.92587]);
  const m = await createMetric('fsim'), mc = await createMetric('fsimc');
  const g = (await m.compute(piq('goldhill_jpeg.png'), piq('goldhill.png'))).score;
  const iOut = await m.compute(piq('i01_01_5.bmp'), piq('I01.BMP'));
  const i = iOut.score;
  // the quality map is at the pre-scaled size (F = 2)
  assert.equal(iOut.map?.width, 256);
  assert.equal(iOut.map?.height, 192);
  const ic = (await mc.compute(piq('i01_01_5.bmp'), piq('I01.BMP'))).score;
  assert.ok(Math.abs(g - 0.89691) <= halfUnit(0.89691, 5), `goldhill fsim ${g}`);
  assert.ok(Math.abs(i - 0.93674) <= halfUnit(0.93674, 5), `I01 fsim ${i}`);
  assert.ok(Math.abs(ic - 0.92587) <= halfUnit(0.92587, 5), `I01 fsimc ${ic}`);
});

test('fsimc matches the official MATLAB FSIM on the 5 TID pairs (current and 2022-era calibration)', { skip: needsSharedData }, async () => {
  const cal = loadCalibration();
  const m = await createMetric('fsimc');
  const entries = [cal.tid('fsim'), cal.tid2022('fsim')];
  for (const name of TID_PAIRS) {
    const { score } = await m.compute(...tidPair(name));
    for (const entry of entries) {
      assert.ok(entry, 'calibration entry');
      const want: number = entry.reference_values[name];
      // values given to 4 decimals (0.689 is 0.6890)
      assert.ok(Math.abs(score - want) <= halfUnit(want, 4), `${name}: ${score} vs ${want}`);
    }
  }
});

test('fsimc equals fsim on grey input', () => {
  const g = testImage(96, 96, 4, 1), gd = noise(g, 9);
  assert.equal(fsimc(gd, g).score, fsim(gd, g).score);
});

propertyTests({ name: 'fsim', flatIdentical: NaN, fn: fsim, ideal: 1, lowerBetter: false, symmetric: true, tooSmall: [7, 20], minMessage: /fsim: image size: expected at least 8x8, got 7x20/, mapMeanIsScore: true });
propertyTests({ name: 'fsimc', flatIdentical: NaN, fn: fsimc, ideal: 1, lowerBetter: false, symmetric: true, tooSmall: [20, 6], minMessage: /fsimc: image size: expected at least 8x8, got 20x6/, mapMeanIsScore: true });

test('medianMatlab (quickselect) equals the sorted-array median, with duplicates, odd and even counts', async () => {
  const { medianMatlab } = await import('../../../src/metrics/fr/fsim.js');
  const { rng } = await import('./property-helpers.js');
  const r = rng(12);
  for (const n of [1, 2, 3, 10, 11, 1000, 1001]) {
    for (const levels of [3, 1e6]) {
      const a = Float64Array.from({ length: n }, () => Math.floor(r() * levels));
      const s = Float64Array.from(a).sort();
      const want = n % 2 ? s[n >> 1] : (s[n / 2 - 1] + s[n / 2]) / 2;
      assert.equal(medianMatlab(Float64Array.from(a)), want, `n=${n} levels=${levels}`);
    }
  }
});
