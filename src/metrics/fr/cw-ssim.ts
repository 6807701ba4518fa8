/**
 * CW-SSIM: M. P. Sampat, Z. Wang, S. Gupta, A. C. Bovik, M. K. Markey, "Complex Wavelet Structural Similarity: A
 * New Image Similarity Index", IEEE TIP 18(11), 2009 (eq. 5). Matches the authors' MATLAB `cwssim_index.m` with the
 * settings of pyiqa's calibration (`cwssim_index(img1, img2, 4, 8, 0, 0)`; conventions.md §2.5):
 * - grey = MATLAB `rgb2gray` rounded to uint8 (grey input as is), 0..255;
 * - complex steerable pyramid (`buildSCFpyr(img, level, or-1)`, src/signal/scf-pyramid.ts), level 4, 8
 *   orientations; only the bands of level 4 are compared; guardb = 0 (no border discarded), K = 0;
 * - per orientation: c = b1·conj(b2), v = |b1|² + |b2|²; 7x7 box sums ('valid'); map = (2|Σc| + K)/(Σv + K);
 *   the band score is the map weighted by `fspecial('gaussian', size - 7 + 1, rows/4)` (sums to 1);
 * - CW-SSIM = mean over the orientations.
 * Golden: pyiqa's official TID values to 4 decimals; `luma: 'ycbcr', roundY: false` (MATLAB rgb2ycbcr Y of double
 * input) reproduces pyiqa's 2022-era MATLAB values to 12 digits (I06 printed there as 1.0; we give 0.999976).
 * Options `level`, `orientations`, `K`, `guardb`, `luma` ('rgb2gray' | 'ycbcr' | 'yiq'). Returns the
 * orientation-averaged CW-SSIM map of the compared level (before the Gaussian weighting). Minimum size: the pyramid
 * needs floor(log2(min side)) - 2 >= level (64 px for level 4) and bands at least 7x7. Symmetric.
 */
import { assertMinSize, channel, makePlane, type Image, type Plane } from '../../tensor/image.js';
import { rgbToLumaBt601, rgbToYBt601Matlab } from '../../color/index.js';
import { lumaBoxDecimate, RGB2GRAY_WEIGHTS } from '../../signal/decimate.js';
import { maxScfLevels, scfBandsPair } from '../../signal/scf-pyramid.js';
import { expected } from '../../tensor/errors.js';
import { classicFR, type MetricEntry, type MetricOutput } from '../types.js';

export interface CwSsimOptions {
  /** Pyramid level compared (default 4). */
  level?: number;
  /** Number of orientations (default 8). */
  orientations?: number;
  /** Stabilising constant (default 0). */
  K?: number;
  /** Border pixels of the full-resolution image discarded (default 0); scaled by 2^(level-1). */
  guardb?: number;
  /** 'rgb2gray' (default, rounded), 'ycbcr' (MATLAB rgb2ycbcr Y, rounded when `roundY`), 'yiq'. */
  luma?: 'rgb2gray' | 'ycbcr' | 'yiq';
  /** Round the YCbCr / YIQ luma to integers (default true for 'ycbcr', false for 'yiq'). */
  roundY?: boolean;
}

/** MATLAB fspecial('gaussian', [m n], sigma) (row-major m x n), with its eps thresholding. */
export function fspecialGaussianRect(m: number, n: number, sigma: number): Float64Array {
  const h = new Float64Array(m * n);
  const cy = (m - 1) / 2, cx = (n - 1) / 2;
  let max = 0;
  for (let r = 0; r < m; r++) for (let c = 0; c < n; c++) {
    const v = Math.exp(-((c - cx) ** 2 + (r - cy) ** 2) / (2 * sigma * sigma));
    h[r * n + c] = v;
    if (v > max) max = v;
  }
  let s = 0;
  for (let i = 0; i < h.length; i++) {
    if (h[i] < Number.EPSILON * max) h[i] = 0;
    s += h[i];
  }
  for (let i = 0; i < h.length; i++) h[i] /= s;
  return h;
}

