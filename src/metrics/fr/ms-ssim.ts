/**
 * MS-SSIM: Z. Wang, E. P. Simoncelli, A. C. Bovik, "Multi-scale structural similarity for image quality
 * assessment", Asilomar 2003 (eq. 7). Matches Wang's MATLAB `msssim.m` (conventions.md §2.4):
 * - grey = MATLAB `rgb2gray` rounded to uint8 (grey input as is), 0..255; no initial 256-based downsampling;
 * - 5 scales, weights [0.0448 0.2856 0.3001 0.2363 0.1333]; at each scale SSIM with the 11x11 σ = 1.5 Gaussian,
 *   'valid' filtering, K = [0.01 0.03], L = 255 (`ssim_index_new`), giving mean SSIM and mean cs;
 * - between scales `imfilter(img, ones(2)/4, 'symmetric', 'same')` then `img(1:2:end, 1:2:end)` (2x2 block means;
 *   odd sizes keep ceil(M/2), the last row averaged with itself);
 * - 'product': MS-SSIM = Π_{j<5} mcs_j^{w_j} · mssim_5^{w_5}; 'wtd_sum': Σ normalised weights × the same terms;
 * - minimum size: `msssim.m` requires min(H, W)/2^(levels-1) ≥ 11, i.e. 176 px for 5 scales (it returns -Inf
 *   below; we throw a clear error).
 * A negative mean cs (possible for anti-correlated images) has no real fractional power: `msssim.m` would give a
 * complex/NaN result; we clamp each mean at 0 (score 0) - documented deviation. `reluCs: true` instead clamps the cs
 * map per pixel as pyiqa does; with `luma: 'yiq'` it reproduces pyiqa's own ms_ssim values.
 * Golden (TID pairs): msssim.m port 0.6700 / 0.9996 / 0.9998 / 0.9565 / 0.8418 at 1e-4; pyiqa "official" column
 * 0.6733 / 0.9996 / 0.9998 / 0.9566 / 0.8462 only at 5e-3 (its producing script is unknown, §2.4).
 * No quality map (a multi-scale product has none). Symmetric.
 */
import { assertMinSize, type Image, type Plane } from '../../tensor/image.js';
import { gaussian1d } from '../../signal/filter.js';
import { boxDecimate } from '../../signal/decimate.js';
import { ssimCore } from '../../signal/ssim-core.js';
import { ssimPlanes, type SsimLuma } from './ssim.js';
import { expected } from '../../tensor/errors.js';
import { classicFR, type MetricEntry, type MetricOutput } from '../types.js';

export const MS_SSIM_WEIGHTS = [0.0448, 0.2856, 0.3001, 0.2363, 0.1333] as const;

export interface MsSsimOptions {
  /** Colour handling (as SSIM; default 'rgb2gray' rounded; 'rgb' averages per-channel scores). */
  luma?: SsimLuma;
  /** Scale weights (their count is the number of scales). */
  weights?: readonly number[];
  /** 'product' (default) or 'wtd_sum'. */
  method?: 'product' | 'wtd_sum';
  k1?: number;
  k2?: number;
  dataRange?: number;
  /** pyiqa's per-pixel ReLU on the cs map (default false). */
  reluCs?: boolean;
}

/** MS-SSIM of two grey planes; returns the score and the per-scale means. */
export function msSsimPlane(dist: Plane, ref: Plane, opts: MsSsimOptions = {}): { score: number; mssim: number[]; mcs: number[] } {
  const w = opts.weights ?? MS_SSIM_WEIGHTS;
  const levels = w.length;
  const L = opts.dataRange ?? 255;
  const c1 = ((opts.k1 ?? 0.01) * L) ** 2, c2 = ((opts.k2 ?? 0.03) * L) ** 2;
  const win = gaussian1d(11, 1.5);
  const minSide = 11 * 2 ** (levels - 1);
  if (Math.min(ref.width, ref.height) < minSide) {
    throw expected('ms_ssim', 'image size', `a short side of at least ${minSide} px for ${levels} scales`, `${ref.width}x${ref.height}`, 'E_SIZE');
  }
  const mssim: number[] = [], mcs: number[] = [];
  let x = dist, y = ref;
  for (let l = 0; l < levels; l++) {
    const r = ssimCore(x, y, { window: win, c1, c2, reluCs: opts.reluCs ?? false });
    mssim.push(r.mean);
    mcs.push(r.csMean);
    if (l < levels - 1) {
      x = boxDecimate(x, 2, 'symmetric');
      y = boxDecimate(y, 2, 'symmetric');
    }
  }
  const term = (l: number) => Math.max(0, l === levels - 1 ? mssim[l] : mcs[l]);
  let score: number;
  if ((opts.method ?? 'product') === 'product') {
    score = 1;
    for (let l = 0; l < levels; l++) score *= term(l) ** w[l];
  } else {
    const sw = w.reduce((a, b) => a + b, 0);
    score = 0;
    for (let l = 0; l < levels; l++) score += (w[l] / sw) * term(l);
  }
  return { score, mssim, mcs };
}

export function msSsim(dist: Image, ref: Image, opts: MsSsimOptions = {}): MetricOutput {
  assertMinSize('ms_ssim', ref, 11);
  const a = ssimPlanes(dist, opts.luma ?? 'rgb2gray'), b = ssimPlanes(ref, opts.luma ?? 'rgb2gray');
  let s = 0;
  for (let c = 0; c < a.length; c++) s += msSsimPlane(a[c], b[c], opts).score;
  return { score: s / a.length };
}

export const msSsimEntries: readonly MetricEntry[] = [
  classicFR({ name: 'ms_ssim', lowerBetter: false, range: [0, 1], description: "MS-SSIM as Wang's msssim.m: rgb2gray, 5 scales, valid 11x11 Gaussian, 2x2 symmetric box downsampling, product" }, msSsim, {} as MsSsimOptions),
];
