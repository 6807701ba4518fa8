/**
 * Fits an IL-NIQE template model as the authors' training script: per pristine image, the 468 features of every
 * 84x84 block (`ilniqeFeatures`); blocks kept when their sharpness (mean local sigma of O3 at scale 1) exceeds
 * `sharpnessThreshold`·max over that image and no feature is infinite (rows with NaN are dropped too: MATLAB's
 * `mean` would propagate them into the PCA); PCA of the kept rows keeping the floor(`reservedRatio`·min(468, n))
 * leading components (MyPCA.m: a fraction of the dimension, 0.92, i.e. 430 components for n >= 468 rows), unit
 * principal vectors; the pristine MVG (nanmean/nancov) of the projections.
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
  /** Fraction of min(featDim, rows) kept as principal components (default 0.92, as MyPCA.m). */
  reservedRatio?: number;
  onImage?: (index: number, kept: number) => void;
}

export interface FitIlNiqeResult {
  model: IlNiqeModel;
  images: number;
  blocks: number;
}

/** The kept pristine feature rows of a set of images (the slow part of a fit). */
export async function ilniqePristineRows(opts: Omit<FitIlNiqeOptions, 'reservedRatio'>): Promise<{ rows: Float64Array[]; images: number }> {
  const th = opts.sharpnessThreshold ?? 0.78;
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
  return { rows, images: nImages };
}

export async function fitIlNiqe(opts: FitIlNiqeOptions): Promise<FitIlNiqeResult> {
  const { rows, images: nImages } = await ilniqePristineRows(opts);
  const { model, blocks } = ilniqeModelFromRows(rows, opts.reservedRatio ?? 0.92);
  return { model: { ...model, source: `fitIlNiqe: ${nImages} images, ${blocks} blocks, ${model.k} components` }, images: nImages, blocks };
}

/** PCA + MVG of pristine feature rows (each 468 values), as the release's training script after feature extraction. */
export function ilniqeModelFromRows(rows: readonly Float64Array[], ratio = 0.92): { model: IlNiqeModel; blocks: number } {
  const D = ILNIQE_FEATURES;
  const n = rows.length;
  if (n < 2) throw new IqaError(`fitIlNiqe: pristine blocks: expected at least 2 sharp 84x84 blocks, got ${n}`, 'E_ARG');
  const mean = new Float64Array(D);
  for (const r of rows) for (let j = 0; j < D; j++) mean[j] += r[j] / n;
  // scatter matrix (its leading eigenvectors are MyPCA's normalised centred-data x Gram-eigenvectors)
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
  const k = Math.max(1, Math.floor(Math.min(D, n) * ratio));
  const pv = new Float64Array(D * k);
  for (let col = 0; col < k; col++) {
    const src = order[col][1];
    let norm = 0;
    for (let j = 0; j < D; j++) norm += vecs.get(j, src) ** 2;
    norm = Math.sqrt(norm);
    for (let j = 0; j < D; j++) pv[j * k + col] = vecs.get(j, src) / norm;
  }
  const partial: IlNiqeModel = { featDim: D, k, meanOfSampleData: mean, principleVectors: pv, mu: new Float64Array(k), cov: new Float64Array(k * k), infConst: 10000 };
  const flat = new Float64Array(n * D);
  rows.forEach((r, i) => flat.set(r, i * D));
  const proj = { n, d: k, data: ilniqeProject({ n, data: flat }, partial) };
  return { model: { ...partial, mu: nanMean(proj), cov: nanCov(proj) }, blocks: n };
}
