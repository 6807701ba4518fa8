import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createMetric } from '../../../src/api.js';
import { makeImage } from '../../../src/tensor/image.js';
import { scene, noise, monotone, assertMonotoneLadders } from '../../helpers/fr-synth.js';

const rel = (got: number, want: number, tol: number, label: string) =>
  assert.ok(Math.abs(got - want) <= tol * Math.abs(want), `${label}: got ${got}, want ${want} (rel tol ${tol})`);

test('ms_gmsd / ms_gmsdc = piq multi_scale_gmsd (float64) on generated images, odd and even sizes (1e-10)', async () => {
  // No MATLAB golden exists for MS-GMSD (conventions.md §2.10); piq is the reference implementation.
  const fx = JSON.parse(readFileSync(new URL('../../fixtures/metrics/ms_gmsd_piq.json', import.meta.url), 'utf8'));
  const m = await createMetric('ms_gmsd'), mc = await createMetric('ms_gmsdc');
  for (const c of fx.cases) {
    const img = (a: number[]) => makeImage(c.width, c.height, 3, Float64Array.from(a));
    const d = img(c.dist), r = img(c.ref);
    rel((await m.compute(d, r)).score, c.ms_gmsd, 1e-10, `${c.width}x${c.height} ms_gmsd`);
    rel((await mc.compute(d, r)).score, c.ms_gmsdc, 1e-10, `${c.width}x${c.height} ms_gmsdc`);
    const n = c.width * c.height;
    const g = (a: number[]) => makeImage(c.width, c.height, 1, Float64Array.from(a.slice(n, 2 * n)));
    rel((await m.compute(g(c.dist), g(c.ref))).score, c.ms_gmsd_grey, 1e-10, `${c.width}x${c.height} grey`);
  }
});

test('ms_gmsd properties: identical = 0, symmetric, monotone, chromatic needs RGB, min size 17', async () => {
  const ref = scene(80, 72, 3, 21);
  for (const name of ['ms_gmsd', 'ms_gmsdc']) {
    const m = await createMetric(name);
    const same = await m.compute(ref, ref);
    assert.equal(same.score, 0);
    assert.equal(same.map!.width, 80);
    const d = noise(ref, 9);
    rel((await m.compute(d, ref)).score, (await m.compute(ref, d)).score, 1e-12, `${name} symmetry`);
    await assertMonotoneLadders(async (d, r) => (await m.compute(d, r)).score, ref, 'increasing', name);
  }
  const grey = scene(40, 40, 1, 2);
  await assert.rejects((await createMetric('ms_gmsdc')).compute(grey, grey), /ms_gmsdc: channels: expected 3 \(RGB/);
  const tiny = makeImage(16, 30, 1, new Float64Array(480));
  await assert.rejects((await createMetric('ms_gmsd')).compute(tiny, tiny), /ms_gmsd: image size: expected at least 17x17, got 16x30/);
});
