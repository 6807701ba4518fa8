/**
 * Shared plumbing of the distortions: `Image` (planar, 0..255) <-> unit-range RGB planes (the KADID MATLAB code
 * works on `im2double` images), MATLAB's `truncate`/`mapmm`, and the tone curve used by brighten, darken and
 * contrast change.
 */
import { makeImage, type Image } from '../../tensor/image.js';
import type { Planes3 } from './colourspace.js';
import type { Rng } from './rng.js';

/** What a distortion may use besides the image: its seeded random source and the codecs. */
export interface DistortionContext {
  readonly rng: Rng;
  readonly codecs?: Codecs;
}

/** Lossy codec round trips (encode then decode). JPEG needs a platform encoder (sharp in Node, see `src/io`). */
export interface Codecs {
  /** JPEG at `quality` (1..100, IJG scale), decoded back. */
  jpeg?(img: Image, quality: number): Promise<Image>;
  /** JPEG 2000 (Part 1, 9/7 irreversible) at a compression ratio (raw bytes / coded bytes), decoded back. */
  jp2k?(img: Image, ratio: number): Promise<Image>;
}

/** Unit-range RGB planes (copies); a grey image is replicated to three channels (all KADID types are colour). */
export function toUnit(img: Image): Planes3 {
  const n = img.width * img.height;
  const p: Float64Array[] = [];
  for (let c = 0; c < 3; c++) {
    const src = img.data.subarray((img.channels === 3 ? c : 0) * n, ((img.channels === 3 ? c : 0) + 1) * n);
    const d = new Float64Array(n);
    for (let i = 0; i < n; i++) d[i] = src[i] / 255;
    p.push(d);
  }
  return p as Planes3;
}

/** Unit-range planes back to a 3-channel 0..255 `Image`, truncated to [0, 1] first (MATLAB `truncate`). */
export function fromUnit(p: Planes3 | Float64Array[], width: number, height: number): Image {
  const n = width * height;
  const out = new Float64Array(3 * n);
  for (let c = 0; c < 3; c++) {
    const s = p[c];
    for (let i = 0; i < n; i++) {
      const v = s[i];
      out[c * n + i] = v <= 0 ? 0 : v >= 1 ? 255 : v * 255;
    }
  }
  return makeImage(width, height, 3, out, 8);
}

/** Clamps every sample of a plane to [lo, hi] in place. */
export function truncate(p: Float64Array, lo = 0, hi = 1): Float64Array {
  for (let i = 0; i < p.length; i++) p[i] = p[i] < lo ? lo : p[i] > hi ? hi : p[i];
  return p;
}

/** MATLAB-style `mapmm`: linear map of [min, max] onto [0, 1] in place (no-op for a constant plane). */
export function mapmm(p: Float64Array): Float64Array {
  let mn = Infinity;
  let mx = -Infinity;
  for (let i = 0; i < p.length; i++) {
    if (p[i] < mn) mn = p[i];
    if (p[i] > mx) mx = p[i];
  }
  if (mn < mx) for (let i = 0; i < p.length; i++) p[i] = (p[i] - mn) / (mx - mn);
  return p;
}

/**
 * MATLAB `spline(x, y)` for n >= 3 knots with not-a-knot ends: returns the slopes at the knots (cubic Hermite
 * form). n = 3 gives the parabola through the three points, as MATLAB does.
 */
