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
 * Tone curve through (0, 0), the control values at equally spaced x (x = k/(m+1), k = 1..m) and (1, 1): the
 * interpolating polynomial of degree m+1, which is what MATLAB's not-a-knot `spline` gives for m <= 2 (m + 2 <= 4
 * points). Returns a 4096-entry lookup table over [0, 1] (input outside is clamped) for speed.
 */
export function toneCurve(control: readonly number[]): (v: number) => number {
  const xs = [0, ...control.map((_, k) => (k + 1) / (control.length + 1)), 1];
  const ys = [0, ...control, 1];
  const poly = (x: number): number => {
    let s = 0;
    for (let i = 0; i < xs.length; i++) {
      let l = 1;
      for (let j = 0; j < xs.length; j++) if (j !== i) l *= (x - xs[j]) / (xs[i] - xs[j]);
      s += ys[i] * l;
    }
    return s;
  };
  const N = 4096;
  const lut = new Float64Array(N + 1);
  for (let i = 0; i <= N; i++) lut[i] = poly(i / N);
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
