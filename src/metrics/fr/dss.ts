/**
 * DSS: DCT subband similarity.
 * Paper: A. Balanov, A. Schwartz, Y. Moshe, N. Peleg, "Image Quality Assessment based on DCT Subband Similarity",
 * ICIP 2015.
 * Matches the authors' `dss_index.m` (Y. Moshe, SIPL Technion, v1.00, MATLAB File Exchange 53708), defaults
 * sigma = 1.55, C = [1000 300]. Conventions that change numbers (conventions.md §2.17):
 * - dss_index.m takes grey images; RGB input is converted with `luma`: 'rgb2gray' (default: MATLAB `rgb2gray` on
 *   uint8, i.e. rounded — how the MATLAB I01 value is obtained) or 'yiq' (Y = .299R+.587G+.114B, not rounded: piq);
 * - crop to multiples of 8 (top-left kept); 8×8 block DCT `D·B·Dᵀ` with `dctmtx(8)`;
 * - subband weights w(m,n) = exp(−((m−0.5)² + (n−0.5)²)/(2·1.55²)), m, n = 1..8, set to 0 below 0.01 (those
 *   subbands are skipped);
 * - per subband: local moments with `imfilter(·, fspecial('gaussian', 3, 1.5))` (zero padding, 'same'), negative
 *   variances clipped to 0; left term (2σxσy + C)/(σx² + σy² + C); the DC subband (C = 1000, AC C = 300) also
 *   multiplies by the pooled (σxy + C)/(σxσy + C);
 * - pooling: mean of the smallest round(0.05·N) values (MATLAB round), N = samples per subband;
 * - DSS = Σ sim(m,n)·w(m,n)/Σw.
 * Flat images: identical ones give 1 (the constants C keep every term defined).
 * Argument order (distorted, reference); symmetric. No quality map (the index is pooled per DCT subband).
 */
import type { Image, Plane } from '../../tensor/image.js';
import { channel, makePlane, assertMinSize } from '../../tensor/image.js';
import { rgb2grayMatlab, rgbToLumaBt601 } from '../../color/index.js';
import { filterSeparable, gaussian1d } from '../../signal/filter.js';
import { blockDct2 } from '../../signal/dct.js';
import { classicFR, type MetricEntry, type MetricOutput } from '../types.js';

export interface DssOptions {
  /** Conversion of RGB input to grey (default 'rgb2gray'). */
  luma?: 'rgb2gray' | 'yiq';
  /** Standard deviation of the subband weighting Gaussian (default 1.55). */
  sigma?: number;
}

const C_DC = 1000, C_AC = 300, PERCENTILE = 0.05, WEIGHT_THRESH = 1e-2;

function grey(img: Image, luma: 'rgb2gray' | 'yiq'): Plane {
  if (img.channels === 1) return channel(img, 0);
  if (luma === 'rgb2gray') return rgb2grayMatlab(img, { uint8: true });
  return rgbToLumaBt601(img); // YIQ Y, unrounded
}

/** Subband (m, n) (0-based) of a block-DCT plane: one coefficient per block. */
function subband(p: Plane, m: number, n: number): Plane {
  const W = p.width / 8, H = p.height / 8, out = new Float64Array(W * H);
  for (let y = 0; y < H; y++) for (let x = 0; x < W; x++) out[y * W + x] = p.data[(y * 8 + m) * p.width + x * 8 + n];
  return makePlane(W, H, out);
}

/** Mean of the k smallest values (sort ascending, as MATLAB `sort`). */
function meanOfLowest(a: Float64Array, k: number): number {
  const s = Float64Array.from(a).sort();
  let t = 0;
  for (let i = 0; i < k; i++) t += s[i];
  return t / k;
}

const G3 = gaussian1d(3, 1.5); // fspecial('gaussian', 3, 1.5) = G3ᵀ·G3

function subbandSimilarity(x: Plane, y: Plane, dc: boolean): number {
  const c = dc ? C_DC : C_AC;
  const f = (p: Float64Array) => filterSeparable(makePlane(x.width, x.height, p), G3, G3, 'same', 'zero').data;
  const n = x.data.length, xd = x.data, yd = y.data;
  const xx = new Float64Array(n), yy = new Float64Array(n), xy = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    xx[i] = xd[i] * xd[i];
    yy[i] = yd[i] * yd[i];
    xy[i] = xd[i] * yd[i];
  }
  const mu1 = f(xd), mu2 = f(yd), s11 = f(xx), s22 = f(yy);
  const left = new Float64Array(n);
  const sd = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const v1 = Math.max(s11[i] - mu1[i] * mu1[i], 0), v2 = Math.max(s22[i] - mu2[i] * mu2[i], 0);
    sd[i] = Math.sqrt(v1 * v2);
    left[i] = (2 * sd[i] + c) / (v1 + v2 + c);
  }
  const k = Math.round(PERCENTILE * n);
  let sim = meanOfLowest(left, k);
  if (dc) {
    const s12 = f(xy);
    const right = new Float64Array(n);
    for (let i = 0; i < n; i++) right[i] = (s12[i] - mu1[i] * mu2[i] + c) / (sd[i] + c);
    sim *= meanOfLowest(right, k);
  }
  return sim;
}

/** DSS (distorted, reference). */
export function dss(dist: Image, ref: Image, opts: DssOptions = {}): MetricOutput {
  // the 5 % pooling needs round(0.05·N) >= 1 samples per subband: at least 10 blocks; 32x32 gives 16
  assertMinSize('dss', ref, 32);
  const luma = opts.luma ?? 'rgb2gray', sigma = opts.sigma ?? 1.55;
  const crop = (p: Plane): Plane => {
    const W = 8 * Math.floor(p.width / 8), H = 8 * Math.floor(p.height / 8);
    if (W === p.width && H === p.height) return p;
    const out = new Float64Array(W * H);
    for (let y = 0; y < H; y++) out.set(p.data.subarray(y * p.width, y * p.width + W), y * W);
    return makePlane(W, H, out);
  };
  const d1 = blockDct2(crop(grey(dist, luma))), d2 = blockDct2(crop(grey(ref, luma)));
  let total = 0, wsum = 0;
  for (let m = 0; m < 8; m++) for (let n = 0; n < 8; n++) {
    const w = Math.exp(-((m + 0.5) ** 2 + (n + 0.5) ** 2) / (2 * sigma * sigma)); // (m+1 − 0.5) for 1-based m
    if (w < WEIGHT_THRESH) continue;
    wsum += w;
    total += w * subbandSimilarity(subband(d1, m, n), subband(d2, m, n), m === 0 && n === 0);
  }
  return { score: total / wsum };
}

export const dssEntries: readonly MetricEntry[] = [
  classicFR({ name: 'dss', lowerBetter: false, range: [0, 1], description: 'DSS, DCT subband similarity (dss_index.m, Balanov et al. 2015)' }, dss, {} as DssOptions),
];
