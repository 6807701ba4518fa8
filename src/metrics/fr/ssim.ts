/**
 * SSIM: Z. Wang, A. C. Bovik, H. R. Sheikh, E. P. Simoncelli, "Image quality assessment: from error visibility to
 * structural similarity", IEEE TIP 13(4), 2004, eq. 13 (mean of the local SSIM map, eq. 17).
 *
 * `ssim` matches Wang's MATLAB `ssim.m` (2009 release) exactly (conventions.md §2.3):
 * - grey = MATLAB `rgb2gray`, rounded to uint8 (grey input is used as is), 0..255 scale;
 * - automatic downsampling f = max(1, round(min(H, W)/256)) with MATLAB rounding (§1.4): `imfilter(img,
 *   ones(f)/f², 'symmetric', 'same')` with MATLAB's even-kernel anchoring (§1.5), then `img(1:f:end, 1:f:end)`;
 * - 11x11 Gaussian window, σ = 1.5, `filter2(..., 'valid')`; K1 = 0.01, K2 = 0.03, L = 255;
 * - the returned map is the 'valid' SSIM map on the (downsampled) grid; score = its mean.
 * Reproduces piq's "Output of ssim.m" on goldhill (0.8202), where ssim.js / @blazediff/ssim (Octave anchoring) give
 * 0.8388 (§7), and the ported MATLAB values 0.6423 / 0.9994 / 0.9997 / 0.9645 / 0.7617 on the TID pairs.
 *
 * Variants (separate names; every one is the same kernel with different conventions):
 * - `ssim_index`: Wang `ssim_index.m`, i.e. `ssim` without the automatic downsampling. This is what pyiqa's
 *   "official" TID values (0.6993 / 0.9978 / 0.9989 / 0.9669 / 0.6519) were computed with.
 * - `ssim_pyiqa`: pyiqa `ssim` defaults: Y of YIQ rounded half-to-even, no downsampling, ReLU on the cs map.
 * - `ssimc`: per-channel SSIM on R, G, B (each channel as `ssim.m`, with downsampling), averaged: pyiqa `ssimc`,
 *   piq's RGB default (piq I01: 0.7842 at atol 1e-2; the exact per-channel ssim.m value is 0.78196).
 * - `ssim_skimage`: scikit-image `structural_similarity` defaults: 7x7 uniform window, sample covariance
 *   (NP/(NP-1)), data_range 255, per-channel mean for RGB (channel_axis), mean over the valid region.
 * Options (any preset): `luma` ('rgb2gray' | 'yiq' | 'ycbcr' | 'rgb'), `downsample` (true = automatic, false, or a
 * factor), `window` ('gaussian' | 'uniform'), `winSize`, `sigma`, `k1`, `k2`, `dataRange`, `reluCs`,
 * `sampleCovariance`. `luma: 'ycbcr'` is MATLAB rgb2ycbcr's Y rounded to uint8. pyiqa's 2022-era MATLAB values
 * "ycbcr without downsample" (0.7326 / 0.9989 / 0.9995 / 0.9674 / 0.679) are reproduced to 4 decimals only by
 * `luma: 'ycbcr2022', downsample: false`: the BT.601 studio-range luma (65.481 R + 128.553 G + 24.966 B)/255
 * without the +16 offset and without rounding (inferred from the match; the rounded and offset forms miss by up to
 * 3e-3). The 2022 "unlabelled" block (0.6231 / 0.9246 / ...) matches no convention we tried (per-channel RGB with
 * downsampling gives 0.6253 / 0.9271 / 0.9891 / 0.9648 / 0.7316). Symmetric in its two arguments.
 */
import { channel, assertMinSize, type Image, type Plane } from '../../tensor/image.js';
import { rgbToLumaBt601, rgbToYBt601Matlab } from '../../color/index.js';
import { autoDownsampleFactor, gaussian1d } from '../../signal/filter.js';
import { boxDecimate, lumaBoxDecimate, RGB2GRAY_WEIGHTS } from '../../signal/decimate.js';
import { ssimCore } from '../../signal/ssim-core.js';
import { expected } from '../../tensor/errors.js';
import { classicFR, type MetricEntry, type MetricOutput } from '../types.js';

export type SsimLuma = 'rgb2gray' | 'yiq' | 'ycbcr' | 'ycbcr2022' | 'rgb';

export interface SsimOptions {
  /** Colour handling: one luma plane, or 'rgb' = SSIM per channel, averaged. Default 'rgb2gray' (rounded). */
  luma?: SsimLuma;
  /** true: ssim.m automatic factor; false: none; a number: that factor. Default true. */
  downsample?: boolean | number;
  /** 'gaussian' (default, σ = `sigma`) or 'uniform' (skimage default). */
  window?: 'gaussian' | 'uniform';
  /** Window side (default 11). */
  winSize?: number;
  /** Gaussian σ (default 1.5). */
  sigma?: number;
  k1?: number;
  k2?: number;
  /** L, the dynamic range (default 255: images are on the 0..255 scale). */
  dataRange?: number;
  /** pyiqa's ReLU on the contrast-structure map (default false). */
  reluCs?: boolean;
  /** skimage's sample covariance NP/(NP-1) (default false). */
  sampleCovariance?: boolean;
}

