import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { readImage } from '../../../src/io/decode.js';
import { ilniqe, ilniqeFeatures, wblfit } from '../../../src/metrics/nr/il-niqe.js';
import { makeImage } from '../../../src/tensor/image.js';
import { needsSharedData, sharedPath } from '../../helpers/shared-data.js';
import { blur, greyCrop, greyImage, noise } from '../../helpers/synth-nr.js';

test('wblfit equals the exact Weibull maximum-likelihood fit (likelihood-equation root, scipy brentq)', () => {
  const fx = JSON.parse(readFileSync(new URL('../../fixtures/nr/wblfit.json', import.meta.url), 'utf8')) as { cases: { x: number[]; scale: number; shape: number }[] };
  for (const c of fx.cases) {
    const [a, b] = wblfit(c.x);
    assert.ok(Math.abs(a - c.scale) <= 1e-10 * c.scale, `scale ${a} vs ${c.scale}`);
    assert.ok(Math.abs(b - c.shape) <= 1e-10 * c.shape, `shape ${b} vs ${c.shape}`);
  }
});

// The official IL-NIQE template model is not distributed, so the published values (113.48 / 24.00 / 19.98 /
// 22.45 / 56.67 on the TID images) cannot be checked; the default model is the toolkit's own fit.
test('ilniqe: 468 finite features per 84x84 block; the default model ranks blur and noise', { skip: needsSharedData }, async () => {
  const base = greyCrop(await readImage(sharedPath('calibration/piq_assets/I01.BMP')), 256, 256);
  const f = ilniqeFeatures(greyImage(base));
  assert.equal(f.n, 36);
  assert.equal(f.d, 468);
  assert.ok(f.data.every(Number.isFinite));
  const s0 = ilniqe(greyImage(base)).score, sb = ilniqe(greyImage(blur(base, 2))).score, sn = ilniqe(greyImage(noise(base, 20))).score;
  assert.ok(sb > s0 && sn > s0, `clean ${s0}, blur ${sb}, noise ${sn}`);
});

test('ilniqe: a 1-pixel image is a clear error', () => {
  assert.throws(() => ilniqeFeatures(makeImage(1, 5, 1, new Float64Array(5))), /ilniqe: image size: expected at least 2x2, got 1x5/);
});
