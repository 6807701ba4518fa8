/**
 * Fits a NIQE pristine model as the official `estimatemodelparam.m` (LIVE niqe_release): per image, the grey image
 * (rgb2gray, rounded) cropped to whole blocks, the 36 features of every block, and only the blocks whose mean local
 * sigma ('sharpness', scale 1) exceeds `sharpnessThreshold`·max over that image's blocks (0.75 in the release);
 * the model is nanmean/nancov over all kept blocks of all images.
 */
import type { Image } from '../../../tensor/image.js';
import { IqaError } from '../../../tensor/errors.js';
import { nanCov, nanMean } from '../../../signal/mvg.js';
import { niqeFeatures, niqeLuma, type MvgModel, type NiqeLuma } from '../niqe.js';

export interface FitNiqeOptions {
  /** Pristine images (any order; the result depends on the set only). */
  images: Iterable<Image> | AsyncIterable<Image>;
  patchSize?: number;
  /** Keep blocks with sharpness > threshold·max (default 0.75, as the release). */
  sharpnessThreshold?: number;
  luma?: NiqeLuma;
  /** Called after each image with the count so far and the blocks kept from it. */
  onImage?: (index: number, kept: number) => void;
}

export interface FitNiqeResult {
  model: MvgModel;
  images: number;
  blocks: number;
}

export async function fitNiqe(opts: FitNiqeOptions): Promise<FitNiqeResult> {
  const patchSize = opts.patchSize ?? 96, th = opts.sharpnessThreshold ?? 0.75;
  const rows: number[] = [];
  let nImages = 0;
  for await (const img of opts.images) {
    const f = niqeFeatures(niqeLuma(img, opts.luma), patchSize, true);
    let max = -Infinity;
    for (const s of f.sharpness) max = Math.max(max, s);
    let kept = 0;
    for (let b = 0; b < f.n; b++) if (f.sharpness[b] > th * max) {
      for (let j = 0; j < f.d; j++) rows.push(f.data[b * f.d + j]);
      kept++;
    }
    opts.onImage?.(nImages, kept);
    nImages++;
  }
  const n = rows.length / 36;
  if (n < 2) throw new IqaError(`fitNiqe: pristine blocks: expected at least 2 sharp ${patchSize}x${patchSize} blocks, got ${n}`, 'E_ARG');
  const x = { n, d: 36, data: Float64Array.from(rows) };
  return { model: { mu: nanMean(x), cov: nanCov(x), patchSize, source: `fitNiqe: ${nImages} images, ${n} blocks` }, images: nImages, blocks: n };
}
