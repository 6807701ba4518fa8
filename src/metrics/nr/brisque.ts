/**
 * BRISQUE: Blind/Referenceless Image Spatial QUality Evaluator. A. Mittal, A. K. Moorthy, A. C. Bovik,
 * "No-Reference Image Quality Assessment in the Spatial Domain", IEEE TIP 21(12), 2012. Matches the official LIVE
 * release (`brisquescore.m`, `brisque_feature.m`; conventions.md §2.20):
 * - grey: MATLAB `rgb2gray` of the uint8 image (rounded); grey input used as is;
 * - per scale: MSCN with the 7x7 Gaussian (sigma 7/6) via `filter2(.., 'same')` (zero padding), C = 1;
 *   GGD fit of the MSCN (alpha, sigma²) and for the circular-shift products (0,1), (1,0), (1,1), (-1,1) an AGGD fit
 *   (alpha, mean = (rstd - lstd)·Γ(2/α)/Γ(1/α)·sqrt(Γ(1/α)/Γ(3/α)), lstd², rstd²): 18 features per scale;
 * - second scale: MATLAB `imresize(im, 0.5)` (bicubic, antialiasing) of the whole image;
 * - regression: `svm-scale` to [lower, upper] with the model's feature range, then a libsvm epsilon-SVR with the
 *   RBF kernel: sum_i coef_i·exp(-γ‖sv_i − x‖²) − rho.
 * `quantize` (default true) reproduces the official file round trip exactly: features written with `%f`
 * (6 decimals), scaled features written by svm-scale with `%g` (6 significant digits), the prediction read back
 * from svm-predict's `%g` output. No model is bundled: load one from a path with `loadBrisqueModel` (io/params.ts),
 * e.g. the OpenCV LIVE model, or train one with `fitBrisque`.
 */
import { channel, makePlane, type Image, type Plane } from '../../tensor/image.js';
import { expected, IqaError } from '../../tensor/errors.js';
import { rgb2grayMatlab } from '../../color/index.js';
import { imresize } from '../../signal/imresize.js';
import { aggdFromSums, gammaFn, ggdFromSums, mscnRows } from '../../signal/nss.js';
import { classicNR, type MetricEntry, type MetricOutput } from '../types.js';
import { defaultBrisqueModel } from './default-models.js';

/** An epsilon-SVR with an RBF kernel: support vectors (n x d, row-major) and their coefficients. */
export interface SvrModel {
  readonly gamma: number;
  readonly rho: number;
  readonly d: number;
  readonly n: number;
  readonly sv: Float64Array;
  readonly coef: Float64Array;
}

export interface BrisqueModel {
  readonly svr: SvrModel;
  /** svm-scale feature scaling to [lower, upper] with per-feature min/max. */
  readonly scale: { readonly lower: number; readonly upper: number; readonly min: Float64Array; readonly max: Float64Array };
  readonly source?: string;
}

export interface BrisqueOptions {
  /** The regressor (required): `loadBrisqueModel(path)` or `fitBrisque(...)`. */
  model?: BrisqueModel;
  /** Emulate the official release's text round trip (%f features, %g scaled features and score). Default true. */
  quantize?: boolean;
}

export const BRISQUE_MIN_SIZE = 8;

/** Grey plane of the official code: rgb2gray of uint8 (rounded); a grey image as is. */
export function brisqueGrey(img: Image): Plane {
  if (img.channels === 1) return makePlane(img.width, img.height, Float64Array.from(channel(img, 0).data));
  return rgb2grayMatlab(img, { uint8: true });
}

/**
 * Sums of one MSCN row y into `acc`: Σx², Σ|x| of the GGD fit, then for each of the four circular-shift products
 * (0,1), (1,0), (1,1), (-1,1) the AGGD sums (Σ of squares and counts of the negative and positive products, Σ|p|).
 * `cur`, `up` (row y − 1, circular) and `dn` (row y + 1, circular) are offsets into `s`.
 */
