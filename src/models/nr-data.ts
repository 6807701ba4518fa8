/**
 * Crops and batches for the NR models (QFM-IQM, MFENet): ImageNet-normalised float32 CHW images, seeded random
 * crops (+ horizontal flip), test-time crop sets, and the targets some losses need. Pure (no file access).
 */
import type { Rng } from '../engine/rng.js';
import type { Image } from '../tensor/image.js';
import { expected } from '../tensor/errors.js';

const MEAN = [0.485, 0.456, 0.406];
const STD = [0.229, 0.224, 0.225];

/** A decoded image as ImageNet-normalised planar float32 [3, H, W]. */
export interface NormImage {
  readonly data: Float32Array;
  readonly height: number;
  readonly width: number;
}

export function normaliseImage(img: Image): NormImage {
  const n = img.width * img.height;
  const data = new Float32Array(3 * n);
  for (let c = 0; c < 3; c++) {
    const src = img.channels === 3 ? c * n : 0;
    for (let i = 0; i < n; i++) data[c * n + i] = (img.data[src + i] / 255 - MEAN[c]) / STD[c];
  }
  return { data, height: img.height, width: img.width };
}

/** Copies the crop at (top, left) of `img` into `out` at sample `b` of a [B, 3, s, s] batch. */
export function cropInto(img: NormImage, top: number, left: number, s: number, out: Float32Array, b: number, flip = false): void {
  if (img.height < s || img.width < s) throw expected('cropInto', 'image size', `at least ${s}x${s} (the model crop)`, `${img.height}x${img.width}`, 'E_SHAPE');
  const n = img.height * img.width;
  for (let c = 0; c < 3; c++)
    for (let y = 0; y < s; y++) {
      const row = c * n + (top + y) * img.width + left;
      const o = ((b * 3 + c) * s + y) * s;
      if (flip) for (let x = 0; x < s; x++) out[o + x] = img.data[row + s - 1 - x];
      else out.set(img.data.subarray(row, row + s), o);
    }
}

export function randomCrop(img: NormImage, s: number, rng: Rng, out: Float32Array, b: number, flip = true): void {
  cropInto(img, rng.int(img.height - s + 1), rng.int(img.width - s + 1), s, out, b, flip && rng.uniform() < 0.5);
}

/** `n` seeded random crop positions (DEIQT's test-time 10 crops), deterministic for a given seed. */
export function cropPositions(h: number, w: number, s: number, n: number, rng: Rng): [number, number][] {
  return Array.from({ length: n }, () => [rng.int(h - s + 1), rng.int(w - s + 1)] as [number, number]);
}

/**
 * Normalised Laplacian magnitude of the grey crop (MFENet high-frequency target, §4.6): |4p − N − S − E − W| / 4
 * on [0, 1] grey, replicate border, into [B, 1, s, s] at sample b. Grey from the de-normalised RGB (Rec. 601).
 */
export function laplacianTarget(x: Float32Array, b: number, s: number, out: Float32Array): void {
  const n = s * s;
  const g = new Float32Array(n);
  const wts = [0.299, 0.587, 0.114];
  for (let c = 0; c < 3; c++) for (let i = 0; i < n; i++) g[i] += wts[c] * (x[(b * 3 + c) * n + i] * STD[c] + MEAN[c]);
  const at = (y: number, xx: number) => g[Math.min(s - 1, Math.max(0, y)) * s + Math.min(s - 1, Math.max(0, xx))];
  for (let y = 0; y < s; y++) for (let xx = 0; xx < s; xx++) out[b * n + y * s + xx] = Math.abs(4 * at(y, xx) - at(y - 1, xx) - at(y + 1, xx) - at(y, xx - 1) - at(y, xx + 1)) / 4;
}
