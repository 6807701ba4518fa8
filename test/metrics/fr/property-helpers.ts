/**
 * Procedural test images and seeded degradations for the metric property tests (identity, symmetry, monotonicity).
 * Everything is deterministic: a seed drives a small xorshift PRNG.
 */
import { makeImage, makePlane, channel, type Image } from '../../../src/tensor/image.js';
import { filterSeparable, gaussian1d } from '../../../src/signal/filter.js';
import { blockDct2, blockIdct2 } from '../../../src/signal/dct.js';

export function rng(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    return s / 4294967296;
  };
}

function gauss(r: () => number): number {
  const u = Math.max(r(), 1e-12), v = r();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
}

/** A natural-ish RGB test image: smooth colour gradients, discs, stripes and fine texture (integers 0..255). */
export function testImage(width = 128, height = 96, seed = 7, channels: 1 | 3 = 3): Image {
  const r = rng(seed);
  const n = width * height;
  const data = new Float64Array(channels * n);
  const discs = Array.from({ length: 6 }, () => ({ x: r() * width, y: r() * height, rad: 6 + r() * 18, c: [r(), r(), r()] }));
  const tex = Float64Array.from({ length: n }, () => r() - 0.5);
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) {
    const i = y * width + x;
    for (let c = 0; c < channels; c++) {
      let v = 60 + 100 * (x / width) * (c === 0 ? 1 : 0.5) + 60 * (y / height) * (c === 2 ? 1 : 0.3);
      v += 25 * Math.sin((x + 2 * y) / (3 + c));
      for (const d of discs) if ((x - d.x) ** 2 + (y - d.y) ** 2 < d.rad * d.rad) v = 40 + 180 * d.c[c];
      v += 12 * tex[i];
      data[c * n + i] = Math.min(255, Math.max(0, Math.round(v)));
    }
  }
  return makeImage(width, height, channels, data);
}

function perChannel(img: Image, f: (p: Float64Array) => Float64Array): Image {
  const n = img.width * img.height, out = new Float64Array(img.data.length);
  for (let c = 0; c < img.channels; c++) out.set(f(channel(img, c).data), c * n);
  return makeImage(img.width, img.height, img.channels, out);
}

/** Gaussian blur (symmetric padding), not re-quantised. */
export function blur(img: Image, sigma: number): Image {
  const k = gaussian1d(2 * Math.ceil(3 * sigma) + 1, sigma);
  return perChannel(img, (d) => filterSeparable(makePlane(img.width, img.height, d), k, k, 'same', 'symmetric').data);
}

/** Additive white Gaussian noise of standard deviation `sigma`, rounded and clipped to 0..255. */
export function noise(img: Image, sigma: number, seed = 11): Image {
  const r = rng(seed);
  const out = img.data.map((v) => Math.min(255, Math.max(0, Math.round(v + sigma * gauss(r)))));
  return makeImage(img.width, img.height, img.channels, out);
}

/** JPEG-like degradation: 8×8 block DCT, uniform quantisation with step `q` (coarser for higher frequencies). */
export function jpegLike(img: Image, q: number): Image {
  return perChannel(img, (d) => {
    const c = blockDct2(makePlane(img.width, img.height, d)).data;
    for (let y = 0; y < img.height; y++) for (let x = 0; x < img.width; x++) {
      const step = q * (1 + ((x % 8) + (y % 8)) / 4);
      const i = y * img.width + x;
      c[i] = Math.round(c[i] / step) * step;
    }
    const back = blockIdct2(makePlane(img.width, img.height, c)).data;
    return back.map((v) => Math.min(255, Math.max(0, Math.round(v))));
  });
}

export const DEGRADATIONS: ReadonlyArray<{ name: string; levels: (img: Image) => Image[] }> = [
  { name: 'blur', levels: (img) => [0.7, 1.5, 3].map((s) => blur(img, s)) },
  { name: 'noise', levels: (img) => [4, 12, 30].map((s) => noise(img, s)) },
  { name: 'jpeg-like', levels: (img) => [4, 16, 48].map((q) => jpegLike(img, q)) },
];
