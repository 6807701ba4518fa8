/**
 * 2-D correlation as MATLAB `filter2` / `imfilter` (correlation, not convolution: conventions.md §1.7), with the
 * MATLAB anchoring for even kernels (window starts a = floor((k-1)/2) before the output sample, §1.5).
 * `shape`: 'valid' (output (H-kh+1) x (W-kw+1)) or 'same' (output H x W, borders per `pad`).
 * Separable kernels go through `filterSeparable`, which is exact to the same anchoring and much faster.
 */
import { makePlane, type Plane } from '../tensor/image.js';
import { expected } from '../tensor/errors.js';
import { mapIndex, type PadMode } from './pad.js';

export type FilterShape = 'valid' | 'same';

/** A 2-D kernel, row-major. */
export interface Kernel {
  readonly width: number;
  readonly height: number;
  readonly data: Float64Array;
}

export function kernel(width: number, height: number, data: ArrayLike<number>): Kernel {
  if (data.length !== width * height) throw expected('kernel', 'data length', String(width * height), String(data.length));
  return { width, height, data: Float64Array.from(data) };
}

/** Pads a plane by (top, bottom, left, right) using `mode`. */
export function padPlane(p: Plane, top: number, bottom: number, left: number, right: number, mode: PadMode): Plane {
  const W = p.width + left + right, H = p.height + top + bottom;
  const out = new Float64Array(W * H);
  const cols = new Int32Array(W);
  for (let x = 0; x < W; x++) cols[x] = mapIndex(x - left, p.width, mode);
  for (let y = 0; y < H; y++) {
    const sy = mapIndex(y - top, p.height, mode);
    if (sy < 0) continue;
    const row = sy * p.width;
    for (let x = 0; x < W; x++) {
      const sx = cols[x];
      if (sx >= 0) out[y * W + x] = p.data[row + sx];
    }
  }
  return makePlane(W, H, out);
}

function padForSame(p: Plane, kw: number, kh: number, pad: PadMode): Plane {
  const ay = Math.floor((kh - 1) / 2), ax = Math.floor((kw - 1) / 2);
  return padPlane(p, ay, kh - 1 - ay, ax, kw - 1 - ax, pad);
}

/** Full 2-D correlation (any kernel). */
export function filter2(p: Plane, k: Kernel, shape: FilterShape = 'same', pad: PadMode = 'zero'): Plane {
  const src = shape === 'same' ? padForSame(p, k.width, k.height, pad) : p;
  const W = src.width - k.width + 1, H = src.height - k.height + 1;
  if (W < 1 || H < 1) throw expected('filter2', 'image size', `at least ${k.width}x${k.height}`, `${p.width}x${p.height}`, 'E_SIZE');
  const out = new Float64Array(W * H);
  const sw = src.width, s = src.data, kd = k.data;
  for (let y = 0; y < H; y++) {
    for (let x = 0; x < W; x++) {
      let acc = 0;
      for (let j = 0; j < k.height; j++) {
        const row = (y + j) * sw + x, krow = j * k.width;
        for (let i = 0; i < k.width; i++) acc += kd[krow + i] * s[row + i];
      }
      out[y * W + x] = acc;
    }
  }
  return makePlane(W, H, out);
}

/**
 * Correlation with the separable kernel `ky ⊗ kx` (rows filtered by kx, columns by ky); same anchoring as `filter2`.
 */
