/**
 * Procedural, seeded test images and degradations for full-reference property tests (no third-party photos).
 * `scene(w, h, channels, seed)`: smooth gradients + edges + texture on 0..255 (rounded, like an 8-bit decode).
 * Degradations with a strength parameter: `blur` (Gaussian σ), `noise` (AWGN σ, seeded), `quantize` (JPEG-like
 * 8x8 block flattening towards the block mean by a fraction, plus level quantisation).
 */
import assert from 'node:assert/strict';
import { makeImage, type Image } from '../../src/tensor/image.js';
import { filterSeparable, gaussian1d } from '../../src/signal/filter.js';
import { rng } from './rng.js';
export { rng };


function gauss(r: () => number): number {
  const u = Math.max(r(), 1e-12), v = r();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
}

const clamp = (v: number) => Math.min(255, Math.max(0, Math.round(v)));

export function scene(w: number, h: number, channels: 1 | 3 = 3, seed = 1): Image {
  const r = rng(seed);
  const n = w * h;
  const data = new Float64Array(channels * n);
  const cx = w * (0.3 + 0.4 * r()), cy = h * (0.3 + 0.4 * r()), rad = Math.min(w, h) * 0.25;
  const tex = new Float64Array(n);
  for (let i = 0; i < n; i++) tex[i] = gauss(r);
  for (let c = 0; c < channels; c++) {
    const ph = c * 1.3;
    for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) {
      const i = y * w + x;
      let v = 60 + 120 * (x / w) + 40 * Math.sin(x / 9 + ph) * Math.cos(y / 13);
      if ((x - cx) ** 2 + (y - cy) ** 2 < rad * rad) v += 50 - 20 * c;
      if (((x >> 4) + (y >> 4)) % 2 === 0 && x > w / 2) v -= 30;
      v += 12 * tex[i];
      data[c * n + i] = clamp(v);
    }
  }
  return makeImage(w, h, channels, data);
}

function perChannel(img: Image, f: (p: Float64Array) => Float64Array): Image {
  const n = img.width * img.height;
  const out = new Float64Array(img.data.length);
  for (let c = 0; c < img.channels; c++) out.set(f(img.data.subarray(c * n, (c + 1) * n)), c * n);
  return makeImage(img.width, img.height, img.channels, out);
}

export function blur(img: Image, sigma: number): Image {
  if (sigma <= 0) return img;
  const g = gaussian1d(2 * Math.ceil(3 * sigma) + 1, sigma);
  return perChannel(img, (p) => filterSeparable({ width: img.width, height: img.height, data: p }, g, g, 'same', 'symmetric').data.map(clamp));
}

export function noise(img: Image, sigma: number, seed = 5): Image {
  const r = rng(seed);
  return perChannel(img, (p) => p.map((v) => clamp(v + sigma * gauss(r))));
}

/** JPEG-like: pull each 8x8 block towards its mean by `t` in [0,1] and quantise levels to steps of 1 + 30t. */
export function quantize(img: Image, t: number): Image {
  const w = img.width, h = img.height, q = 1 + 30 * t;
  return perChannel(img, (p) => {
    const out = new Float64Array(p.length);
    for (let by = 0; by < h; by += 8) for (let bx = 0; bx < w; bx += 8) {
      let s = 0, k = 0;
      for (let y = by; y < Math.min(h, by + 8); y++) for (let x = bx; x < Math.min(w, bx + 8); x++) { s += p[y * w + x]; k++; }
      const m = s / k;
      for (let y = by; y < Math.min(h, by + 8); y++) for (let x = bx; x < Math.min(w, bx + 8); x++) {
        const v = p[y * w + x] * (1 - t) + m * t;
        out[y * w + x] = clamp(Math.round(v / q) * q);
      }
    }
    return out;
  });
}

/** True when `xs` is strictly monotone in the given direction. */
export function monotone(xs: number[], dir: 'decreasing' | 'increasing'): boolean {
  for (let i = 1; i < xs.length; i++) if (dir === 'decreasing' ? !(xs[i] < xs[i - 1]) : !(xs[i] > xs[i - 1])) return false;
  return true;
}

/**
 * Asserts that `score(dist, ref)` moves strictly in `dir` along three ladders of growing degradation of `ref`: blur
 * σ 0.5, 1, 2, 3; noise σ 3, 8, 15, 30; JPEG-like t 0.2, 0.4, 0.6, 0.9.
 */
export async function assertMonotoneLadders(score: (dist: Image, ref: Image) => Promise<number>, ref: Image, dir: 'decreasing' | 'increasing', label = ''): Promise<void> {
  for (const [name, deg, levels] of [
    ['blur', (t: number) => blur(ref, t), [0.5, 1, 2, 3]],
    ['noise', (t: number) => noise(ref, t), [3, 8, 15, 30]],
    ['jpeg-like', (t: number) => quantize(ref, t), [0.2, 0.4, 0.6, 0.9]],
  ] as const) {
    const s: number[] = [];
    for (const t of levels) s.push(await score(deg(t), ref));
    assert.ok(monotone(s, dir), `${label ? `${label} ` : ''}${name}: ${s.join(', ')}`);
  }
}
