/**
 * Generated benchmark images (no third-party photos): a seeded procedural RGB scene (gradients, a disc, a
 * checkerboard, sinusoidal texture, noise) and a distorted copy (AWGN + JPEG-like 8x8 block flattening), 8-bit
 * values on the 0..255 scale like a decoded PNG.
 */
import { makeImage, type Image } from '../src/tensor/image.js';
import { rng } from '../test/helpers/rng.js';

const gauss = (r: () => number) => Math.sqrt(-2 * Math.log(Math.max(r(), 1e-12))) * Math.cos(2 * Math.PI * r());
const clamp = (v: number) => Math.min(255, Math.max(0, Math.round(v)));

export function benchPair(w: number, h: number, seed = 1): { ref: Image; dist: Image } {
  const r = rng(seed), n = w * h;
  const ref = new Float64Array(3 * n), dist = new Float64Array(3 * n);
  const cx = w * 0.4, cy = h * 0.55, rad = Math.min(w, h) * 0.22;
  for (let c = 0; c < 3; c++) {
    for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) {
      let v = 50 + 130 * (x / w) + 35 * Math.sin((x * 512) / w / 9 + c) * Math.cos((y * 512) / w / 13);
      if ((x - cx) ** 2 + (y - cy) ** 2 < rad * rad) v += 45 - 15 * c;
      if ((Math.floor((x * 512) / w / 16) + Math.floor((y * 512) / w / 16)) % 2 === 0 && x > w / 2) v -= 30;
      ref[c * n + y * w + x] = clamp(v + 8 * gauss(r));
    }
    // distorted: block flattening towards the 8x8 mean (JPEG-like) + AWGN
    for (let by = 0; by < h; by += 8) for (let bx = 0; bx < w; bx += 8) {
      let s = 0, k = 0;
      for (let y = by; y < Math.min(h, by + 8); y++) for (let x = bx; x < Math.min(w, bx + 8); x++) { s += ref[c * n + y * w + x]; k++; }
      const m = s / k;
      for (let y = by; y < Math.min(h, by + 8); y++) for (let x = bx; x < Math.min(w, bx + 8); x++) {
        const i = c * n + y * w + x;
        dist[i] = clamp(0.6 * ref[i] + 0.4 * m + 6 * gauss(r));
      }
    }
  }
  return { ref: makeImage(w, h, 3, ref), dist: makeImage(w, h, 3, dist) };
}

/** Interleaved RGBA bytes (what canvas/pixel libraries take). */
export function toRgba(img: Image): Uint8ClampedArray {
  const n = img.width * img.height, out = new Uint8ClampedArray(4 * n);
  for (let i = 0; i < n; i++) {
    out[4 * i] = img.data[i];
    out[4 * i + 1] = img.data[n + i];
    out[4 * i + 2] = img.data[2 * n + i];
    out[4 * i + 3] = 255;
  }
  return out;
}

/** Planar RGB bytes (the raw files handed to the PyTorch script). */
export function toPlanarBytes(img: Image): Uint8Array {
  return Uint8Array.from(img.data);
}
