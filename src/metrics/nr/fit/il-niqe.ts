/**
 * Fits an IL-NIQE template model as the authors' training script: per pristine image, the 468 features of every
 * 84x84 block (`ilniqeFeatures`); blocks kept when their sharpness (mean local sigma of O3 at scale 1) exceeds
 * `sharpnessThreshold`·max over that image and no feature is infinite (rows with NaN are dropped too: MATLAB's
 * `mean` would propagate them into the PCA); PCA of the kept rows keeping the leading components that explain
 * `reservedRatio` (0.92) of the variance (MyPCA.m); the pristine MVG (nanmean/nancov) of the projections.
 * Eigen-decomposition: ml-matrix `EigenvalueDecomposition` (symmetric case).
 */
import { EigenvalueDecomposition, Matrix } from 'ml-matrix';
import type { Image } from '../../../tensor/image.js';
import { IqaError } from '../../../tensor/errors.js';
import { nanCov, nanMean } from '../../../signal/mvg.js';
import { ilniqeFeatures, ilniqeProject, ILNIQE_FEATURES, type IlNiqeModel } from '../il-niqe.js';

export interface FitIlNiqeOptions {
  images: Iterable<Image> | AsyncIterable<Image>;
  /** Keep blocks with sharpness > threshold·max (default 0.78, the training script's sh_th with 84x84 blocks). */
  sharpnessThreshold?: number;
  /** Fraction of the variance the kept principal components explain (default 0.92). */
  reservedRatio?: number;
  onImage?: (index: number, kept: number) => void;
}

export interface FitIlNiqeResult {
  model: IlNiqeModel;
  images: number;
  blocks: number;
}

export async function fitIlNiqe(opts: FitIlNiqeOptions): Promise<FitIlNiqeResult> {
  const th = opts.sharpnessThreshold ?? 0.78, ratio = opts.reservedRatio ?? 0.92;
  const D = ILNIQE_FEATURES, rows: Float64Array[] = [];
  let nImages = 0;
  for await (const img of opts.images) {
    const f = ilniqeFeatures(img);
    let max = -Infinity;
    for (const s of f.sharpness) max = Math.max(max, s);
    let kept = 0;
    for (let b = 0; b < f.n; b++) {
      if (!(f.sharpness[b] > th * max)) continue;
      const r = f.data.subarray(b * D, (b + 1) * D);
      if (r.some((v) => !Number.isFinite(v))) continue;
      rows.push(Float64Array.from(r));
      kept++;
    }
    opts.onImage?.(nImages, kept);
    nImages++;
  }
  const n = rows.length;
  if (n < 2) throw new IqaError(`fitIlNiqe: pristine blocks: expected at least 2 sharp 84x84 blocks, got ${n}`, 'E_ARG');
  const mean = new Float64Array(D);
  for (const r of rows) for (let j = 0; j < D; j++) mean[j] += r[j] / n;
  // scatter matrix (MyPCA: removedMean * removedMean')
  const S = new Matrix(D, D);
  const c = new Float64Array(D);
  const acc = new Float64Array(D * D);
  for (const r of rows) {
    for (let j = 0; j < D; j++) c[j] = r[j] - mean[j];
    for (let a = 0; a < D; a++) {
      const ca = c[a];
      for (let b = a; b < D; b++) acc[a * D + b] += ca * c[b];
    }
  }
  for (let a = 0; a < D; a++) for (let b = a; b < D; b++) { S.set(a, b, acc[a * D + b]); S.set(b, a, acc[a * D + b]); }
  const eig = new EigenvalueDecomposition(S, { assumeSymmetric: true });
  const vals = eig.realEigenvalues, vecs = eig.eigenvectorMatrix;
  const order = vals.map((v, i) => [v, i] as const).sort((x, y) => y[0] - x[0]);
  const total = vals.reduce((s, v) => s + Math.max(v, 0), 0);
  let k = 0, cum = 0;
  while (k < order.length && cum / total < ratio) cum += Math.max(order[k++][0], 0);
  const pv = new Float64Array(D * k);
  for (let col = 0; col < k; col++) {
    const src = order[col][1];
    for (let j = 0; j < D; j++) pv[j * k + col] = vecs.get(j, src);
  }
  const partial: IlNiqeModel = { featDim: D, k, meanOfSampleData: mean, principleVectors: pv, mu: new Float64Array(k), cov: new Float64Array(k * k), infConst: 10000 };
  const flat = new Float64Array(n * D);
  rows.forEach((r, i) => flat.set(r, i * D));
  const proj = { n, d: k, data: ilniqeProject({ n, data: flat }, partial) };
  const model: IlNiqeModel = { ...partial, mu: nanMean(proj), cov: nanCov(proj), source: `fitIlNiqe: ${nImages} images, ${n} blocks, ${k} components` };
  return { model, images: nImages, blocks: n };
}
