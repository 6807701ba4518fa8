/**
 * Pixel preprocessing and crop plans shared by the learned models: normalisation of a 0..255 `Image` to float32
 * CHW (grey images repeated to 3 channels), square crops, the MANIQA five-point crop, and seeded random crops with
 * inclusive offsets (YOTO's official `randint(0, h - 224)` excluded the last offset: models.md §1.10 #10).
 */
import { Rng } from '../engine/rng.js';
import { expected } from '../tensor/errors.js';
import type { Image } from '../tensor/image.js';

export type Normalisation = 'half' | 'imagenet';

const IMAGENET = { mean: [0.485, 0.456, 0.406], std: [0.229, 0.224, 0.225] };

/** 0..255 -> float32 CHW, 3 channels: 'half' is (v/255 - 0.5)/0.5 (YOTO/MANIQA), 'imagenet' the torchvision mean/std. */
export function normalise(img: Image, how: Normalisation): Float32Array {
  const n = img.width * img.height;
  const out = new Float32Array(3 * n);
  for (let c = 0; c < 3; c++) {
    const src = img.channels === 3 ? c : 0;
    const [m, s] = how === 'half' ? [0.5, 0.5] : [IMAGENET.mean[c], IMAGENET.std[c]];
    for (let i = 0; i < n; i++) out[c * n + i] = (img.data[src * n + i] / 255 - m) / s;
  }
  return out;
}

export interface CropPos {
  top: number;
  left: number;
}

/** Copies a size x size crop at `p` of a CHW float32 image (3 channels) into `dst` at `offset`. */
export function cropInto(src: Float32Array, h: number, w: number, p: CropPos, size: number, dst: Float32Array, offset: number, hflip = false): void {
  for (let c = 0; c < 3; c++)
    for (let y = 0; y < size; y++) {
      const row = c * h * w + (p.top + y) * w + p.left;
      const o = offset + (c * size + y) * size;
      if (!hflip) dst.set(src.subarray(row, row + size), o);
      else for (let x = 0; x < size; x++) dst[o + x] = src[row + size - 1 - x];
    }
}

/**
 * `cropInto` of `normalise(img, how)` without normalising the whole image: the same values, bit for bit (the same
 * float64 expression rounded to float32), for the pixels of the crop only.
 */
export function cropNormalisedInto(img: Image, how: Normalisation, p: CropPos, size: number, dst: Float32Array, offset: number, hflip = false): void {
  const { width: w, height: h } = img;
  for (let c = 0; c < 3; c++) {
    const src = (img.channels === 3 ? c : 0) * h * w;
    const [m, s] = how === 'half' ? [0.5, 0.5] : [IMAGENET.mean[c], IMAGENET.std[c]];
    for (let y = 0; y < size; y++) {
      const row = src + (p.top + y) * w + p.left;
      const o = offset + (c * size + y) * size;
      for (let x = 0; x < size; x++) dst[o + x] = (img.data[row + (hflip ? size - 1 - x : x)] / 255 - m) / s;
    }
  }
}

export function assertCropFits(where: string, img: { width: number; height: number }, size: number): void {
  if (img.width < size || img.height < size) throw expected(where, 'image size', `at least ${size}x${size} (the crop size)`, `${img.width}x${img.height}`, 'E_SIZE');
}

/** MANIQA's five_point_crop: top-left, top-right, bottom-left, bottom-right, centre. */
export function fivePointCrops(h: number, w: number, size: number): CropPos[] {
  return [
    { top: 0, left: 0 },
    { top: 0, left: w - size },
    { top: h - size, left: 0 },
    { top: h - size, left: w - size },
    { top: Math.floor((h - size) / 2), left: Math.floor((w - size) / 2) },
  ];
}

/** `n` seeded random crop positions, offsets uniform in [0, h - size] inclusive. */
export function randomCrops(h: number, w: number, size: number, n: number, rng: Rng): CropPos[] {
  return Array.from({ length: n }, () => ({ top: Math.floor(rng.uniform() * (h - size + 1)), left: Math.floor(rng.uniform() * (w - size + 1)) }));
}

/** Crops of one normalised image stacked [n, 3, size, size]. */
export function stackCrops(src: Float32Array, h: number, w: number, ps: readonly CropPos[], size: number, flips?: readonly boolean[]): Float32Array {
  const out = new Float32Array(ps.length * 3 * size * size);
  ps.forEach((p, i) => cropInto(src, h, w, p, size, out, i * 3 * size * size, flips?.[i] ?? false));
  return out;
}

export { Rng };
