import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fft1d, fft2d, fft2dReal, fftshift, getFft2Plan } from '../../src/signal/fft.js';

function rand(n: number, seed: number): Float64Array {
  let s = seed;
  return Float64Array.from({ length: n }, () => ((s = (s * 16807) % 2147483647) / 2147483647) * 2 - 1);
}

/** O(n²) DFT with exact angles (k·t mod n), the reference for every length. */
function naiveDft(re: ArrayLike<number>, im: ArrayLike<number>, inverse = false): [Float64Array, Float64Array] {
  const n = re.length, or = new Float64Array(n), oi = new Float64Array(n);
  const sg = inverse ? 1 : -1;
  for (let k = 0; k < n; k++) {
    let a = 0, b = 0;
    for (let t = 0; t < n; t++) {
      const ang = (sg * 2 * Math.PI * ((k * t) % n)) / n;
      const c = Math.cos(ang), s = Math.sin(ang);
      a += re[t] * c - im[t] * s;
      b += re[t] * s + im[t] * c;
    }
    or[k] = inverse ? a / n : a;
    oi[k] = inverse ? b / n : b;
  }
  return [or, oi];
}

/** Separable naive 2-D DFT (rows then columns). */
function naiveDft2(re: Float64Array, im: Float64Array, w: number, h: number, inverse = false): [Float64Array, Float64Array] {
  const R = Float64Array.from(re), I = Float64Array.from(im);
  for (let y = 0; y < h; y++) {
    const [a, b] = naiveDft(R.subarray(y * w, y * w + w), I.subarray(y * w, y * w + w), inverse);
    R.set(a, y * w);
    I.set(b, y * w);
  }
  for (let x = 0; x < w; x++) {
    const cr = Float64Array.from({ length: h }, (_, y) => R[y * w + x]), ci = Float64Array.from({ length: h }, (_, y) => I[y * w + x]);
    const [a, b] = naiveDft(cr, ci, inverse);
    for (let y = 0; y < h; y++) {
      R[y * w + x] = a[y];
      I[y * w + x] = b[y];
    }
  }
  return [R, I];
}

function maxErr(a: Float64Array, b: Float64Array, c: Float64Array, d: Float64Array): [number, number] {
  let err = 0, mag = 0;
  for (let i = 0; i < a.length; i++) {
    err = Math.max(err, Math.abs(a[i] - c[i]), Math.abs(b[i] - d[i]));
    mag = Math.max(mag, Math.abs(c[i]), Math.abs(d[i]));
  }
  return [err, mag];
}

test('fft1d matches a naive DFT for power-of-two, mixed-radix (2/3/4/5, generic odd prime) and Bluestein lengths, and inverts', () => {
  // 31, 62: generic odd radix; 37, 74, 222, 206 = 2·103, 97: Bluestein; 1080 = 4·2·3³·5, 1920 = 4³·2·3·5
  const lengths = [1, 2, 3, 4, 5, 6, 7, 8, 12, 15, 17, 24, 31, 33, 37, 45, 62, 64, 74, 96, 97, 100, 120, 135, 206, 222, 384, 480, 1080, 1920];
  for (const n of lengths) {
    const re = rand(n, n + 1), im = rand(n, n + 7);
    const [wr, wi] = naiveDft(re, im);
    const a = Float64Array.from(re), b = Float64Array.from(im);
    fft1d(a, b);
    const [err, mag] = maxErr(a, b, wr, wi);
    assert.ok(err <= 1e-12 * Math.max(1, mag), `n=${n}: ${err}`);
    fft1d(a, b, true);
    const [e2] = maxErr(a, b, re, im);
    assert.ok(e2 < 1e-13, `inverse n=${n}: ${e2}`);
  }
});

test('fft1d inverse matches a naive inverse DFT (1/n normalisation, as MATLAB ifft)', () => {
  for (const n of [6, 16, 37, 45]) {
    const re = rand(n, 3 * n), im = rand(n, 5 * n);
    const [wr, wi] = naiveDft(re, im, true);
    const a = Float64Array.from(re), b = Float64Array.from(im);
    fft1d(a, b, true);
    const [err] = maxErr(a, b, wr, wi);
    assert.ok(err < 1e-14, `n=${n}: ${err}`);
  }
});

