/**
 * NIQE: Natural Image Quality Evaluator. A. Mittal, R. Soundararajan, A. C. Bovik, "Making a 'Completely Blind'
 * Image Quality Analyzer", IEEE Signal Processing Letters 20(3), 2013. Matches the official LIVE `niqe_release`
 * (`computequality.m`, `computefeature.m`, `estimateaggdparam.m`); conventions.md §2.18:
 * - grey: MATLAB `rgb2gray` on the uint8 image (rounded); `luma: 'ycbcr'` uses Y of MATLAB `rgb2ycbcr`, rounded
 *   (BasicSR's convention, its baboon.png golden value 5.7296);
 * - the image is first cropped to whole 96x96 blocks (top-left kept), then per scale: MSCN with the 7x7 Gaussian
 *   (sigma 7/6, imfilter 'replicate', C = 1); per block (96 at scale 1, 48 at scale 2, no overlap) 18 features:
 *   AGGD fit of the MSCN (alpha, (bl + br)/2) and for the 4 circular-shift products (0,1), (1,0), (1,1), (1,-1)
 *   AGGD (alpha, mean, bl, br) with b = std·sqrt(Γ(1/α)/Γ(3/α)) (computefeature.m; not squared, unlike BRISQUE);
 * - second scale: MATLAB `imresize(im, 0.5)` (bicubic, antialiasing) of the cropped double image;
 * - distorted MVG over all blocks (nanmean/nancov); quality sqrt((mu_p - mu_d)' pinv((S_p + S_d)/2) (mu_p - mu_d)).
 * The official test-time code computes a per-block sharpness but does not use it; the sharpness selection
 * (blocks with mean sigma > 0.75·max) applies when fitting a pristine model (`fit/niqe.ts`, `estimatemodelparam.m`).
 * The distance map (`map`) is not defined by NIQE; none is returned.
 * Default model: the toolkit's own fit on shared pristine photos (models/niqe_toolkit.json); the official LIVE
 * model is selectable via `model` (see io/params.ts `loadNiqeModel`).
 * Measured with the LIVE model: BasicSR baboon.png (luma 'ycbcr') 5.729573884 vs MATLAB 5.72957338 (9e-8); TID
 * I04 (a grey image) to 1e-13; the other TID images 2e-5..1e-2 (the luma the reference run used is not recorded).
 * MATLAB's built-in `niqe` (the `niqe_matlab` values of conventions.md) uses MathWorks' own default model, which is
 * not available to us; its algorithm is this one, so it is reachable by passing that model, and no separate
 * registry name is provided.
 */
import { channel, makePlane, type Image, type Plane } from '../../tensor/image.js';
import { expected, IqaError } from '../../tensor/errors.js';
import { rgb2grayMatlab, rgbToYBt601Matlab, roundHalfAway } from '../../color/index.js';
import { imresize } from '../../signal/imresize.js';
import { fitAggd, gammaFn, mscn } from '../../signal/nss.js';
import { mahalanobis, nanCov, nanMean, pooledPinv, type FeatureRows } from '../../signal/mvg.js';
import { classicNR, type MetricEntry, type MetricOutput } from '../types.js';
import { defaultNiqeModel } from './default-models.js';

/** A pristine multivariate Gaussian: mean (d) and covariance (d x d, row-major); d = 36 for NIQE. */
export interface MvgModel {
  readonly mu: Float64Array;
  readonly cov: Float64Array;
  /** Patch size the model was fitted with (NIQE 96). */
  readonly patchSize?: number;
  /** Free text: where the model comes from. */
  readonly source?: string;
}

export type NiqeLuma = 'rgb2gray' | 'ycbcr';

export interface NiqeOptions {
  /** Pristine model (default: the toolkit's own fit, models/niqe_toolkit.json). */
  model?: MvgModel;
  /** Block size (default: the model's patchSize, else 96). */
  patchSize?: number;
  /** Luma of an RGB input (default 'rgb2gray', as the official code). */
  luma?: NiqeLuma;
}

const NIQE_SHIFTS: ReadonlyArray<readonly [number, number]> = [[0, 1], [1, 0], [1, 1], [1, -1]];

/** The grey plane NIQE works on: rounded to integers as MATLAB's uint8 conversion. */
export function niqeLuma(img: Image, luma: NiqeLuma = 'rgb2gray'): Plane {
  if (img.channels === 1) {
    const p = channel(img, 0);
    return makePlane(p.width, p.height, Float64Array.from(p.data, (v) => Math.min(255, Math.max(0, roundHalfAway(v)))));
  }
  if (luma === 'ycbcr') {
    const y = rgbToYBt601Matlab(img);
    for (let i = 0; i < y.data.length; i++) y.data[i] = roundHalfAway(y.data[i]);
    return y;
  }
  return rgb2grayMatlab(img, { uint8: true });
}

/** Top-left crop to w x h. */
export function cropPlane(p: Plane, w: number, h: number): Plane {
  if (w === p.width && h === p.height) return p;
  const out = new Float64Array(w * h);
  for (let y = 0; y < h; y++) out.set(p.data.subarray(y * p.width, y * p.width + w), y * w);
  return makePlane(w, h, out);
}