export function filterSeparable(p: Plane, kx: ArrayLike<number>, ky: ArrayLike<number>, shape: FilterShape = 'same', pad: PadMode = 'zero'): Plane {
  const src = shape === 'same' ? padForSame(p, kx.length, ky.length, pad) : p;
  const W = src.width - kx.length + 1, H = src.height - ky.length + 1;
  if (W < 1 || H < 1) throw expected('filterSeparable', 'image size', `at least ${kx.length}x${ky.length}`, `${p.width}x${p.height}`, 'E_SIZE');
  const sw = src.width, s = src.data;
  // horizontal pass over all source rows -> tmp (src.height x W)
  const tmp = new Float64Array(src.height * W);
  const nx = kx.length, ny = ky.length;
  for (let y = 0; y < src.height; y++) {
    const row = y * sw, orow = y * W;
    for (let x = 0; x < W; x++) {
      let acc = 0;
      for (let i = 0; i < nx; i++) acc += kx[i] * s[row + x + i];
      tmp[orow + x] = acc;
    }
  }
  // vertical pass
  const out = new Float64Array(W * H);
  for (let y = 0; y < H; y++) {
    const orow = y * W;
    for (let j = 0; j < ny; j++) {
      const c = ky[j], trow = (y + j) * W;
      for (let x = 0; x < W; x++) out[orow + x] += c * tmp[trow + x];
    }
  }
  return makePlane(W, H, out);
}

/** MATLAB `fspecial('gaussian', n, sigma)` as a 1-D factor (the 2-D kernel is its outer product; MATLAB's eps
 * thresholding of tiny taps is below 1e-16 relative and ignored). Even n is centred between samples. */
export function gaussian1d(n: number, sigma: number): Float64Array {
  const g = new Float64Array(n);
  const c = (n - 1) / 2;
  let sum = 0;
  for (let i = 0; i < n; i++) {
    g[i] = Math.exp(-((i - c) ** 2) / (2 * sigma * sigma));
    sum += g[i];
  }
  for (let i = 0; i < n; i++) g[i] /= sum;
  return g;
}

/** MATLAB `fspecial('gaussian', [n n], sigma)` as a full 2-D kernel, including the eps thresholding. */
export function fspecialGaussian(n: number, sigma: number): Kernel {
  const c = (n - 1) / 2;
  const d = new Float64Array(n * n);
  let max = 0;
  for (let y = 0; y < n; y++) for (let x = 0; x < n; x++) {
    const v = Math.exp(-((x - c) ** 2 + (y - c) ** 2) / (2 * sigma * sigma));
    d[y * n + x] = v;
    max = Math.max(max, v);
  }
  let sum = 0;
  for (let i = 0; i < d.length; i++) {
    if (d[i] < Number.EPSILON * max) d[i] = 0;
    sum += d[i];
  }
  for (let i = 0; i < d.length; i++) d[i] /= sum;
  return { width: n, height: n, data: d };
}

/** Box average of size f x f then subsampling `img(1:f:end, 1:f:end)` as Wang's `ssim.m`
 * (imfilter with 'symmetric' padding, MATLAB anchoring); keeps ceil(M/f) samples per axis. */
export function downsampleBoxMatlab(p: Plane, f: number, pad: PadMode = 'symmetric'): Plane {
  if (f <= 1) return p;
  const box = new Float64Array(f).fill(1 / f);
  const filtered = filterSeparable(p, box, box, 'same', pad);
  return subsample(filtered, f);
}

/** `img(1:f:end, 1:f:end)`: keeps samples 0, f, 2f, ... (ceil(M/f) per axis). */
export function subsample(p: Plane, f: number): Plane {
  const W = Math.ceil(p.width / f), H = Math.ceil(p.height / f);
  const out = new Float64Array(W * H);
  for (let y = 0; y < H; y++) for (let x = 0; x < W; x++) out[y * W + x] = p.data[y * f * p.width + x * f];
  return makePlane(W, H, out);
}

/** MATLAB's automatic scale `f = max(1, round(min(H, W) / 256))` with MATLAB rounding (conventions.md §1.4). */
export function autoDownsampleFactor(width: number, height: number): number {
  return Math.max(1, Math.round(Math.min(width, height) / 256));
}

/** Mean of a plane (pairwise-free Kahan-compensated sum for float64 accuracy). */
export function mean(p: Plane | Float64Array): number {
  const d = p instanceof Float64Array ? p : p.data;
  let s = 0, c = 0;
  for (let i = 0; i < d.length; i++) {
    const y = d[i] - c;
    const t = s + y;
    c = t - s - y;
    s = t;
  }
  return s / d.length;
}
