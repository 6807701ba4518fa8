/**
 * VIFp: pixel-domain Visual Information Fidelity, multi-scale (Sheikh & Bovik, "Image information and visual
 * quality", IEEE TIP 15(2), 2006). Matches the LIVE release `vifp_mscale.m` (and piq `vif_p`, which follows it).
 * NOT the wavelet-domain VIF of `vifvec.m` (that is `vif`, conventions.md §2.8).
 *
 * Conventions that change numbers:
 * - luma: RGB -> Y = 0.299 R + 0.587 G + 0.114 B, NOT rounded, on 0..255 (piq; conventions.md §1.2); grey as is;
 * - 4 scales s = 1..4, Gaussian window N = 2^(5-s)+1 (17, 9, 5, 3), σ = N/5 (`fspecial('gaussian', N, N/5)`);
 * - for s > 1 both images are first filtered with that scale's window ('valid') and subsampled (1:2:end);
 * - local moments with `filter2(win, ·, 'valid')`; σn² = 2; eps = 1e-10 with the guards of `vifp_mscale.m`;
 * - VIFp = Σ log10(1 + g²σ1²/(σv² + σn²)) / Σ log10(1 + σ1²/σn²) over all scales and positions.
 * - Order matters: (distorted, reference); the reference's variance drives both information terms.
 * A constant reference (zero denominator, 0/0 in MATLAB) is an error. Minimum size 41x41 (the fourth scale needs a 3x3 'valid' window).
 */
import type { Image, Plane } from '../../tensor/image.js';
import { assertMinSize } from '../../tensor/image.js';
import { IqaError } from '../../tensor/errors.js';
import { rgbToLumaBt601 } from '../../color/index.js';
import { filterSeparable, gaussian1d, subsample } from '../../signal/filter.js';
import { classicFR, type MetricEntry, type MetricOutput } from '../types.js';

export interface VifpOptions {
  /** Noise variance of the HVS model (default 2, on the 0..255 scale). */
  sigmaNsq?: number;
}

export const VIFP_MIN_SIZE = 41;
const EPS = 1e-10;

/** Numerator and denominator sums of VIFp at one scale ('valid' moments with window `w`). */
function scaleTerms(ref: Plane, dist: Plane, w: Float64Array, sigmaNsq: number): [number, number] {
  const n = ref.data.length;
  const rr = new Float64Array(n), dd = new Float64Array(n), rd = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const a = ref.data[i], b = dist.data[i];
    rr[i] = a * a;
    dd[i] = b * b;
    rd[i] = a * b;
  }
  const f = (d: Float64Array) => filterSeparable({ width: ref.width, height: ref.height, data: d }, w, w, 'valid').data;
  const mu1 = f(ref.data), mu2 = f(dist.data), s11 = f(rr), s22 = f(dd), s12 = f(rd);
  let num = 0, den = 0;
  for (let i = 0; i < mu1.length; i++) {
    let sigma1Sq = s11[i] - mu1[i] * mu1[i];
    let sigma2Sq = s22[i] - mu2[i] * mu2[i];
    const sigma12 = s12[i] - mu1[i] * mu2[i];
    if (sigma1Sq < 0) sigma1Sq = 0;
    if (sigma2Sq < 0) sigma2Sq = 0;
    let g = sigma12 / (sigma1Sq + EPS);
    let svSq = sigma2Sq - g * sigma12;
    if (sigma1Sq < EPS) {
      g = 0;
      svSq = sigma2Sq;
      sigma1Sq = 0;
    }
    if (sigma2Sq < EPS) {
      g = 0;
      svSq = 0;
    }
    if (g < 0) {
      svSq = sigma2Sq;
      g = 0;
    }
    if (svSq <= EPS) svSq = EPS;
    num += Math.log10(1 + (g * g * sigma1Sq) / (svSq + sigmaNsq));
    den += Math.log10(1 + sigma1Sq / sigmaNsq);
  }
  return [num, den];
}

/** VIFp of `dist` against `ref` (higher is better, 1 for identical images). */
export function vifp(dist: Image, ref: Image, opts: VifpOptions = {}): MetricOutput {
  assertMinSize('vifp', ref, VIFP_MIN_SIZE);
  const sigmaNsq = opts.sigmaNsq ?? 2;
  let r: Plane = rgbToLumaBt601(ref), d: Plane = rgbToLumaBt601(dist);
  let num = 0, den = 0;
  for (let s = 1; s <= 4; s++) {
    const N = 2 ** (4 - s + 1) + 1;
    const w = gaussian1d(N, N / 5);
    if (s > 1) {
      r = subsample(filterSeparable(r, w, w, 'valid'), 2);
      d = subsample(filterSeparable(d, w, w, 'valid'), 2);
    }
    const [a, b] = scaleTerms(r, d, w, sigmaNsq);
    num += a;
    den += b;
  }
  if (!(den > 0)) {
    throw new IqaError('vifp: reference image: expected some local variance (VIFp is 0/0 otherwise), got a constant image', 'E_NUMERIC');
  }
  return { score: num / den };
}

export const vifpEntries: readonly MetricEntry[] = [
  classicFR(
    { name: 'vifp', lowerBetter: false, range: [0, 1], description: 'Pixel-domain multi-scale VIF (LIVE vifp_mscale.m; piq vif_p); not the wavelet VIF' },
    vifp,
    {} as VifpOptions,
  ),
];