/** Luma plane(s) for a convention. Grey input is used as is for every luma. */
export function ssimPlanes(img: Image, luma: SsimLuma): Plane[] {
  if (img.channels === 1) return [channel(img, 0)];
  switch (luma) {
    case 'rgb2gray':
      return [lumaBoxDecimate(img, RGB2GRAY_WEIGHTS, 1, 'symmetric', true)]; // = rgb2grayMatlab(img), faster
    case 'yiq':
      return [rgbToLumaBt601(img, { round: true })];
    case 'ycbcr':
      return [rgbToYBt601Matlab(img, { uint8: true })];
    case 'ycbcr2022': {
      // (65.481 R + 128.553 G + 24.966 B)/255 = Y_ycbcr - 16, not rounded (see the header)
      const p = rgbToYBt601Matlab(img, { uint8: false });
      for (let i = 0; i < p.data.length; i++) p.data[i] -= 16;
      return [p];
    }
    case 'rgb':
      return [channel(img, 0), channel(img, 1), channel(img, 2)];
  }
}

export function ssimWindow(kind: 'gaussian' | 'uniform', n: number, sigma: number): Float64Array {
  return kind === 'uniform' ? new Float64Array(n).fill(1 / n) : gaussian1d(n, sigma);
}

function downsampleFactor(ref: { width: number; height: number }, ds: boolean | number): number {
  const f = ds === true ? autoDownsampleFactor(ref.width, ref.height) : ds === false ? 1 : ds;
  if (!Number.isInteger(f) || f < 1) throw expected('ssim', 'downsample', 'true, false or a positive integer', String(ds));
  return f;
}

/** SSIM of two planes (no colour handling): score and 'valid' map on the downsampled grid. */
export function ssimPlane(dist: Plane, ref: Plane, opts: SsimOptions = {}): MetricOutput {
  const n = opts.winSize ?? 11;
  const f = downsampleFactor(ref, opts.downsample ?? true);
  const x = boxDecimate(dist, f, 'symmetric'), y = boxDecimate(ref, f, 'symmetric');
  const L = opts.dataRange ?? 255;
  const k1 = opts.k1 ?? 0.01, k2 = opts.k2 ?? 0.03;
  const np = n * n;
  const r = ssimCore(x, y, {
    window: ssimWindow(opts.window ?? 'gaussian', n, opts.sigma ?? 1.5),
    c1: (k1 * L) ** 2,
    c2: (k2 * L) ** 2,
    reluCs: opts.reluCs ?? false,
    covNorm: opts.sampleCovariance ? np / (np - 1) : 1,
    wantMap: true,
  });
  return { score: r.mean, map: r.map! };
}

const RGB2GRAY = RGB2GRAY_WEIGHTS;

/** SSIM of two images under `opts` (defaults: Wang ssim.m). Argument order (distorted, reference). */
export function ssim(dist: Image, ref: Image, opts: SsimOptions = {}): MetricOutput {
  const n = opts.winSize ?? 11;
  assertMinSize('ssim', ref, n);
  const luma = opts.luma ?? 'rgb2gray';
  if (luma === 'rgb2gray' && ref.channels === 3) {
    // fast path: rounded rgb2gray fused with the downsampling (same numbers as rgb2grayMatlab + boxDecimate)
    const f = downsampleFactor(ref, opts.downsample ?? true);
    const x = lumaBoxDecimate(dist, RGB2GRAY, f, 'symmetric', true), y = lumaBoxDecimate(ref, RGB2GRAY, f, 'symmetric', true);
    return ssimPlane(x, y, { ...opts, downsample: false });
  }
  const a = ssimPlanes(dist, luma), b = ssimPlanes(ref, luma);
  if (a.length === 1) return ssimPlane(a[0], b[0], opts);
  // per channel, averaged (score and map)
  const outs = a.map((p, c) => ssimPlane(p, b[c], opts));
  const map = outs[0].map!;
  const data = Float64Array.from(map.data);
  for (let c = 1; c < outs.length; c++) {
    const d = outs[c].map!.data;
    for (let i = 0; i < data.length; i++) data[i] += d[i];
  }
  for (let i = 0; i < data.length; i++) data[i] /= outs.length;
  return { score: outs.reduce((s, o) => s + o.score, 0) / outs.length, map: { width: map.width, height: map.height, data } };
}

const range: [number, number] = [0, 1];
export const ssimEntries: readonly MetricEntry[] = [
  classicFR({ name: 'ssim', lowerBetter: false, range, description: "SSIM as Wang's ssim.m: rgb2gray, automatic downsampling (MATLAB anchoring), 11x11 Gaussian, valid" }, ssim, {} as SsimOptions),
  classicFR({ name: 'ssim_index', lowerBetter: false, range, description: "SSIM as Wang's ssim_index.m: ssim.m without automatic downsampling (pyiqa's official TID values)" }, ssim, { downsample: false } as SsimOptions),
  classicFR({ name: 'ssim_pyiqa', lowerBetter: false, range, description: 'SSIM with pyiqa defaults: rounded YIQ luma, no downsampling, ReLU on cs' }, ssim, { luma: 'yiq', downsample: false, reluCs: true } as SsimOptions),
  classicFR({ name: 'ssimc', lowerBetter: false, range, description: 'SSIM per RGB channel (ssim.m conventions, downsampling on), averaged (pyiqa ssimc, piq RGB)' }, ssim, { luma: 'rgb' } as SsimOptions),
  classicFR({ name: 'ssim_skimage', lowerBetter: false, range, description: 'SSIM with scikit-image structural_similarity defaults (7x7 uniform, sample covariance)' }, ssim, { luma: 'rgb', downsample: false, window: 'uniform', winSize: 7, sampleCovariance: true } as SsimOptions),
];
