import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createMetric } from '../../../src/api.js';
import { needsSharedData, sharedPath } from '../../helpers/shared-data.js';
import { loadCalibration, tidPair, TID_PAIRS } from '../../helpers/calibration.js';
import { vsi } from '../../../src/metrics/fr/vsi.js';
import { propertyTests } from './property-helpers.js';

const piq = (f: string) => sharedPath('calibration/piq_assets', f);

test('vsi on I01: MATLAB code as published vs the value piq asserts as MATLAB (0.96405)', { skip: needsSharedData }, async () => {
  const [want] = loadCalibration().piq('vsi').map((e) => e.value);
  assert.equal(want, 0.96405);
  // piq's test passes the reference first; VSI is symmetric
  const m = await createMetric('vsi');
  const matlab = (await m.compute(piq('I01.BMP'), piq('i01_01_5.bmp'))).score;
  // Known, documented gap (vsi.ts header): the published VSI.m (conv2 'same' anchoring, MATLAB imresize in SDSP)
  // gives 0.963951, 1.03e-4 relative below the asserted value. Pinned here so any change is noticed.
  assert.ok(Math.abs(matlab - 0.9639512400105) <= 1e-9, `matlab variant ${matlab}`);
  assert.ok(Math.abs(matlab - want) / want <= 1.1e-4, `matlab variant ${matlab} vs ${want}`);
  // piq's conventions reproduce the asserted value at piq's own tolerance (allclose: rtol 1e-5, atol 1e-8)
  const mp = await createMetric('vsi', { variant: 'piq' });
  const p = (await mp.compute(piq('I01.BMP'), piq('i01_01_5.bmp'))).score;
  assert.ok(Math.abs(p - want) <= 1e-8 + 1e-5 * want, `piq variant ${p} vs ${want}`);
});

test('vsi on the TID pairs: IQA-Optimization values (not MATLAB) at pyiqa tolerance, current and 2022-era', { skip: needsSharedData }, async () => {
  const cal = loadCalibration();
  const m = await createMetric('vsi');
  const entries = [cal.tid('vsi'), cal.tid2022('vsi')];
  for (const name of TID_PAIRS) {
    const { score, map } = await m.compute(...tidPair(name));
    assert.ok(map && map.width === 256 && map.height === 192);
    for (const e of entries) {
      assert.ok(e);
      const want: number = e.reference_values[name];
      // pyiqa: allclose(atol=0.01, rtol=0.01). The reference is a different implementation (its own Lab and
      // downsampling), so only this tolerance applies (differences up to 0.0124, as pyiqa's own port).
      assert.ok(Math.abs(score - want) <= 0.01 + 0.01 * Math.abs(want), `${name}: ${score} vs ${want}`);
    }
  }
});

propertyTests({ name: 'vsi', flatIdentical: NaN, fn: vsi, ideal: 1, lowerBetter: false, symmetric: true, tooSmall: [2, 9], minMessage: /vsi: image size: expected at least 3x3, got 2x9/, mapMeanIsScore: true });
propertyTests({ name: 'vsi (piq variant)', flatIdentical: NaN, fn: (d, r) => vsi(d, r, { variant: 'piq' }), ideal: 1, lowerBetter: false, symmetric: true, tooSmall: [9, 2], minMessage: /vsi: image size: expected at least 3x3, got 9x2/, mapMeanIsScore: true });
