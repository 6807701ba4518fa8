import { test } from 'node:test';
import assert from 'node:assert/strict';
import { makePlane, type Plane } from '../../src/tensor/image.js';
import { kernel, type Kernel } from '../../src/signal/filter.js';
import { conv2Same, conv2SameSeparable, downsampleConv2Same, mat2gray, scharrMagnitude, prewittMagnitude } from '../../src/signal/conv2.js';
import { rng } from '../metrics/fr/property-helpers.js';

/** MATLAB conv2(A, B, 'same') by definition: full convolution, central part starting at floor(size(B)/2). */
function conv2Reference(a: Plane, k: Kernel): Plane {
  const out = new Float64Array(a.width * a.height);
  const oy = Math.floor(k.height / 2), ox = Math.floor(k.width / 2);
  for (let y = 0; y < a.height; y++) for (let x = 0; x < a.width; x++) {
    // full index (y + oy, x + ox): sum_{i,j} A(y+oy-i, x+ox-j)·B(i,j)
    let s = 0;
    for (let i = 0; i < k.height; i++) for (let j = 0; j < k.width; j++) {
      const sy = y + oy - i, sx = x + ox - j;
      if (sy >= 0 && sy < a.height && sx >= 0 && sx < a.width) s += a.data[sy * a.width + sx] * k.data[i * k.width + j];
    }
    out[y * a.width + x] = s;
  }
  return makePlane(a.width, a.height, out);
}

const rand = (w: number, h: number, seed: number) => {
  const r = rng(seed);
  return makePlane(w, h, Float64Array.from({ length: w * h }, () => Math.round(255 * r())));
};

test('conv2Same equals the definition of MATLAB conv2(..., "same") for odd, even and non-square kernels', () => {
  const a = rand(13, 9, 1), r = rng(2);
  for (const [kw, kh] of [[3, 3], [2, 2], [4, 4], [8, 8], [2, 5], [6, 3]]) {
    const k = kernel(kw, kh, Array.from({ length: kw * kh }, () => r() - 0.5));
    const got = conv2Same(a, k).data, want = conv2Reference(a, k).data;
    for (let i = 0; i < want.length; i++) assert.ok(Math.abs(got[i] - want[i]) < 1e-9, `${kw}x${kh} at ${i}`);
  }
});

test('conv2SameSeparable equals conv2Same with the outer-product kernel (even Haar filter)', () => {
  const a = rand(11, 10, 3);
  const kx = [1, 1, 1, 1], ky = [-0.25, -0.25, 0.25, 0.25];
  const full = kernel(4, 4, ky.flatMap((v) => kx.map((u) => u * v)));
  const got = conv2SameSeparable(a, kx, ky).data, want = conv2Reference(a, full).data;
  for (let i = 0; i < want.length; i++) assert.ok(Math.abs(got[i] - want[i]) < 1e-9);
});

test('downsampleConv2Same = conv2(X, ones(F)/F^2, "same") then X(1:F:end, 1:F:end), odd sizes included', () => {
  for (const f of [2, 3, 4, 5]) {
    const a = rand(17, 14, f);
    const box = kernel(f, f, new Array(f * f).fill(1 / (f * f)));
    const full = conv2Reference(a, box);
    const got = downsampleConv2Same(a, f);
    assert.equal(got.width, Math.ceil(17 / f));
    assert.equal(got.height, Math.ceil(14 / f));
    for (let y = 0; y < got.height; y++) for (let x = 0; x < got.width; x++) {
      assert.ok(Math.abs(got.data[y * got.width + x] - full.data[y * f * 17 + x * f]) < 1e-9, `f=${f} (${x},${y})`);
    }
  }
  const a = rand(5, 5, 9);
  assert.equal(downsampleConv2Same(a, 1), a);
});

test('gradient magnitudes: Scharr and Prewitt/3 on a ramp; mat2gray', () => {
  const w = 9, h = 7, ramp = makePlane(w, h, Float64Array.from({ length: w * h }, (_, i) => 2 * (i % w)));
  // interior: |dI/dx| = 2·(1/3·3 terms)·... Prewitt/3: (1+1+1)/3·(x+1 − (x−1))·2 = 4; Scharr: (3+10+3)/16·4 = 4
  assert.ok(Math.abs(prewittMagnitude(ramp).data[3 * w + 4] - 4) < 1e-12);
  assert.ok(Math.abs(scharrMagnitude(ramp).data[3 * w + 4] - 4) < 1e-12);
  const g = mat2gray(makePlane(3, 1, Float64Array.from([2, 4, 6]))).data;
  assert.deepEqual(Array.from(g), [0, 0.5, 1]);
  assert.deepEqual(Array.from(mat2gray(makePlane(2, 1, Float64Array.from([3, 3]))).data), [0, 0]);
});
