import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fft1d, fft2d, fftshift } from '../../src/signal/fft.js';

function naiveDft(re: number[], im: number[]): [number[], number[]] {
  const n = re.length, R: number[] = [], I: number[] = [];
  for (let k = 0; k < n; k++) {
    let a = 0, b = 0;
    for (let t = 0; t < n; t++) {
      const ang = (-2 * Math.PI * k * t) / n;
      a += re[t] * Math.cos(ang) - im[t] * Math.sin(ang);
      b += re[t] * Math.sin(ang) + im[t] * Math.cos(ang);
    }
    R.push(a);
    I.push(b);
  }
  return [R, I];
}

test('fft1d matches a naive DFT for power-of-two and other lengths, and inverts', () => {
  for (const n of [2, 3, 5, 8, 12, 17, 64, 100, 384]) {
    const re = Array.from({ length: n }, (_, i) => Math.sin(i * 1.3) + (i % 3));
    const im = Array.from({ length: n }, (_, i) => Math.cos(i * 0.7));
    const [R, I] = naiveDft(re, im);
    const a = Float64Array.from(re), b = Float64Array.from(im);
    fft1d(a, b);
    const scale = Math.max(...R.map(Math.abs));
    for (let k = 0; k < n; k++) {
      assert.ok(Math.abs(a[k] - R[k]) < 1e-10 * scale && Math.abs(b[k] - I[k]) < 1e-10 * scale, `n=${n} k=${k}`);
    }
    fft1d(a, b, true);
    for (let k = 0; k < n; k++) assert.ok(Math.abs(a[k] - re[k]) < 1e-12 && Math.abs(b[k] - im[k]) < 1e-12);
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
