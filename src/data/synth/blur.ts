/**
 * KADID-10k blur distortions (types 1-3). Paper: H. Lin, V. Hosu, D. Saupe, "KADID-10k: A Large-scale Artificially
 * Distorted IQA Database", QoMEX 2019; parameters from its MATLAB generator (`imdist_generator.m`).
 */
import type { Image } from '../../tensor/image.js';
import { convolveSeparable, correlate2d, diskKernel, gaussianKernel1d, motionKernel } from './filter.js';
import { fromUnit, toUnit, type DistortionContext } from './unit.js';

/** Type 1, Gaussian blur: `imgaussfilt` with standard deviation `sigma` (pixels), replicate padding. */
export function gaussianBlur(img: Image, sigma: number): Image {
  const p = toUnit(img);
  const k = gaussianKernel1d(sigma);
  return fromUnit(p.map((q) => convolveSeparable(q, img.width, img.height, k, k)), img.width, img.height);
}

/** Type 2, lens blur: `fspecial('disk', radius)` pillbox, replicate padding. */
export function lensBlur(img: Image, radius: number): Image {
  const p = toUnit(img);
  const k = diskKernel(radius);
  return fromUnit(p.map((q) => correlate2d(q, img.width, img.height, k)), img.width, img.height);
}

/** Type 3, motion blur: `fspecial('motion', length, theta)` with a random direction theta in [0, 360). */
export function motionBlur(img: Image, length: number, ctx: DistortionContext): Image {
  const p = toUnit(img);
  const k = motionKernel(length, ctx.rng.uniform() * 360);
  return fromUnit(p.map((q) => correlate2d(q, img.width, img.height, k)), img.width, img.height);
}