test('fft2d / Fft2Plan.run match a naive 2-D DFT (forward and inverse) on power-of-two, mixed-radix, Bluestein, prime and unit sizes', () => {
  const sizes = [[16, 8], [12, 10], [7, 13], [1, 5], [6, 1], [1, 1], [24, 20], [15, 16], [12, 9], [33, 6], [64, 48], [96, 45], [74, 66], [30, 1], [360, 9], [9, 267], [25, 49], [206, 3], [44, 20], [75, 61], [37, 96]];
  for (const [w, h] of sizes) {
    const re = rand(w * h, w + 11), im = rand(w * h, h + 13);
    for (const inverse of [false, true]) {
      const [wr, wi] = naiveDft2(re, im, w, h, inverse);
      const a = Float64Array.from(re), b = Float64Array.from(im);
      fft2d(a, b, w, h, inverse);
      const [err, mag] = maxErr(a, b, wr, wi);
      assert.ok(err <= 1e-12 * Math.max(1, mag), `${w}x${h} inverse=${inverse}: ${err}`);
      const c = Float64Array.from(re), d = Float64Array.from(im);
      getFft2Plan(w, h).run(c, d, inverse);
      assert.deepEqual(c, a);
      assert.deepEqual(d, b);
    }
  }
});

test('Fft2Plan: a forward then inverse transform returns the input', () => {
  for (const [w, h] of [[30, 20], [1080 / 4, 1920 / 8], [37, 31]]) {
    const re = rand(w * h, 9), im = new Float64Array(w * h);
    const x = Float64Array.from(re);
    const p = getFft2Plan(w, h);
    p.run(re, im);
    p.run(re, im, true);
    for (let i = 0; i < w * h; i++) assert.ok(Math.abs(re[i] - x[i]) < 1e-12 && Math.abs(im[i]) < 1e-12, `${w}x${h}`);
  }
});

test('real-input fft2 (forwardReal / fft2dReal) equals the complex fft2 of the same plane, even and odd sizes', () => {
  for (const [w, h] of [[8, 6], [9, 7], [12, 5], [5, 12], [1, 7], [7, 1], [1, 1], [2, 2], [96, 45], [74, 37], [45, 96]]) {
    const x = rand(w * h, 7 * w + h);
    const a = Float64Array.from(x), b = new Float64Array(w * h);
    fft2d(a, b, w, h);
    const [c, d] = fft2dReal(x, w, h);
    const [err, mag] = maxErr(c, d, a, b);
    assert.ok(err <= 1e-13 * Math.max(1, mag), `${w}x${h}: ${err}`);
  }
});

test('fft2d of a delta is flat; fftshift moves DC to the centre (MATLAB floor(n/2))', () => {
  const w = 6, h = 5;
  const re = new Float64Array(w * h), im = new Float64Array(w * h);
  re[0] = 1;
  fft2d(re, im, w, h);
  for (let i = 0; i < w * h; i++) assert.ok(Math.abs(re[i] - 1) < 1e-12 && Math.abs(im[i]) < 1e-12);
  const a = new Float64Array(w * h);
  a[0] = 1;
  const s = fftshift(a, w, h);
  assert.equal(s[2 * w + 3], 1);
  assert.deepEqual(Array.from(fftshift(s, w, h, true)), Array.from(a));
});

test('inverseOfProduct equals ifft2 of the product (bit for bit) and leaves its input unchanged', () => {
  for (const [w, h] of [[12, 10], [1, 6], [7, 1], [37, 20], [96, 45]]) {
    const re = rand(w * h, w + 3), im = rand(w * h, h + 5), f = rand(w * h, w * h);
    const a = re.map((v, i) => v * f[i]), b = im.map((v, i) => v * f[i]);
    const p = getFft2Plan(w, h);
    p.run(a, b, true);
    const oRe = new Float64Array(w * h), oIm = new Float64Array(w * h), re0 = Float64Array.from(re), im0 = Float64Array.from(im);
    p.inverseOfProduct(re, im, f, oRe, oIm);
    assert.deepEqual(oRe, a, `${w}x${h}`);
    assert.deepEqual(oIm, b, `${w}x${h}`);
    assert.deepEqual(re, re0);
    assert.deepEqual(im, im0);
  }
});
