/**
 * Colour conversions on unit-range planes ([0, 1]), with MATLAB's conventions because the KADID-10k generator
 * is MATLAB code: `rgb2lab`/`lab2rgb` (sRGB, D65 white), `rgb2hsv`/`hsv2rgb`, `rgb2ycbcr`/`ycbcr2rgb` (BT.601
 * studio range for double input), `rgb2gray`. Private to `src/data/synth` (the shared `src/color` module is being
 * written in parallel; swap when merged).
 */

export type Planes3 = [Float64Array, Float64Array, Float64Array];

// MATLAB whitepoint('d65').
const XN = 0.9504559270516716;
const ZN = 1.0890577507598784;

function srgbToLinearExact(v: number): number {
  return v <= 0.04045 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
}
function linearToSrgbExact(v: number): number {
  return v <= 0.0031308 ? 12.92 * v : 1.055 * v ** (1 / 2.4) - 0.055;
}
// Both transfer curves tabulated on [0, 1] (65536 steps, linear interpolation: error < 1e-6, far below
// one 8-bit code) because Math.pow dominates the cost of Lab conversions; outside [0, 1] the exact formula is used.
const LUT_N = 65536;
const toLinLut = new Float64Array(LUT_N + 2);
const toSrgbLut = new Float64Array(LUT_N + 2);
for (let i = 0; i <= LUT_N + 1; i++) {
  toLinLut[i] = srgbToLinearExact(i / LUT_N);
  toSrgbLut[i] = linearToSrgbExact(i / LUT_N);
}
function lut(table: Float64Array, v: number): number {
  const t = v * LUT_N;
  const i = Math.floor(t);
  return table[i] + (table[i + 1] - table[i]) * (t - i);
}
function srgbToLinear(v: number): number {
  return v >= 0 && v <= 1 ? lut(toLinLut, v) : srgbToLinearExact(v);
}
function linearToSrgb(v: number): number {
  return v >= 0 && v <= 1 ? lut(toSrgbLut, v) : linearToSrgbExact(v);
}
const EPS = 216 / 24389;
const KAPPA = 24389 / 27;
function fLab(t: number): number {
  return t > EPS ? Math.cbrt(t) : (KAPPA * t + 16) / 116;
}
function fLabInv(f: number): number {
  const f3 = f * f * f;
  return f3 > EPS ? f3 : (116 * f - 16) / KAPPA;
}

/** sRGB (unit range) to CIE L*a*b* (D65), as MATLAB `rgb2lab`. */
export function rgbToLab([r, g, b]: Planes3): Planes3 {
  const n = r.length;
  const L = new Float64Array(n);
  const A = new Float64Array(n);
  const B = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const rl = srgbToLinear(r[i]);
    const gl = srgbToLinear(g[i]);
    const bl = srgbToLinear(b[i]);
    const x = (0.4124564 * rl + 0.3575761 * gl + 0.1804375 * bl) / XN;
    const y = 0.2126729 * rl + 0.7151522 * gl + 0.072175 * bl;
    const z = (0.0193339 * rl + 0.119192 * gl + 0.9503041 * bl) / ZN;
    const fx = fLab(x);
    const fy = fLab(y);
    const fz = fLab(z);
    L[i] = 116 * fy - 16;
    A[i] = 500 * (fx - fy);
    B[i] = 200 * (fy - fz);
  }
  return [L, A, B];
}

/** CIE L*a*b* (D65) to sRGB, unclipped (callers truncate to [0, 1] as the KADID code does). */
export function labToRgb([L, A, B]: Planes3): Planes3 {
  const n = L.length;
  const r = new Float64Array(n);
  const g = new Float64Array(n);
  const b = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const fy = (L[i] + 16) / 116;
    const x = fLabInv(fy + A[i] / 500) * XN;
    const y = fLabInv(fy);
    const z = fLabInv(fy - B[i] / 200) * ZN;
    const rl = 3.2404542 * x - 1.5371385 * y - 0.4985314 * z;
    const gl = -0.969266 * x + 1.8760108 * y + 0.041556 * z;
    const bl = 0.0556434 * x - 0.2040259 * y + 1.0572252 * z;
    r[i] = linearToSrgb(Math.max(rl, 0));
    g[i] = linearToSrgb(Math.max(gl, 0));
    b[i] = linearToSrgb(Math.max(bl, 0));
  }
  return [r, g, b];
}

