/**
 * Colour conversions, each named after its standard, with the exact constants of the reference each one serves
 * (conventions.md §1.2). Input: an RGB `Image` (planar, 0..255). Output: planes on the 0..255 scale unless noted.
 */
import { channel, makePlane, type Image, type Plane } from '../tensor/image.js';
import { expected } from '../tensor/errors.js';

/** MATLAB `round`: half away from zero (JS Math.round rounds -2.5 to -2). */
export function roundHalfAway(x: number): number {
  return x < 0 ? -Math.round(-x) : Math.round(x);
}

/**
 * MATLAB's conversion of a double to uint8: round half away from zero, then clamp to [0, 255]; NaN stays NaN (as
 * `Math.min(255, Math.max(0, roundHalfAway(x)))`, which it equals for every double). Written with floor(x + 0.5),
 * which is exact for x >= 0.5 (below that the result is 0), because it is several times faster than Math.round
 * under V8 in the per-pixel loops.
 */
export function roundClampU8(x: number): number {
  return x < 0.5 ? 0 : x >= 255 ? 255 : Math.floor(x + 0.5);
}

/** Python/numpy/torch `round`: half to even. */
export function roundHalfEven(x: number): number {
  const r = Math.round(x);
  return Math.abs(x % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

function rgbPlanes(where: string, img: Image): [Float64Array, Float64Array, Float64Array] {
  if (img.channels !== 3) throw expected(where, 'channels', '3 (RGB)', String(img.channels));
  return [channel(img, 0).data, channel(img, 1).data, channel(img, 2).data];
}

/** Weighted sum of R, G, B (+ offset), optionally rounded as MATLAB's uint8 conversion (round, clamp). */
function linear(img: Image, wr: number, wg: number, wb: number, offset = 0, roundToUint8 = false): Plane {
  if (img.channels === 1) {
    // grey input is R = G = B: a luma (weights summing to 1, no offset) returns the grey value itself, as MATLAB's
    // rgb2gray does; any other transform (chroma, offsets) applies its weights to R = G = B
    const v = channel(img, 0).data;
    const sum = wr + wg + wb;
    if (Math.abs(sum - 1) < 1e-12 && offset === 0) return makePlane(img.width, img.height, Float64Array.from(v));
    const out = new Float64Array(v.length);
    for (let i = 0; i < v.length; i++) {
      const y = offset + sum * v[i];
      out[i] = roundToUint8 ? roundClampU8(y) : y;
    }
    return makePlane(img.width, img.height, out);
  }
  const [r, g, b] = rgbPlanes('color', img);
  const out = new Float64Array(r.length);
  for (let i = 0; i < out.length; i++) {
    const v = offset + wr * r[i] + wg * g[i] + wb * b[i];
    out[i] = roundToUint8 ? roundClampU8(v) : v;
  }
  return makePlane(img.width, img.height, out);
}

/**
 * MATLAB `rgb2gray` (Y = 0.298936021293775 R + 0.587043074451121 G + 0.114020904255103 B).
 * `uint8: true` (default) rounds and clamps like MATLAB on uint8 input; grey input is returned as is.
 */
export function rgb2grayMatlab(img: Image, opts: { uint8?: boolean } = {}): Plane {
  return linear(img, 0.298936021293775, 0.587043074451121, 0.114020904255103, 0, opts.uint8 ?? img.bitDepth === 8);
}

/** Y of YIQ / BT.601 luma (0.299, 0.587, 0.114); `round` rounds half-to-even like pyiqa's `to_y_channel(.., 255)`. */
export function rgbToLumaBt601(img: Image, opts: { round?: boolean } = {}): Plane {
  const p = linear(img, 0.299, 0.587, 0.114);
  if (opts.round) for (let i = 0; i < p.data.length; i++) p.data[i] = roundHalfEven(p.data[i]);
  return p;
}

/** Full YIQ (piq `rgb2yiq`): Y, I, Q planes on the 0..255 scale of the input. */
export function rgbToYiq(img: Image): [Plane, Plane, Plane] {
  return [
    linear(img, 0.299, 0.587, 0.114),
    linear(img, 0.5959, -0.2746, -0.3213),
    linear(img, 0.2115, -0.5227, 0.3112),
  ];
}

/**
 * YIQ with the 3-decimal chroma coefficients of Zhang's `FeatureSIM.m` and Reisenhofer's `HaarPSI.m`:
 * Y = .299R+.587G+.114B, I = .596R-.274G-.322B, Q = .211R-.523G+.312B (piq's `rgbToYiq` uses 4 decimals).
 */
export function rgbToYiqMatlab3(img: Image): [Plane, Plane, Plane] {
  return [linear(img, 0.299, 0.587, 0.114), linear(img, 0.596, -0.274, -0.322), linear(img, 0.211, -0.523, 0.312)];
}

/**
 * BT.601 Y'CbCr as MATLAB `rgb2ycbcr` (studio range: Y in [16, 235]).
 * With R, G, B on 0..255: Y = 16 + (65.481 R + 128.553 G + 24.966 B)/255. `uint8` rounds as MATLAB on uint8 input.
 */
export function rgbToYcbcrBt601(img: Image, opts: { uint8?: boolean } = {}): [Plane, Plane, Plane] {
  const u = opts.uint8 ?? false;
  if (img.channels === 1) throw expected('rgbToYcbcrBt601', 'channels', '3 (RGB)', '1');
  return [
    linear(img, 65.481 / 255, 128.553 / 255, 24.966 / 255, 16, u),
    linear(img, -37.797 / 255, -74.203 / 255, 112.0 / 255, 128, u),
    linear(img, 112.0 / 255, -93.786 / 255, -18.214 / 255, 128, u),
  ];
}

/** Y of MATLAB `rgb2ycbcr` only (the super-resolution PSNR-Y / BasicSR convention). */
export function rgbToYBt601Matlab(img: Image, opts: { uint8?: boolean } = {}): Plane {
  if (img.channels === 1) return linear(img, 1, 0, 0);
  return linear(img, 65.481 / 255, 128.553 / 255, 24.966 / 255, 16, opts.uint8 ?? false);
}

/** LMN opponent space of VSI (Zhang et al. 2014): L = .06R+.63G+.27B, M = .30R+.04G-.35B, N = .34R-.6G+.17B. */
export function rgbToLmnVsi(img: Image): [Plane, Plane, Plane] {
  return [linear(img, 0.06, 0.63, 0.27), linear(img, 0.3, 0.04, -0.35), linear(img, 0.34, -0.6, 0.17)];
}

/** LHM space of MDSI (Nafchi et al. 2016): L = .2989R+.587G+.114B, H = .3R+.04G-.35B, M = .34R-.6G+.17B. */
export function rgbToLhmMdsi(img: Image): [Plane, Plane, Plane] {
  return [linear(img, 0.2989, 0.587, 0.114), linear(img, 0.3, 0.04, -0.35), linear(img, 0.34, -0.6, 0.17)];
}

/**
 * CIELAB (D65 white, sRGB companding) as MATLAB `rgb2lab` defaults: L in [0,100], a/b unbounded.
 * Input RGB on 0..255.
 */
export function rgbToLab(img: Image): [Plane, Plane, Plane] {
  const [r, g, b] = rgbPlanes('rgbToLab', img);
  const n = r.length;
  const L = new Float64Array(n), A = new Float64Array(n), B = new Float64Array(n);
  const lin = (v: number) => {
    const c = v / 255;
    return c <= 0.04045 ? c / 12.92 : Math.pow((c + 0.055) / 1.055, 2.4);
  };
  const f = (t: number) => (t > 216 / 24389 ? Math.cbrt(t) : ((24389 / 27) * t + 16) / 116);
  const [xn, yn, zn] = [0.9504559270516716, 1, 1.0890577507598784]; // D65 whitepoint used by MATLAB whitepoint('d65')
  for (let i = 0; i < n; i++) {
    const R = lin(r[i]), G = lin(g[i]), Bl = lin(b[i]);
    const X = 0.4124564 * R + 0.3575761 * G + 0.1804375 * Bl;
    const Y = 0.2126729 * R + 0.7151522 * G + 0.072175 * Bl;
    const Z = 0.0193339 * R + 0.119192 * G + 0.9503041 * Bl;
    const fx = f(X / xn), fy = f(Y / yn), fz = f(Z / zn);
    L[i] = 116 * fy - 16;
    A[i] = 500 * (fx - fy);
    B[i] = 200 * (fy - fz);
  }
  const w = img.width, h = img.height;
  return [makePlane(w, h, L), makePlane(w, h, A), makePlane(w, h, B)];
}
