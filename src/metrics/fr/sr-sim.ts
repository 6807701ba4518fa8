/**
 * SR-SIM: spectral residual based similarity, and its chromatic extension SR-SIMc.
 * Paper: L. Zhang, H. Li, "SR-SIM: A fast and high performance IQA index based on spectral residual", ICIP 2012.
 * Saliency: X. Hou, L. Zhang, "Saliency detection: a spectral residual approach", CVPR 2007.
 * `sr_sim` matches the authors' `SR_SIM.m` ("SR_SIM Index with automatic downsampling", Version 1.0).
 * Conventions that change numbers (conventions.md §2.16):
 * - luma Y = .299R + .587G + .114B on 0..255, not rounded (grey input used as is);
 * - pre-scaling F = max(1, round(min(H,W)/256)), `conv2(Y, ones(F)/F², 'same')` then `Y(1:F:end, 1:F:end)`;
 * - saliency per image: MATLAB `imresize(Y, 0.25)` (bicubic, antialiased; output ceil(0.25·M)); FFT; log-amplitude
 *   minus its 3×3 mean (`imfilter(·, fspecial('average', 3), 'replicate')`); |ifft2(exp(residual + i·phase))|²;
 *   `imfilter(·, fspecial('gaussian', [10 10], 3.8))` — an **even** 10×10 kernel, zero padding, MATLAB anchoring
 *   (4 rows/columns before, 5 after, §1.5); `mat2gray`; `imresize(·, [H W])` back (bicubic);
 * - Scharr gradient, conv2 'same'; C1 = 0.40, C2 = 225, α = 0.50;
 * - SR-SIM = Σ S_VS·S_G^α·VS_m / Σ VS_m, VS_m = max(VS1, VS2).
 * `sr_simc` (not in the MATLAB code; piq's chromatic extension): YIQ with piq's constants (I = .5959R − .2746G −
 * .3213B, Q = .2115R − .5227G + .3112B), I and Q pre-scaled like Y, T3 = T4 = 200, λ = 0.03, factor |S_I·S_Q|^λ
 * (abs form, as piq). Its only reference is piq's own regression value.
 * Flat (constant) images: NaN, as SR_SIM.m (log of a zero amplitude spectrum; all-zero saliency weights).
 * Argument order (distorted, reference); symmetric. Map: S·VS_m / mean(VS_m) at the pre-scaled size.
 */
import { rgbToYiq } from '../../color/index.js';
import type { Image, Plane } from '../../tensor/image.js';
import { channel, makePlane, assertMinSize } from '../../tensor/image.js';
import { autoDownsampleFactor, filter2, fspecialGaussian, kernel } from '../../signal/filter.js';
import { imresize } from '../../signal/imresize.js';
import { getFft2Plan } from '../../signal/fft.js';
import { downsampleConv2Same, mat2gray, scharrMagnitude } from '../../signal/conv2.js';
import { classicFR, type MetricEntry, type MetricOutput } from '../types.js';

export interface SrSimOptions {
  /** Pre-scaling factor; default MATLAB's automatic F = max(1, round(min(H,W)/256)). */
  downsample?: number;
  /** Size of the saliency blur (default 10, as SR_SIM.m; piq's test also uses 9). */
  gaussianSize?: number;
}

const C1 = 0.4, C2 = 225, ALPHA = 0.5, T3 = 200, T4 = 200, LAMBDA = 0.03;
const AVG3 = kernel(3, 3, new Array(9).fill(1 / 9));