/** RGB to HSV, all in [0, 1] (hue as a fraction of a turn), as MATLAB `rgb2hsv`. */
export function rgbToHsv([r, g, b]: Planes3): Planes3 {
  const n = r.length;
  const H = new Float64Array(n);
  const S = new Float64Array(n);
  const V = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const mx = Math.max(r[i], g[i], b[i]);
    const mn = Math.min(r[i], g[i], b[i]);
    const d = mx - mn;
    V[i] = mx;
    S[i] = mx > 0 ? d / mx : 0;
    let h = 0;
    if (d > 0) {
      if (mx === r[i]) h = (g[i] - b[i]) / d;
      else if (mx === g[i]) h = 2 + (b[i] - r[i]) / d;
      else h = 4 + (r[i] - g[i]) / d;
      h /= 6;
      if (h < 0) h += 1;
    }
    H[i] = h;
  }
  return [H, S, V];
}

/** HSV to RGB (MATLAB `hsv2rgb`); the formula is applied as is for s outside [0, 1] (KADID uses s < 0). */
export function hsvToRgb([H, S, V]: Planes3): Planes3 {
  const n = H.length;
  const r = new Float64Array(n);
  const g = new Float64Array(n);
  const b = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const h6 = (H[i] % 1) * 6;
    const k = Math.floor(h6);
    const f = h6 - k;
    const v = V[i];
    const s = S[i];
    const p = v * (1 - s);
    const q = v * (1 - s * f);
    const t = v * (1 - s * (1 - f));
    const rgb = [
      [v, t, p],
      [q, v, p],
      [p, v, t],
      [p, q, v],
      [t, p, v],
      [v, p, q],
    ][k % 6];
    r[i] = rgb[0];
    g[i] = rgb[1];
    b[i] = rgb[2];
  }
  return [r, g, b];
}

/** RGB to Y'CbCr, MATLAB `rgb2ycbcr` for double input (Y in [16, 235]/255, Cb/Cr in [16, 240]/255). */
export function rgbToYcbcr([r, g, b]: Planes3): Planes3 {
  const n = r.length;
  const Y = new Float64Array(n);
  const Cb = new Float64Array(n);
  const Cr = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    Y[i] = (16 + 65.481 * r[i] + 128.553 * g[i] + 24.966 * b[i]) / 255;
    Cb[i] = (128 - 37.797 * r[i] - 74.203 * g[i] + 112.0 * b[i]) / 255;
    Cr[i] = (128 + 112.0 * r[i] - 93.786 * g[i] - 18.214 * b[i]) / 255;
  }
  return [Y, Cb, Cr];
}

/** Inverse of `rgbToYcbcr` (MATLAB `ycbcr2rgb`), unclipped. */
export function ycbcrToRgb([Y, Cb, Cr]: Planes3): Planes3 {
  const n = Y.length;
  const r = new Float64Array(n);
  const g = new Float64Array(n);
  const b = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const y = Y[i] * 255 - 16;
    const cb = Cb[i] * 255 - 128;
    const cr = Cr[i] * 255 - 128;
    r[i] = (298.082 * y + 408.583 * cr) / 256 / 255;
    g[i] = (298.082 * y - 100.291 * cb - 208.12 * cr) / 256 / 255;
    b[i] = (298.082 * y + 516.411 * cb) / 256 / 255;
  }
  return [r, g, b];
}

/** MATLAB `rgb2gray` weights. */
export function rgbToGray([r, g, b]: Planes3): Float64Array {
  const out = new Float64Array(r.length);
  for (let i = 0; i < r.length; i++) out[i] = 0.298936021293775 * r[i] + 0.587043074451121 * g[i] + 0.114020904255103 * b[i];
  return out;
}
