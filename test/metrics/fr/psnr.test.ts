import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createMetric } from '../../../src/api.js';
import { needsSharedData, sharedPath } from '../../helpers/shared-data.js';
import { loadCalibration } from '../../helpers/calibration.js';

test('psnr matches the official TID values (pyiqa results_official, skimage convention)', { skip: needsSharedData }, async () => {
  const m = await createMetric('psnr');
  const want: Record<string, number> = { I03: 21.1136, I04: 20.9872, I06: 27.0139, I08: 23.3003, I19: 21.6187 };
  for (const [name, v] of Object.entries(want)) {
    const { score } = await m.compute(
      sharedPath(`calibration/tid2013_resultscalibra/dist_dir/${name}.bmp`),
      sharedPath(`calibration/tid2013_resultscalibra/ref_dir/${name}.bmp`),
    );
    assert.ok(Math.abs(score - v) <= 1e-4 * v, `${name}: ${score} vs ${v}`);
  }
  const cal = loadCalibration();
  assert.ok(cal.tid('psnr'), 'calibration file has a psnr entry');
});

test('psnr: identical images give Infinity; mismatched sizes are a clear error', async () => {
  const { makeImage } = await import('../../../src/tensor/image.js');
  const a = makeImage(4, 4, 1, new Float64Array(16).fill(7));
  const b = makeImage(4, 3, 1, new Float64Array(12).fill(7));
  const m = await createMetric('psnr');
  assert.equal((await m.compute(a, a)).score, Infinity);
  await assert.rejects(m.compute(a, b), /psnr: image sizes differ: distorted is 4x4x1, reference is 4x3x1/);
});