/** SR_SIM.m's `spectralResidueSaliency`: saliency in [0, 1] at the input's size. */
export function spectralResidualSaliency(img: Plane, gaussianSize = 10): Plane {
  const small = imresize(img, { scale: 0.25 });
  const w = small.width, h = small.height, n = w * h;
  const re = new Float64Array(n), im = new Float64Array(n);
  const plan = getFft2Plan(w, h);
  plan.forwardReal(small.data, re, im);
  const logAmp = new Float64Array(n), phase = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    logAmp[i] = Math.log(Math.hypot(re[i], im[i]));
    phase[i] = Math.atan2(im[i], re[i]);
  }
  const avg = filter2(makePlane(w, h, logAmp), AVG3, 'same', 'replicate').data;
  for (let i = 0; i < n; i++) {
    const m = Math.exp(logAmp[i] - avg[i]);
    re[i] = m * Math.cos(phase[i]);
    im[i] = m * Math.sin(phase[i]);
  }
  plan.run(re, im, true);
  const sal = new Float64Array(n);
  for (let i = 0; i < n; i++) sal[i] = re[i] * re[i] + im[i] * im[i];
  const blurred = filter2(makePlane(w, h, sal), fspecialGaussian(gaussianSize, 3.8), 'same', 'zero');
  return imresize(mat2gray(blurred), { size: [img.height, img.width] });
}

/** Y, I, Q planes (piq's YIQ = src/color rgbToYiq); grey input gives its single plane. */
function yiqPiq(img: Image): Plane[] {
  return img.channels === 1 ? [makePlane(img.width, img.height, Float64Array.from(img.data))] : rgbToYiq(img);
}

const sim = (a: number, b: number, c: number) => (2 * a * b + c) / (a * a + b * b + c);

function srsimCore(dist: Image, ref: Image, chromatic: boolean, opts: SrSimOptions): MetricOutput {
  const where = chromatic ? 'sr_simc' : 'sr_sim';
  const f = opts.downsample ?? autoDownsampleFactor(ref.width, ref.height);
  // the 0.25 resize must leave at least 2x2 samples for a spectrum
  assertMinSize(where, { width: Math.ceil(ref.width / f), height: Math.ceil(ref.height / f) }, 8);
  const p1 = yiqPiq(ref).map((p) => downsampleConv2Same(p, f));
  const p2 = yiqPiq(dist).map((p) => downsampleConv2Same(p, f));
  const gs = opts.gaussianSize ?? 10;
  const vs1 = spectralResidualSaliency(p1[0], gs).data, vs2 = spectralResidualSaliency(p2[0], gs).data;
  const g1 = scharrMagnitude(p1[0]).data, g2 = scharrMagnitude(p2[0]).data;
  const useC = chromatic && p1.length === 3;
  const n = vs1.length, map = new Float64Array(n);
  let num = 0, den = 0;
  for (let i = 0; i < n; i++) {
    const w = Math.max(vs1[i], vs2[i]);
    let s = sim(vs1[i], vs2[i], C1) * Math.pow(sim(g1[i], g2[i], C2), ALPHA) * w;
    if (useC) s *= Math.pow(Math.abs(sim(p1[1].data[i], p2[1].data[i], T3) * sim(p1[2].data[i], p2[2].data[i], T4)), LAMBDA);
    map[i] = s;
    num += s;
    den += w;
  }
  const mw = den / n;
  for (let i = 0; i < n; i++) map[i] /= mw;
  return { score: num / den, map: makePlane(p1[0].width, p1[0].height, map) };
}

/** SR-SIM (luminance), as SR_SIM.m. */
export function srSim(dist: Image, ref: Image, opts: SrSimOptions = {}): MetricOutput {
  return srsimCore(dist, ref, false, opts);
}

/** SR-SIMc (piq's chromatic extension); equals SR-SIM for grey input. */
export function srSimc(dist: Image, ref: Image, opts: SrSimOptions = {}): MetricOutput {
  return srsimCore(dist, ref, true, opts);
}

export const srSimEntries: readonly MetricEntry[] = [
  classicFR({ name: 'sr_sim', lowerBetter: false, range: [0, 1], description: 'SR-SIM, spectral residual saliency (SR_SIM.m, Zhang & Li 2012)' }, srSim, {} as SrSimOptions),
  classicFR({ name: 'sr_simc', lowerBetter: false, range: [0, 1], description: "SR-SIMc, SR-SIM with YIQ chroma (piq's chromatic extension)" }, srSimc, {} as SrSimOptions),
];
