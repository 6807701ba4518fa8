/**
 * Pillow's `Image.resize` for 8-bit images (the algorithm of Pillow `src/libImaging/Resample.c`, re-implemented
 * from its description; no code copied), bit-exact on uint8 data:
 * - separable: a horizontal pass, then a vertical pass on its uint8 output (a pass is skipped when that axis keeps
 *   its size);
 * - per output sample i: scale = in / out, filterscale = max(scale, 1) (antialiasing when downscaling),
 *   support = filter support * filterscale, centre = (i + 0.5) * scale, taps xmin = trunc(centre - support + 0.5)
 *   to trunc(centre + support + 0.5) clipped to the image, weights filter((x + xmin - centre + 0.5) / filterscale)
 *   normalised to sum 1 (in double);
 * - fixed point: weights rounded half away from zero to integers at 2^PRECISION_BITS (PRECISION_BITS = 32 - 8 - 2
 *   = 22), accumulation starts at 2^(PRECISION_BITS - 1) (rounding), the result is shifted right by
 *   PRECISION_BITS and clipped to [0, 255] after each pass.
 * Filters: 'box' (support 0.5), 'bilinear' (triangle, support 1), 'bicubic' (Keys a = -0.5, support 2).
 * `pilCoefficients` (the double weights before fixed point) is also PyTorch's antialiased interpolation
 * (`F.interpolate(..., antialias=True)` follows the same rule, with a = -0.5 for bicubic).
 */
import { makeImage, type Image } from '../tensor/image.js';
import { expected } from '../tensor/errors.js';

export type PilFilter = 'box' | 'bilinear' | 'bicubic';

const CUBIC_A = -0.5;

/** Pillow's filter kernels and supports. */
export const PIL_FILTERS: Readonly<Record<PilFilter, { readonly support: number; readonly f: (x: number) => number }>> = {
  box: { support: 0.5, f: (x) => (x > -0.5 && x <= 0.5 ? 1 : 0) },
  bilinear: {
    support: 1,
    f: (x) => {
      const a = Math.abs(x);
      return a < 1 ? 1 - a : 0;
    },
  },
  bicubic: {
    support: 2,
    f: (x) => {
      const a = Math.abs(x);
      if (a < 1) return ((CUBIC_A + 2) * a - (CUBIC_A + 3)) * a * a + 1;
      if (a < 2) return (((a - 5) * a + 8) * a - 4) * CUBIC_A;
      return 0;
    },
  },
};

/** Per-output-sample taps: sample i reads `count[i]` inputs from `start[i]` with weights k[i * ksize + j]. */
export interface ResampleCoefficients {
  readonly outSize: number;
  readonly ksize: number;
  readonly start: Int32Array;
  readonly count: Int32Array;
  /** Normalised double weights, outSize * ksize (zeros past count). */
  readonly k: Float64Array;
}

/** Pillow `precompute_coeffs` rule for resampling `inSize` samples to `outSize` (whole range, no crop box). */
export function pilCoefficients(inSize: number, outSize: number, filter: PilFilter): ResampleCoefficients {
  if (!Number.isInteger(inSize) || !Number.isInteger(outSize) || inSize < 1 || outSize < 1) {
    throw expected('pilCoefficients', 'sizes', 'positive integers', `${inSize} -> ${outSize}`, 'E_SIZE');
  }
  const { support: base, f } = PIL_FILTERS[filter];
  const scale = inSize / outSize;
  const filterscale = Math.max(scale, 1);
  const support = base * filterscale;
  const ksize = Math.ceil(support) * 2 + 1;
  const ss = 1 / filterscale;
  const start = new Int32Array(outSize);
  const count = new Int32Array(outSize);
  const k = new Float64Array(outSize * ksize);
  for (let i = 0; i < outSize; i++) {
    const centre = (i + 0.5) * scale;
    // C (int) casts truncate towards zero
    const xmin = Math.max(Math.trunc(centre - support + 0.5), 0);
    const n = Math.min(Math.trunc(centre + support + 0.5), inSize) - xmin;
    let ww = 0;
    for (let x = 0; x < n; x++) {
      const w = f((x + xmin - centre + 0.5) * ss);
      k[i * ksize + x] = w;
      ww += w;
    }
    if (ww !== 0) for (let x = 0; x < n; x++) k[i * ksize + x] /= ww;
    start[i] = xmin;
    count[i] = n;
  }
  return { outSize, ksize, start, count, k };
}

