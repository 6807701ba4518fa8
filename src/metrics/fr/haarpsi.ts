/**
 * HaarPSI: Haar wavelet-based perceptual similarity index.
 * Paper: R. Reisenhofer, S. Bosse, G. Kutyniok, T. Wiegand, "A Haar wavelet-based perceptual similarity index for
 * image quality assessment", Signal Processing: Image Communication 61:33-43, 2018.
 * Matches the authors' `HaarPSI.m` (R. Reisenhofer, 08/05/2017) with preprocessWithSubsampling = 1.
 * Conventions that change numbers (conventions.md §2.14):
 * - YIQ with HaarPSI.m's own constants on 0..255: Y = .299R+.587G+.114B, I = .596R−.274G−.322B,
 *   Q = .211R−.523G+.312B; grey input: Y only (no chroma term);
 * - subsampling: `conv2(X, ones(2)/4, 'same')` then `X(1:2:end, 1:2:end)` (zero padding, MATLAB anchoring: each
 *   sample averages rows/cols p, p+1; odd sizes keep the last row/column averaged with zeros);
 * - Haar filters for scales k = 1..3: 2^−k·ones(2^k) with the top half negated, applied with `conv2(·, 'same')`
 *   (even kernels: window 2^(k−1) − 1 before and 2^(k−1) after), vertical and horizontal (transposed);
 * - local similarity per orientation: mean over scales 1–2 of (2|a||b| + C)/(a² + b² + C), C = 30;
 *   weights: max(|a|, |b|) at scale 3;
 * - chroma: |conv2(I or Q, ones(2)/4, 'same')| (stride 1), similarity (S_I + S_Q)/2 with C, weight = mean of the two
 *   luminance weights;
 * - HaarPSI = (logit(Σ σ(α·S)·W / Σ W)/α)², α = 4.2 (σ the logistic function).
 * Argument order (distorted, reference); symmetric. Flat images: the zero-padded borders give non-zero weights, so
 * identical flat images score 1; all-zero (black) images give NaN (0/0 weights), as HaarPSI.m.
 * Map: the per-pixel HaarPSI (logit(Σ_c σ(α·S_c)·W_c / Σ_c W_c)/α)² at the subsampled size (its mean is not the
 * score; the score pools before the logit).
 */
import { rgbToYiqMatlab3 } from '../../color/index.js';
import type { Image, Plane } from '../../tensor/image.js';
import { channel, makePlane, assertMinSize } from '../../tensor/image.js';
import { conv2SameSeparable, downsampleConv2Same } from '../../signal/conv2.js';
import { classicFR, type MetricEntry, type MetricOutput } from '../types.js';

export interface HaarPsiOptions {
  /** HaarPSI.m's preprocessWithSubsampling (default true). */
  subsample?: boolean;
}

const C = 30, ALPHA = 4.2, NSCALES = 3;

function yiqHaar(img: Image): Plane[] {
  if (img.channels === 1) return [makePlane(img.width, img.height, Float64Array.from(img.data))];
  return rgbToYiqMatlab3(img); // HaarPSI.m's YIQ
}

/** HaarPSIDec: |coefficients| for scales 1..3, [vertical(k) for k] then [horizontal(k) for k]. */
function haarDecAbs(x: Plane): Float64Array[] {
  const out: Float64Array[] = new Array(2 * NSCALES);
  for (let k = 1; k <= NSCALES; k++) {
    const len = 2 ** k, s = 2 ** -k;
    const ones = new Float64Array(len).fill(1);
    const haar = new Float64Array(len);
    for (let i = 0; i < len; i++) haar[i] = i < len / 2 ? -s : s;
    // haarFilter = haar(:) * ones(1, len): columns carry the sign (rows 1..len/2 negative)
    const v = conv2SameSeparable(x, ones, haar).data;
    const h = conv2SameSeparable(x, haar, ones).data; // haarFilter'
    for (let i = 0; i < v.length; i++) {
      v[i] = Math.abs(v[i]);
      h[i] = Math.abs(h[i]);
    }
    out[k - 1] = v;
    out[k - 1 + NSCALES] = h;
  }
  return out;
}

const sim = (a: number, b: number) => (2 * a * b + C) / (a * a + b * b + C);
const logistic = (x: number) => 1 / (1 + Math.exp(-ALPHA * x));
const logitInv = (x: number) => Math.log(x / (1 - x)) / ALPHA;

/** HaarPSI (distorted, reference). */
export function haarpsi(dist: Image, ref: Image, opts: HaarPsiOptions = {}): MetricOutput {
  const doSub = opts.subsample ?? true;
  // the coarsest Haar filter is 8 wide; with subsampling the image is halved first (piq's minimum 2^(3+1))
  const minSize = doSub ? 16 : 8;
  assertMinSize('haarpsi', ref, minSize);
  let p1 = yiqHaar(ref), p2 = yiqHaar(dist);
  if (doSub) {
    p1 = p1.map((p) => downsampleConv2Same(p, 2));
    p2 = p2.map((p) => downsampleConv2Same(p, 2));
  }
  const c1 = haarDecAbs(p1[0]), c2 = haarDecAbs(p2[0]);
  const color = p1.length === 3;
  const W = p1[0].width, H = p1[0].height, n = W * H;
  let chroma: [Float64Array, Float64Array, Float64Array, Float64Array] | null = null;
  if (color) {
    const q = new Float64Array([0.5, 0.5]);
    const box = (p: Plane) => {
      const d = conv2SameSeparable(p, q, q).data;
      for (let i = 0; i < d.length; i++) d[i] = Math.abs(d[i]);
      return d;
    };
    chroma = [box(p1[1]), box(p2[1]), box(p1[2]), box(p2[2])];
  }
  const map = new Float64Array(n);
  let num = 0, den = 0;
  for (let i = 0; i < n; i++) {
    let pixNum = 0, pixDen = 0, wsum = 0;
    for (let ori = 0; ori < 2; ori++) {
      const o = ori * NSCALES;
      const w = Math.max(c1[o + 2][i], c2[o + 2][i]);
      const s = (sim(c1[o][i], c2[o][i]) + sim(c1[o + 1][i], c2[o + 1][i])) / 2;
      pixNum += logistic(s) * w;
      pixDen += w;
      wsum += w;
    }
    if (chroma) {
      const s = (sim(chroma[0][i], chroma[1][i]) + sim(chroma[2][i], chroma[3][i])) / 2;
      const w = wsum / 2;
      pixNum += logistic(s) * w;
      pixDen += w;
    }
    num += pixNum;
    den += pixDen;
    map[i] = logitInv(pixNum / pixDen) ** 2;
  }
  return { score: logitInv(num / den) ** 2, map: makePlane(W, H, map) };
}

export const haarpsiEntries: readonly MetricEntry[] = [
  classicFR({ name: 'haarpsi', lowerBetter: false, range: [0, 1], description: 'HaarPSI (HaarPSI.m, Reisenhofer et al. 2018)' }, haarpsi, {} as HaarPsiOptions),
];