function featureRow(s: Float64Array, W: number, cur: number, up: number, dn: number, acc: Float64Array): void {
  let g2 = acc[0], g1 = acc[1];
  let sl0 = acc[2], nl0 = acc[3], sr0 = acc[4], nr0 = acc[5], sa0 = acc[6];
  let sl1 = acc[7], nl1 = acc[8], sr1 = acc[9], nr1 = acc[10], sa1 = acc[11];
  let sl2 = acc[12], nl2 = acc[13], sr2 = acc[14], nr2 = acc[15], sa2 = acc[16];
  let sl3 = acc[17], nl3 = acc[18], sr3 = acc[19], nr3 = acc[20], sa3 = acc[21];
  for (let x = 0; x < W; x++) {
    const xl = x === 0 ? W - 1 : x - 1; // dx = 1, circular
    const v = s[cur + x];
    g2 += v * v;
    g1 += Math.abs(v);
    // branch-free (the signs are unpredictable); adding 0·p² keeps each sum exactly a separate pass's
    let p = v * s[cur + xl], q = p * p, neg = +(p < 0), pos = +(p > 0);
    sl0 += neg * q; nl0 += neg; sr0 += pos * q; nr0 += pos; sa0 += Math.abs(p);
    p = v * s[up + x]; q = p * p; neg = +(p < 0); pos = +(p > 0);
    sl1 += neg * q; nl1 += neg; sr1 += pos * q; nr1 += pos; sa1 += Math.abs(p);
    p = v * s[up + xl]; q = p * p; neg = +(p < 0); pos = +(p > 0);
    sl2 += neg * q; nl2 += neg; sr2 += pos * q; nr2 += pos; sa2 += Math.abs(p);
    p = v * s[dn + xl]; q = p * p; neg = +(p < 0); pos = +(p > 0);
    sl3 += neg * q; nl3 += neg; sr3 += pos * q; nr3 += pos; sa3 += Math.abs(p);
  }
  acc[0] = g2; acc[1] = g1;
  acc[2] = sl0; acc[3] = nl0; acc[4] = sr0; acc[5] = nr0; acc[6] = sa0;
  acc[7] = sl1; acc[8] = nl1; acc[9] = sr1; acc[10] = nr1; acc[11] = sa1;
  acc[12] = sl2; acc[13] = nl2; acc[14] = sr2; acc[15] = nr2; acc[16] = sa2;
  acc[17] = sl3; acc[18] = nl3; acc[19] = sr3; acc[20] = nr3; acc[21] = sa3;
}

/**
 * The 18 features of one scale, with the MSCN (7x7 Gaussian, sigma 7/6, zero padding, C = 1) streamed row by row
 * into a 5-row buffer instead of a full plane. Every sum is accumulated in row-major order, exactly as separate
 * whole-plane passes would (MATLAB's pair(:) is column-major: the sums are order-independent up to rounding). The
 * circular shifts pair row 0 with row H − 1, so row H − 1 is computed first and kept, as is row 0.
 */
function scaleFeatures(im: Plane, out: Float64Array, off: number): void {
  const W = im.width, H = im.height, n = W * H;
  const buf = new Float64Array(5 * W), acc = new Float64Array(22);
  const slot = (y: number): number => (y === H - 1 ? 4 : y === 0 ? 3 : y % 3) * W;
  const row = (y: number): void =>
    featureRow(buf, W, slot(y), slot(y === 0 ? H - 1 : y - 1), slot(y === H - 1 ? 0 : y + 1), acc);
  const order = new Int32Array(H);
  order[0] = H - 1;
  for (let i = 1; i < H; i++) order[i] = i - 1;
  let next = 0; // next feature row to accumulate (needs MSCN rows next − 1, next, next + 1)
  mscnRows(im, { size: 7, sigma: 7 / 6, pad: 'zero' }, {
    out: buf,
    sig: null,
    offset: slot,
    done: (y) => {
      if (y >= 1 && y < H - 1) row(next++); // row y − 1 now has both neighbours
    },
  }, order);
  while (next < H) row(next++);
  const g = ggdFromSums(acc[0], acc[1], n);
  out[off] = g.alpha;
  out[off + 1] = g.sigma * g.sigma;
  for (let k = 0; k < 4; k++) {
    const b = 2 + 5 * k;
    const a = aggdFromSums({ sl: acc[b], nl: acc[b + 1], sr: acc[b + 2], nr: acc[b + 3], sa: acc[b + 4], n });
    const c = Math.sqrt(gammaFn(1 / a.alpha)) / Math.sqrt(gammaFn(3 / a.alpha));
    const o = off + 2 + 4 * k;
    out[o] = a.alpha;
    out[o + 1] = (a.rightStd - a.leftStd) * (gammaFn(2 / a.alpha) / gammaFn(1 / a.alpha)) * c;
    out[o + 2] = a.leftStd * a.leftStd;
    out[o + 3] = a.rightStd * a.rightStd;
  }
}