function splineSlopes(x: readonly number[], y: readonly number[]): number[] {
  const n = x.length;
  const dx = x.slice(1).map((v, i) => v - x[i]);
  const dd = y.slice(1).map((v, i) => (v - y[i]) / dx[i]);
  if (n === 3) {
    // Parabola through the three points: slopes from its derivative.
    const c2 = (dd[1] - dd[0]) / (x[2] - x[0]);
    const c1 = dd[0] - c2 * dx[0];
    return x.map((xi) => c1 + 2 * c2 * (xi - x[0]));
  }
  // Tridiagonal system for the slopes s: interior rows dx_i s_{i-1} + 2(dx_{i-1} + dx_i) s_i + dx_{i-1} s_{i+1}
  // = 3(dx_i dd_{i-1} + dx_{i-1} dd_i); first and last rows are MATLAB's not-a-knot conditions.
  const A: number[][] = Array.from({ length: n }, () => new Array<number>(n).fill(0));
  const b = new Array<number>(n).fill(0);
  const x31 = x[2] - x[0];
  const xn = x[n - 1] - x[n - 3];
  A[0][0] = dx[1];
  A[0][1] = x31;
  b[0] = ((dx[0] + 2 * x31) * dx[1] * dd[0] + dx[0] * dx[0] * dd[1]) / x31;
  for (let i = 1; i < n - 1; i++) {
    A[i][i - 1] = dx[i];
    A[i][i] = 2 * (dx[i - 1] + dx[i]);
    A[i][i + 1] = dx[i - 1];
    b[i] = 3 * (dx[i] * dd[i - 1] + dx[i - 1] * dd[i]);
  }
  A[n - 1][n - 2] = xn;
  A[n - 1][n - 1] = dx[n - 3];
  b[n - 1] = (dx[n - 2] * dx[n - 2] * dd[n - 3] + (2 * xn + dx[n - 2]) * dx[n - 3] * dd[n - 2]) / xn;
  // Gaussian elimination with partial pivoting (n is tiny).
  for (let c = 0; c < n; c++) {
    let p = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(A[r][c]) > Math.abs(A[p][c])) p = r;
    [A[c], A[p]] = [A[p], A[c]];
    [b[c], b[p]] = [b[p], b[c]];
    for (let r = c + 1; r < n; r++) {
      const f = A[r][c] / A[c][c];
      for (let k = c; k < n; k++) A[r][k] -= f * A[c][k];
      b[r] -= f * b[c];
    }
  }
  const s = new Array<number>(n).fill(0);
  for (let r = n - 1; r >= 0; r--) {
    let v = b[r];
    for (let k = r + 1; k < n; k++) v -= A[r][k] * s[k];
    s[r] = v / A[r][r];
  }
  return s;
}

/**
 * The KADID generator's `curves(x, coef)`: MATLAB `spline` through (0, 0), the control points and (1, 1), clamped
 * to [0, 1]. One coefficient c: control (0.5, c). Two [c1, c2]: controls (0.3, c1), (0.5, 0.5), (0.7, c2).
 * Returned as a function backed by a 4096-step lookup table over [0, 1] (inputs clamped to [0, 1]).
 */
export function toneCurve(coef: number | readonly [number, number]): (v: number) => number {
  const xs = typeof coef === 'number' ? [0, 0.5, 1] : [0, 0.3, 0.5, 0.7, 1];
  const ys = typeof coef === 'number' ? [0, coef, 1] : [0, coef[0], 0.5, coef[1], 1];
  const sl = splineSlopes(xs, ys);
  const evalSpline = (x: number): number => {
    let k = 0;
    while (k < xs.length - 2 && x > xs[k + 1]) k++;
    const h = xs[k + 1] - xs[k];
    const t = (x - xs[k]) / h;
    const t2 = t * t;
    const t3 = t2 * t;
    return (2 * t3 - 3 * t2 + 1) * ys[k] + (t3 - 2 * t2 + t) * h * sl[k] + (-2 * t3 + 3 * t2) * ys[k + 1] + (t3 - t2) * h * sl[k + 1];
  };
  const N = 4096;
  const lut = new Float64Array(N + 1);
  for (let i = 0; i <= N; i++) lut[i] = Math.min(1, Math.max(0, evalSpline(i / N)));
  return (v: number) => {
    const t = (v <= 0 ? 0 : v >= 1 ? 1 : v) * N;
    const i = Math.floor(t);
    return i >= N ? lut[N] : lut[i] + (lut[i + 1] - lut[i]) * (t - i);
  };
}

/** Applies `f` to every sample of every plane, in place. */
export function mapPlanes(p: Float64Array[], f: (v: number) => number): void {
  for (const q of p) for (let i = 0; i < q.length; i++) q[i] = f(q[i]);
}