const PRECISION_BITS = 32 - 8 - 2;
const ONE = 2 ** PRECISION_BITS;

/** Fixed-point weights (Pillow `normalize_coeffs_8bpc`: round half away from zero). */
function fixedPoint(c: ResampleCoefficients): Int32Array {
  return Int32Array.from(c.k, (v) => (v < 0 ? Math.trunc(-0.5 + v * ONE) : Math.trunc(0.5 + v * ONE)));
}

/** Pillow `clip8`: the accumulator >> PRECISION_BITS, clipped to [0, 255]. */
const clip8 = (acc: number): number => (acc <= 0 ? 0 : acc >= 256 * ONE ? 255 : Math.floor(acc / ONE));

/** One pass along rows (`horizontal`) or columns of a w x h uint8 plane. */
function pass(src: Uint8Array, w: number, h: number, c: ResampleCoefficients, horizontal: boolean): Uint8Array {
  const kk = fixedPoint(c);
  const ow = horizontal ? c.outSize : w;
  const oh = horizontal ? h : c.outSize;
  const out = new Uint8Array(ow * oh);
  const half = ONE / 2;
  for (let y = 0; y < oh; y++) {
    for (let x = 0; x < ow; x++) {
      const i = horizontal ? x : y;
      const s0 = c.start[i];
      const n = c.count[i];
      let acc = half;
      if (horizontal) for (let j = 0; j < n; j++) acc += src[y * w + s0 + j] * kk[i * c.ksize + j];
      else for (let j = 0; j < n; j++) acc += src[(s0 + j) * w + x] * kk[i * c.ksize + j];
      out[y * ow + x] = clip8(acc);
    }
  }
  return out;
}

/**
 * Pillow `Image.resize((outWidth, outHeight), filter)` on planar uint8 data (`channels` planes of width x height,
 * each resampled independently as Pillow does per band).
 */
export function pilResizeU8(src: Uint8Array, width: number, height: number, channels: number, outWidth: number, outHeight: number, filter: PilFilter = 'bilinear'): Uint8Array {
  if (src.length !== width * height * channels) throw expected('pilResizeU8', 'data length', `${channels}*${height}*${width}`, String(src.length), 'E_SIZE');
  const ch = width !== outWidth ? pilCoefficients(width, outWidth, filter) : null;
  const cv = height !== outHeight ? pilCoefficients(height, outHeight, filter) : null;
  const out = new Uint8Array(outWidth * outHeight * channels);
  for (let p = 0; p < channels; p++) {
    let plane = src.subarray(p * width * height, (p + 1) * width * height);
    if (ch) plane = pass(plane, width, height, ch, true);
    if (cv) plane = pass(plane, outWidth, height, cv, false);
    out.set(plane, p * outWidth * outHeight);
  }
  return out;
}

/**
 * `Image` version: samples are first rounded and clipped to uint8 (a Pillow 'RGB'/'L' image holds uint8), then
 * resized with `pilResizeU8`. The result holds integers 0..255.
 */
export function pilResize(img: Image, outWidth: number, outHeight: number, filter: PilFilter = 'bilinear'): Image {
  if (!Number.isInteger(outWidth) || !Number.isInteger(outHeight) || outWidth < 1 || outHeight < 1) {
    throw expected('pilResize', 'output size', 'positive integer width and height', `${outWidth}x${outHeight}`, 'E_SIZE');
  }
  const u8 = Uint8Array.from(img.data, (v) => Math.min(255, Math.max(0, Math.round(v))));
  const r = pilResizeU8(u8, img.width, img.height, img.channels, outWidth, outHeight, filter);
  return makeImage(outWidth, outHeight, img.channels, Float64Array.from(r));
}

/**
 * torchvision `resize(img, size)` with an int size: the shorter side becomes `size`, the longer
 * `int(size * long / short)` (truncated). Returns [width, height].
 */
export function shorterSideTo(width: number, height: number, size: number): [number, number] {
  if (width <= height) return [size, Math.trunc((size * height) / width)];
  return [Math.trunc((size * width) / height), size];
}
