/** Synthetic images for training tests: random smooth-plus-edge textures, Gaussian-blurred at known levels. */
import { Rng } from '../../src/engine/rng.js';

export const SIZE = 16;

function gaussianBlur(img: Float32Array, n: number, sigma: number): Float32Array {
  if (sigma <= 0) return img;
  const r = Math.ceil(3 * sigma);
  const k = Array.from({ length: 2 * r + 1 }, (_, i) => Math.exp(-((i - r) ** 2) / (2 * sigma * sigma)));
  const s = k.reduce((a, b) => a + b);
  const tmp = new Float32Array(n * n);
  const out = new Float32Array(n * n);
  const at = (v: number) => Math.min(n - 1, Math.max(0, v)); // replicate borders
  for (let y = 0; y < n; y++)
    for (let x = 0; x < n; x++) {
      let a = 0;
      for (let i = -r; i <= r; i++) a += k[i + r] * img[y * n + at(x + i)];
      tmp[y * n + x] = a / s;
    }
  for (let y = 0; y < n; y++)
    for (let x = 0; x < n; x++) {
      let a = 0;
      for (let i = -r; i <= r; i++) a += k[i + r] * tmp[at(y + i) * n + x];
      out[y * n + x] = a / s;
    }
  return out;
}

/** A random texture: blocks of random grey levels plus noise, in [0, 1]. */
function texture(rng: Rng, n: number): Float32Array {
  const img = new Float32Array(n * n);
  const b = 2 + rng.int(3);
  const levels = Array.from({ length: Math.ceil(n / b) ** 2 }, () => rng.uniform());
  for (let y = 0; y < n; y++) for (let x = 0; x < n; x++) img[y * n + x] = 0.8 * levels[Math.floor(y / b) * Math.ceil(n / b) + Math.floor(x / b)] + 0.2 * rng.uniform();
  return img;
}

export const SIGMAS = [0, 0.6, 1.2, 1.8, 2.4];

/** `count` images [1, SIZE, SIZE] with blur level index in 0..4, from generator `seed`. */
export function blurSet(count: number, seed: number): { x: Float32Array; level: number[] } {
  const rng = new Rng(seed);
  const x = new Float32Array(count * SIZE * SIZE);
  const level: number[] = [];
  for (let i = 0; i < count; i++) {
    const l = rng.int(SIGMAS.length);
    x.set(gaussianBlur(texture(rng, SIZE), SIZE, SIGMAS[l]), i * SIZE * SIZE);
    level.push(l);
  }
  return { x, level };
}
