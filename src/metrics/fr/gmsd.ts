/**
 * GMSD: W. Xue, L. Zhang, X. Mou, A. C. Bovik, "Gradient Magnitude Similarity Deviation: A Highly Efficient
 * Perceptual Image Quality Index", IEEE TIP 23(2), 2014 (eqs. 4-8). Matches the authors' MATLAB `GMSD.m`
 * (conventions.md §2.9):
 * - grey on 0..255: MATLAB `rgb2gray` rounded to uint8 (the convention of pyiqa's official TID values); grey input
 *   as is. `luma: 'yiq'` = Y of YIQ not rounded (piq); `luma: 'ycbcr'` = MATLAB rgb2ycbcr Y, not rounded (pyiqa's
 *   2022-era MATLAB values);
 * - `conv2(Y, ones(2)/4, 'same')` (zero padding, window (i, i+1)) then `Y(1:2:end, 1:2:end)` (ceil(M/2) samples);
 * - Prewitt gradients dx = [1 0 -1; 1 0 -1; 1 0 -1]/3, dy = dxᵀ, `conv2(..., 'same')` with zero padding (the sign
 *   flip of convolution does not change magnitudes);
 * - GMS = (2·m_r·m_d + T)/(m_r² + m_d² + T), T = 170; GMSD = `std2(GMS)` (normalised by N-1; `std: 'population'`
 *   divides by N as piq does).
 * Golden: pyiqa's official TID values and piq's goldhill / I01 (`luma: 'yiq'`) MATLAB values to < 1e-9 relative
 * (piq's MATLAB values use std2's N-1, not piq's own N). pyiqa's 2022-era YCbCr values: I08 to 4e-14, the other
 * four within 9e-5 relative (cause unknown: not rounding, not the Y constants; possibly different image copies).
 * Returns the GMS map (on the downsampled grid; 1 = identical). Lower is better; 0 for identical images. Symmetric.
 */
import { channel, assertMinSize, type Image, type Plane } from '../../tensor/image.js';
import { makePlane } from '../../tensor/image.js';
import { rgb2grayMatlab, rgbToLumaBt601, rgbToYBt601Matlab } from '../../color/index.js';
import { boxDecimate, lumaBoxDecimate, RGB2GRAY_WEIGHTS } from '../../signal/decimate.js';

const RGB2GRAY = RGB2GRAY_WEIGHTS;
import { classicFR, type MetricEntry, type MetricOutput } from '../types.js';

export type GmsdLuma = 'rgb2gray' | 'yiq' | 'ycbcr';

export interface GmsdOptions {
  /** Grey conversion for RGB input (default 'rgb2gray', rounded). */
  luma?: GmsdLuma;
  /** Threshold T on the 0..255 scale (default 170). */
  t?: number;
  /** 'matlab' (std2, N-1; default) or 'population' (N, piq). */
  std?: 'matlab' | 'population';
}

export function gmsdLuma(img: Image, luma: GmsdLuma): Plane {
  if (img.channels === 1) return channel(img, 0);
  if (luma === 'yiq') return rgbToLumaBt601(img);
  if (luma === 'ycbcr') return rgbToYBt601Matlab(img, { uint8: false });
  return rgb2grayMatlab(img, { uint8: true });
}

/** Prewitt/3 gradient magnitude, `conv2(..., 'same')` with zero padding. */
export function prewittMagnitude(p: Plane): Plane {
  const W = p.width, H = p.height, s = p.data;
  const out = new Float64Array(W * H);
  const at = (y: number, x: number) => (y < 0 || y >= H || x < 0 || x >= W ? 0 : s[y * W + x]);
  for (let y = 0; y < H; y++) {
    const inner = y > 0 && y < H - 1;
    for (let x = 0; x < W; x++) {
      let gx: number, gy: number;
      if (inner && x > 0 && x < W - 1) {
        const u = (y - 1) * W + x, m = y * W + x, d = (y + 1) * W + x;
        gx = s[u - 1] + s[m - 1] + s[d - 1] - s[u + 1] - s[m + 1] - s[d + 1];
        gy = s[u - 1] + s[u] + s[u + 1] - s[d - 1] - s[d] - s[d + 1];
      } else {
        gx = at(y - 1, x - 1) + at(y, x - 1) + at(y + 1, x - 1) - at(y - 1, x + 1) - at(y, x + 1) - at(y + 1, x + 1);
        gy = at(y - 1, x - 1) + at(y - 1, x) + at(y - 1, x + 1) - at(y + 1, x - 1) - at(y + 1, x) - at(y + 1, x + 1);
      }
      gx /= 3;
      gy /= 3;
      out[y * W + x] = Math.sqrt(gx * gx + gy * gy);
    }
  }
  return makePlane(W, H, out);
}

/** Mean and standard deviation (N-1 when `sample`) of a plane, two-pass. */
export function meanStd(d: Float64Array, sample: boolean): [number, number] {
  let s = 0;
  for (let i = 0; i < d.length; i++) s += d[i];
  const m = s / d.length;
  let v = 0;
  for (let i = 0; i < d.length; i++) v += (d[i] - m) ** 2;
  return [m, Math.sqrt(v / (sample ? d.length - 1 : d.length))];
}

/** GMSD of two grey planes (0..255) already at the analysis scale. */
export function gmsMap(dist: Plane, ref: Plane, t: number): Plane {
  const a = prewittMagnitude(ref).data, b = prewittMagnitude(dist).data;
  const out = new Float64Array(a.length);
  for (let i = 0; i < a.length; i++) out[i] = (2 * a[i] * b[i] + t) / (a[i] * a[i] + b[i] * b[i] + t);
  return makePlane(dist.width, dist.height, out);
}

export function gmsd(dist: Image, ref: Image, opts: GmsdOptions = {}): MetricOutput {
  assertMinSize('gmsd', ref, 2);
  const luma = opts.luma ?? 'rgb2gray';
  const fused = luma === 'rgb2gray' && ref.channels === 3; // rounded rgb2gray fused with the 2x2 mean (same numbers)
  const y1 = fused ? lumaBoxDecimate(ref, RGB2GRAY, 2, 'zero', true) : boxDecimate(gmsdLuma(ref, luma), 2, 'zero');
  const y2 = fused ? lumaBoxDecimate(dist, RGB2GRAY, 2, 'zero', true) : boxDecimate(gmsdLuma(dist, luma), 2, 'zero');
  const map = gmsMap(y2, y1, opts.t ?? 170);
  return { score: meanStd(map.data, (opts.std ?? 'matlab') === 'matlab')[1], map };
}

export const gmsdEntries: readonly MetricEntry[] = [
  classicFR({ name: 'gmsd', lowerBetter: true, range: [0, 1], description: 'GMSD as the authors\' GMSD.m: rgb2gray, 2x2 mean + downsample, Prewitt, T = 170, std2 of the GMS map' }, gmsd, {} as GmsdOptions),
];