/** The 36 BRISQUE features (brisque_feature.m) of a grey plane on 0..255. */
export function brisqueFeatures(grey: Plane): Float64Array {
  if (grey.width < BRISQUE_MIN_SIZE || grey.height < BRISQUE_MIN_SIZE) {
    throw new IqaError(`brisque: image size: expected at least ${BRISQUE_MIN_SIZE}x${BRISQUE_MIN_SIZE}, got ${grey.width}x${grey.height}`, 'E_SIZE');
  }
  const feat = new Float64Array(36);
  scaleFeatures(grey, feat, 0);
  scaleFeatures(imresize(grey, { scale: 0.5 }), feat, 18);
  return feat;
}

/** svm-scale of one feature vector (exact svm-scale rules: min -> lower, max -> upper, constant features kept 0). */
export function svmScale(f: ArrayLike<number>, s: BrisqueModel['scale'], quantize: boolean): Float64Array {
  const out = new Float64Array(f.length);
  for (let j = 0; j < f.length; j++) {
    const v = quantize ? Number(f[j].toFixed(6)) : f[j]; // brisquescore.m: fprintf('%d:%f ')
    const lo = s.min[j], hi = s.max[j];
    let r: number;
    if (lo === hi) r = 0;
    else if (v === lo) r = s.lower;
    else if (v === hi) r = s.upper;
    else r = s.lower + ((s.upper - s.lower) * (v - lo)) / (hi - lo);
    out[j] = quantize ? Number(r.toPrecision(6)) : r; // svm-scale: printf("%d:%g ")
  }
  return out;
}

/** libsvm RBF epsilon-SVR prediction: sum_i coef_i·exp(-γ‖sv_i − x‖²) − rho. */
export function svrPredict(m: SvrModel, x: ArrayLike<number>): number {
  let sum = 0;
  for (let i = 0; i < m.n; i++) {
    let d2 = 0;
    const o = i * m.d;
    for (let j = 0; j < m.d; j++) {
      const t = m.sv[o + j] - x[j];
      d2 += t * t;
    }
    sum += m.coef[i] * Math.exp(-m.gamma * d2);
  }
  return sum - m.rho;
}

/** BRISQUE score from the 36 features with a model. */
export function brisqueFromFeatures(feat: ArrayLike<number>, model: BrisqueModel, quantize = true): number {
  if (model.svr.d !== 36) throw expected('brisque', 'model dimension', '36', String(model.svr.d));
  const y = svrPredict(model.svr, svmScale(feat, model.scale, quantize));
  return quantize ? Number(y.toPrecision(6)) : y; // svm-predict output read back with MATLAB load
}

/** BRISQUE (lower is better). */
export function brisque(img: Image, opts: BrisqueOptions = {}): MetricOutput {
  const model = opts.model ?? defaultBrisqueModel(); // the toolkit's own SVR unless a model is given
  return { score: brisqueFromFeatures(brisqueFeatures(brisqueGrey(img)), model, opts.quantize ?? true) };
}

export const brisqueEntries: readonly MetricEntry[] = [
  classicNR(
    {
      name: 'brisque',
      lowerBetter: true,
      range: [0, 150],
      description: 'BRISQUE (Mittal 2012), official feature/scaling/SVR pipeline; default SVR: the toolkit\'s own (synthetic pseudo-DMOS 0..100); LIVE models by modelPath',
    },
    brisque,
    {} as BrisqueOptions,
  ),
];