/** MATLAB `circshift(B, [dy dx])` of a b x b block: out(i, j) = B(i - dy, j - dx) (circular). */
function shiftedProducts(block: Float64Array, bw: number, bh: number, dy: number, dx: number, out: Float64Array): void {
  const x0 = Math.max(0, dx), x1 = Math.min(bw, bw + dx); // columns that need no wrap-around
  for (let y = 0; y < bh; y++) {
    const o = y * bw, so = ((y - dy + bh) % bh) * bw;
    for (let x = x0; x < x1; x++) out[o + x] = block[o + x] * block[so + x - dx];
    for (let x = 0; x < x0; x++) out[o + x] = block[o + x] * block[so + ((x - dx + bw) % bw)];
    for (let x = x1; x < bw; x++) out[o + x] = block[o + x] * block[so + ((x - dx + bw) % bw)];
  }
}

/** computefeature.m: the 18 NIQE features of one MSCN block. */
function blockFeatures(block: Float64Array, bw: number, bh: number, pair: Float64Array, out: Float64Array, off: number): void {
  const f0 = fitAggd(block);
  const k0 = Math.sqrt(gammaFn(1 / f0.alpha) / gammaFn(3 / f0.alpha));
  out[off] = f0.alpha;
  out[off + 1] = (f0.leftStd * k0 + f0.rightStd * k0) / 2;
  for (let s = 0; s < 4; s++) {
    shiftedProducts(block, bw, bh, NIQE_SHIFTS[s][0], NIQE_SHIFTS[s][1], pair);
    const f = fitAggd(pair);
    const k = Math.sqrt(gammaFn(1 / f.alpha) / gammaFn(3 / f.alpha));
    const bl = f.leftStd * k, br = f.rightStd * k;
    const o = off + 2 + 4 * s;
    out[o] = f.alpha;
    out[o + 1] = (br - bl) * (gammaFn(2 / f.alpha) / gammaFn(1 / f.alpha));
    out[o + 2] = bl;
    out[o + 3] = br;
  }
}

export interface NiqeBlockFeatures extends FeatureRows {
  /** Per block: mean local sigma at scale 1 (the official 'sharpness'), in the same block order. */
  readonly sharpness: Float64Array;
}

/**
 * The 36 NIQE features of every 'patchSize' block of a grey plane (blocks in column-major order as MATLAB blkproc),
 * and with `withSharpness` each block's sharpness (mean local sigma at scale 1; else zeros). Throws a clear error when the plane holds no whole block.
 */
export function niqeFeatures(grey: Plane, patchSize = 96, withSharpness = false): NiqeBlockFeatures {
  if (patchSize % 2 !== 0 || patchSize < 8) throw expected('niqe', 'patchSize', 'an even number >= 8', String(patchSize));
  const nbx = Math.floor(grey.width / patchSize), nby = Math.floor(grey.height / patchSize);
  if (nbx < 1 || nby < 1) {
    throw new IqaError(`niqe: image size: expected at least ${patchSize}x${patchSize} (one ${patchSize}x${patchSize} block), got ${grey.width}x${grey.height}`, 'E_SIZE');
  }
  let im = cropPlane(grey, nbx * patchSize, nby * patchSize);
  const n = nbx * nby, d = 36;
  const data = new Float64Array(n * d);
  const sharpness = new Float64Array(n);
  for (let scale = 1; scale <= 2; scale++) {
    const b = patchSize / scale;
    const needSigma = withSharpness && scale === 1;
    const { mscn: m, sigma } = mscn(im, { size: 7, sigma: 7 / 6, pad: 'replicate', withSigma: needSigma });
    const block = new Float64Array(b * b), pair = new Float64Array(b * b);
    let k = 0;
    for (let bx = 0; bx < nbx; bx++) for (let by = 0; by < nby; by++, k++) {
      let sh = 0;
      for (let y = 0; y < b; y++) {
        const row = (by * b + y) * im.width + bx * b;
        block.set(m.data.subarray(row, row + b), y * b);
        if (needSigma) for (let x = 0; x < b; x++) sh += sigma!.data[row + x];
      }
      if (needSigma) sharpness[k] = sh / (b * b);
      blockFeatures(block, b, b, pair, data, k * d + (scale - 1) * 18);
    }
    if (scale === 1) im = imresize(im, { scale: 0.5 });
  }
  return { n, d, data, sharpness };
}

/** NIQE of a plane that is already the grey image on 0..255. */
export function niqeOfPlane(grey: Plane, model: MvgModel, patchSize = model.patchSize ?? 96): number {
  const d = model.mu.length;
  if (d !== 36 || model.cov.length !== d * d) throw expected('niqe', 'model', 'mu of 36 and cov of 36x36', `mu ${d}, cov ${model.cov.length}`);
  const f = niqeFeatures(grey, patchSize);
  const mu = nanMean(f);
  const cov = nanCov(f);
  return mahalanobis(model.mu, mu, pooledPinv(model.cov, cov, d), d);
}

/** NIQE (lower is better). */
export function niqe(img: Image, opts: NiqeOptions = {}): MetricOutput {
  const model = opts.model ?? defaultNiqeModel();
  return { score: niqeOfPlane(niqeLuma(img, opts.luma), model, opts.patchSize ?? model.patchSize ?? 96) };
}

export const niqeEntries: readonly MetricEntry[] = [
  classicNR(
    {
      name: 'niqe',
      lowerBetter: true,
      range: [0, 100],
      description: 'NIQE (Mittal 2013), official LIVE algorithm; default model fitted by the toolkit (official LIVE model via `model`)',
    },
    niqe,
    {} as NiqeOptions,
  ),
];
