import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fft2d } from '../../src/signal/fft.js';
import { getFft2Plan } from '../../src/signal/fft-plan.js';
import { rng } from '../metrics/fr/property-helpers.js';

test('fft2Plan equals fft2d (forward and inverse) on power-of-two, q·2^p, Bluestein (large odd factor), prime and unit sizes', () => {
  const r = rng(3);
  for (const [w, h] of [[16, 8], [12, 10], [7, 13], [1, 5], [6, 1], [64, 48], [96, 45], [74, 66], [30, 1], [360, 9], [9, 267], [25, 49], [206, 3], [44, 20]]) {
    const re = Float64Array.from({ length: w * h }, () => r() - 0.5), im = Float64Array.from({ length: w * h }, () => r() - 0.5);
    for (const inverse of [false, true]) {
      const ar = Float64Array.from(re), ai = Float64Array.from(im), br = Float64Array.from(re), bi = Float64Array.from(im);
      fft2d(ar, ai, w, h, inverse);
      getFft2Plan(w, h).run(br, bi, inverse);
      let err = 0, mag = 0;
      for (let i = 0; i < w * h; i++) {
        err = Math.max(err, Math.abs(ar[i] - br[i]), Math.abs(ai[i] - bi[i]));
        mag = Math.max(mag, Math.abs(ar[i]), Math.abs(ai[i]));
      }
      assert.ok(err <= 1e-12 * Math.max(1, mag), `${w}x${h} inverse=${inverse}: ${err}`);
    }
  }
});

test('fft2Plan: a forward then inverse transform returns the input', () => {
  const r = rng(9), w = 30, h = 20;
  const re = Float64Array.from({ length: w * h }, () => r()), im = new Float64Array(w * h);
  const x = Float64Array.from(re);
  const p = getFft2Plan(w, h);
  p.run(re, im);
  p.run(re, im, true);
  for (let i = 0; i < w * h; i++) {
    assert.ok(Math.abs(re[i] - x[i]) < 1e-12 && Math.abs(im[i]) < 1e-12);
  }
});
