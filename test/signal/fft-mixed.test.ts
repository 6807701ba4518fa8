import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fft1d, fft2d } from '../../src/signal/fft.js';
import { fft1dMixed, fft2dMixed } from '../../src/signal/fft-mixed.js';

function rand(n: number, seed: number): Float64Array {
  let s = seed;
  return Float64Array.from({ length: n }, () => ((s = (s * 16807) % 2147483647) / 2147483647) * 2 - 1);
}

function naiveDft(re: Float64Array, im: Float64Array): [Float64Array, Float64Array] {
  const n = re.length, or = new Float64Array(n), oi = new Float64Array(n);
  for (let k = 0; k < n; k++) for (let t = 0; t < n; t++) {
    const a = (-2 * Math.PI * ((k * t) % n)) / n;
    or[k] += re[t] * Math.cos(a) - im[t] * Math.sin(a);
    oi[k] += re[t] * Math.sin(a) + im[t] * Math.cos(a);
  }
  return [or, oi];
}

test('fft1dMixed equals a naive DFT and fft1d (forward and inverse) for q·2^k and other lengths', () => {
  for (const n of [3, 5, 6, 12, 15, 24, 31, 45, 62, 96, 100, 120, 384, 480, 33, 1, 2, 37, 74, 135, 1080, 1920, 2 * 37 * 3]) {
    const re = rand(n, n + 1), im = rand(n, n + 7);
    const a = [Float64Array.from(re), Float64Array.from(im)];
    fft1dMixed(a[0], a[1]);
    const scale = Math.sqrt(n);
    if (n <= 120) {
      const [wr, wi] = naiveDft(re, im);
      for (let k = 0; k < n; k++) assert.ok(Math.abs(a[0][k] - wr[k]) + Math.abs(a[1][k] - wi[k]) < 1e-12 * scale * 10, `n=${n} k=${k}`);
    }
    const b = [Float64Array.from(re), Float64Array.from(im)];
    fft1d(b[0], b[1]);
    for (let k = 0; k < n; k++) assert.ok(Math.abs(a[0][k] - b[0][k]) + Math.abs(a[1][k] - b[1][k]) < 1e-11 * scale, `n=${n}`);
    fft1dMixed(a[0], a[1], true);
    for (let k = 0; k < n; k++) assert.ok(Math.abs(a[0][k] - re[k]) + Math.abs(a[1][k] - im[k]) < 1e-13, `inverse n=${n}`);
  }
});

test('fft2dMixed equals fft2d (forward and inverse) on non-power-of-two sizes', () => {
  for (const [w, h] of [[24, 20], [15, 16], [12, 9], [8, 8], [33, 6], [75, 61], [61, 75], [37, 96]]) {
    const re = rand(w * h, w), im = rand(w * h, h);
    const a = [Float64Array.from(re), Float64Array.from(im)], b = [Float64Array.from(re), Float64Array.from(im)];
    fft2dMixed(a[0], a[1], w, h);
    fft2d(b[0], b[1], w, h);
    for (let i = 0; i < w * h; i++) assert.ok(Math.abs(a[0][i] - b[0][i]) + Math.abs(a[1][i] - b[1][i]) < 1e-11, `${w}x${h}`);
    fft2dMixed(a[0], a[1], w, h, true);
    for (let i = 0; i < w * h; i++) assert.ok(Math.abs(a[0][i] - re[i]) + Math.abs(a[1][i] - im[i]) < 1e-13, `${w}x${h} inverse`);
  }
});