/** 'valid' k x k box sums of a plane (separable running sums). */
function boxSumValid(a: Float64Array, W: number, H: number, k: number): Float64Array {
  const Wo = W - k + 1, Ho = H - k + 1;
  const tmp = new Float64Array(H * Wo);
  for (let y = 0; y < H; y++) {
    const o = y * W;
    let s = 0;
    for (let x = 0; x < k; x++) s += a[o + x];
    tmp[y * Wo] = s;
    for (let x = 1; x < Wo; x++) {
      s += a[o + x + k - 1] - a[o + x - 1];
      tmp[y * Wo + x] = s;
    }
  }
  const out = new Float64Array(Ho * Wo);
  for (let x = 0; x < Wo; x++) {
    let s = 0;
    for (let y = 0; y < k; y++) s += tmp[y * Wo + x];
    out[x] = s;
    for (let y = 1; y < Ho; y++) {
      s += tmp[(y + k - 1) * Wo + x] - tmp[(y - 1) * Wo + x];
      out[y * Wo + x] = s;
    }
  }
  return out;
}

function cwLuma(img: Image, o: CwSsimOptions): Plane {
  if (img.channels === 1) return channel(img, 0);
  const luma = o.luma ?? 'rgb2gray';
  if (luma === 'ycbcr') return rgbToYBt601Matlab(img, { uint8: o.roundY ?? true });
  if (luma === 'yiq') {
    const p = rgbToLumaBt601(img);
    if (o.roundY) for (let i = 0; i < p.data.length; i++) p.data[i] = Math.round(p.data[i]);
    return p;
  }
  return lumaBoxDecimate(img, RGB2GRAY_WEIGHTS, 1, 'symmetric', true); // = rgb2grayMatlab(img), faster
}

export function cwSsim(dist: Image, ref: Image, opts: CwSsimOptions = {}): MetricOutput {
  const level = opts.level ?? 4, nor = opts.orientations ?? 8, K = opts.K ?? 0, guardb = opts.guardb ?? 0;
  const win = 7;
  const minSide = 2 ** (level + 2);
  assertMinSize('cw_ssim', ref, minSide);
  const a = cwLuma(dist, opts), b = cwLuma(ref, opts);
  if (maxScfLevels(a.width, a.height) < level) throw expected('cw_ssim', 'image size', `at least ${minSide}x${minSide} for level ${level}`, `${a.width}x${a.height}`, 'E_SIZE');
  const [b1, b2] = scfBandsPair(a, b, level, nor);
  const gb = Math.round(guardb / 2 ** (level - 1));
  const W0 = b1[0].width, H0 = b1[0].height;
  const W = W0 - 2 * gb, H = H0 - 2 * gb;
  if (W < win || H < win) throw expected('cw_ssim', 'image size', `level-${level} bands of at least ${win}x${win}`, `${W}x${H} (image ${a.width}x${a.height})`, 'E_SIZE');
  const Wo = W - win + 1, Ho = H - win + 1;
  const w = fspecialGaussianRect(Ho, Wo, H0 / 4);
  const mapSum = new Float64Array(Wo * Ho);
  let total = 0;
  const cr = new Float64Array(W * H), ci = new Float64Array(W * H), vr = new Float64Array(W * H);
  for (let o = 0; o < nor; o++) {
    const p = b1[o], q = b2[o];
    for (let r = 0; r < H; r++) for (let c = 0; c < W; c++) {
      const s = (r + gb) * W0 + c + gb, d = r * W + c;
      const xr = p.re[s], xi = p.im[s], yr = q.re[s], yi = q.im[s];
      // b1 .* conj(b2)
      cr[d] = xr * yr + xi * yi;
      ci[d] = xi * yr - xr * yi;
      vr[d] = xr * xr + xi * xi + yr * yr + yi * yi;
    }
    // filter2(ones(7)/49, ., 'valid'): the 1/49 cancels in the ratio when K = 0 but is kept for K > 0
    const sr = boxSumValid(cr, W, H, win), si = boxSumValid(ci, W, H, win), sv = boxSumValid(vr, W, H, win);
    const n = win * win;
    let acc = 0;
    for (let i = 0; i < sr.length; i++) {
      const m = (2 * Math.hypot(sr[i] / n, si[i] / n) + K) / (sv[i] / n + K);
      mapSum[i] += m / nor;
      acc += m * w[i];
    }
    total += acc;
  }
  return { score: total / nor, map: makePlane(Wo, Ho, mapSum) };
}

export const cwSsimEntries: readonly MetricEntry[] = [
  classicFR({ name: 'cw_ssim', lowerBetter: false, range: [0, 1], description: 'CW-SSIM as cwssim_index.m (level 4, 8 orientations, K = 0): complex steerable pyramid, rgb2gray' }, cwSsim, {} as CwSsimOptions),
];
