/**
 * MS-GMSD and MS-GMSDc: B. Zhang, P. V. Sander, A. Bermak, "Gradient magnitude similarity deviation on multiple
 * scales for color image quality assessment", ICASSP 2017. No MATLAB release; matches piq `multi_scale_gmsd`
 * (v0.8.0), the reference implementation (conventions.md §2.10):
 * - RGB -> YIQ (piq `rgb2yiq`, 0..255, not rounded); grey input is used as Y (MS-GMSDc needs RGB);
 * - 4 scales, weights [0.096 0.596 0.289 0.019]; scale 1 is full resolution; between scales a 2x2 mean with zero
 *   padding at the bottom/right of odd sides (window (i, i+1), ceil(M/2) samples - piq's pad + avg_pool2d);
 * - per scale: Prewitt/3 gradient magnitudes (zero 'same'), masked similarity
 *   GMS = (2·m_r·m_d − α·m_r·m_d + T)/(m_r² + m_d² − α·m_r·m_d + T), T = 170, α = 0.5, and
 *   GMSD_j = population standard deviation of the GMS map (piq divides by N);
 * - MS-GMSD = √(Σ_j w_j·GMSD_j²);
 * - MS-GMSDc: γ = 2/(1 + β2·exp(−β3·MS-GMSD)) − 1, score = γ·MS-GMSD + (1 − γ)·β1·RMSE_IQ with β1 = 0.01,
 *   β2 = 0.32, β3 = 15 and RMSE_IQ = √(MSE_I + MSE_Q) on the I, Q planes at the coarsest scale (as piq computes
 *   it after the scale loop).
 * Minimum size 2^scales + 1 = 17. Lower is better (0 for identical images). Returns the full-resolution GMS map.
 * Golden: none from MATLAB (§2.10); tested against piq run on generated images (test/fixtures/metrics/ms_gmsd_piq.json).
 * Symmetric.
 */
import { assertMinSize, channel, makePlane, type Image, type Plane } from '../../tensor/image.js';
import { rgbToYiq } from '../../color/index.js';
import { boxDecimate } from '../../signal/decimate.js';
import { expected } from '../../tensor/errors.js';
import { meanStd, prewittMagnitude } from './gmsd.js';
import { classicFR, type MetricEntry, type MetricOutput } from '../types.js';

export const MS_GMSD_WEIGHTS = [0.096, 0.596, 0.289, 0.019] as const;

export interface MsGmsdOptions {
  /** Scale weights (normalised to sum 1 when given, as piq). */
  weights?: readonly number[];
  /** Add the chromatic term (MS-GMSDc). */
  chromatic?: boolean;
  alpha?: number;
  beta1?: number;
  beta2?: number;
  beta3?: number;
  t?: number;
}

function maskedGms(dist: Plane, ref: Plane, t: number, alpha: number): Plane {
  const a = prewittMagnitude(dist).data, b = prewittMagnitude(ref).data;
  const out = new Float64Array(a.length);
  for (let i = 0; i < a.length; i++) {
    const ab = a[i] * b[i];
    out[i] = (2 * ab - alpha * ab + t) / (a[i] * a[i] + b[i] * b[i] - alpha * ab + t);
  }
  return makePlane(dist.width, dist.height, out);
}

export function msGmsd(dist: Image, ref: Image, opts: MsGmsdOptions = {}): MetricOutput {
  const w0 = opts.weights ?? MS_GMSD_WEIGHTS;
  const sw = opts.weights ? w0.reduce((s, v) => s + v, 0) : 1;
  const weights = w0.map((v) => v / sw);
  const scales = weights.length;
  const min = 2 ** scales + 1;
  assertMinSize(opts.chromatic ? 'ms_gmsdc' : 'ms_gmsd', ref, min);
  const t = opts.t ?? 170, alpha = opts.alpha ?? 0.5;
  if (opts.chromatic && ref.channels !== 3) throw expected('ms_gmsdc', 'channels', '3 (RGB: the chromatic term needs I and Q)', String(ref.channels));
  let x: Plane[] = dist.channels === 3 ? rgbToYiq(dist) : [channel(dist, 0)];
  let y: Plane[] = ref.channels === 3 ? rgbToYiq(ref) : [channel(ref, 0)];
  if (!opts.chromatic) {
    x = x.slice(0, 1);
    y = y.slice(0, 1);
  }
  let sum = 0;
  let map: Plane | undefined;
  for (let s = 0; s < scales; s++) {
    if (s > 0) {
      x = x.map((p) => boxDecimate(p, 2, 'zero'));
      y = y.map((p) => boxDecimate(p, 2, 'zero'));
    }
    const gms = maskedGms(x[0], y[0], t, alpha);
    if (s === 0) map = gms;
    const sd = meanStd(gms.data, false)[1];
    sum += weights[s] * sd * sd;
  }
  const ms = Math.sqrt(sum);
  if (!opts.chromatic) return { score: ms, map };
  let mse = 0;
  for (let c = 1; c < 3; c++) {
    const a = x[c].data, b = y[c].data;
    let e = 0;
    for (let i = 0; i < a.length; i++) e += (a[i] - b[i]) ** 2;
    mse += e / a.length;
  }
  const rmse = Math.sqrt(mse);
  const b1 = opts.beta1 ?? 0.01, b2 = opts.beta2 ?? 0.32, b3 = opts.beta3 ?? 15;
  const gamma = 2 / (1 + b2 * Math.exp(-b3 * ms)) - 1;
  return { score: gamma * ms + (1 - gamma) * b1 * rmse, map };
}

export const msGmsdEntries: readonly MetricEntry[] = [
  classicFR({ name: 'ms_gmsd', lowerBetter: true, range: [0, 1], description: 'MS-GMSD (Zhang et al. 2017) as piq multi_scale_gmsd: YIQ luma, 4 scales, masked GMS' }, msGmsd, {} as MsGmsdOptions),
  classicFR({ name: 'ms_gmsdc', lowerBetter: true, range: [0, 1], description: 'MS-GMSDc: MS-GMSD plus the chromatic (I, Q) RMSE term, as piq multi_scale_gmsd(chromatic=True)' }, msGmsd, { chromatic: true } as MsGmsdOptions),
];
