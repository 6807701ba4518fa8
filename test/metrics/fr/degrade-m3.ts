/** Seeded procedural test image and degradations (blur, noise, JPEG-like DCT quantisation) for property tests. */
import { makeImage, type Image } from '../../../src/tensor/image.js';
import { filterSeparable, gaussian1d } from '../../../src/signal/filter.js';
import { rng } from '../../helpers/rng.js';
export { rng };


function gauss(r: () => number): number {
  return Math.sqrt(-2 * Math.log(1 - r())) * Math.cos(2 * Math.PI * r());
}

const round255 = (v: number) => Math.min(255, Math.max(0, Math.round(v)));

/** Smooth shading, a sinusoidal texture, a bright rectangle and a dark disc; integer values (uint8-like). */
export function testImage(w = 96, h = 96, seed = 1, channels: 1 | 3 = 1, texture = 25): Image {
  const r = rng(seed);
  const ph = r() * 6;
  const d = new Float64Array(w * h * channels);
  for (let c = 0; c < channels; c++) for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) {
    let v = 60 + (100 * x) / w + (40 * y) / h + texture * Math.sin(x / 3.1 + ph) * Math.cos(y / 4.3) + c * 10;
    if (x > w / 4 && x < w / 2 && y > h / 5 && y < h / 2) v += 60;
    if ((x - 0.7 * w) ** 2 + (y - 0.7 * h) ** 2 < (0.12 * w) ** 2) v -= 50;
    d[c * w * h + y * w + x] = round255(v);
  }
  return makeImage(w, h, channels, d);
}

export function blur(img: Image, sigma: number): Image {
  const k = gaussian1d(2 * Math.ceil(3 * sigma) + 1, sigma);
  const out = new Float64Array(img.data.length);
  const n = img.width * img.height;
  for (let c = 0; c < img.channels; c++) {
    const p = filterSeparable({ width: img.width, height: img.height, data: img.data.subarray(c * n, (c + 1) * n) }, k, k, 'same', 'symmetric');
    for (let i = 0; i < n; i++) out[c * n + i] = round255(p.data[i]);
  }
  return makeImage(img.width, img.height, img.channels, out);
}

export function noise(img: Image, sigma: number, seed = 2): Image {
  const r = rng(seed);
  return makeImage(img.width, img.height, img.channels, img.data.map((v) => round255(v + sigma * gauss(r))));
}

/** 8x8 block DCT-II, uniform quantisation with step q, inverse: a JPEG-like degradation (q=1 ~ lossless). */
export function jpegLike(img: Image, q: number): Image {
  const { width: w, height: h } = img;
  const C = new Float64Array(64);
  for (let k = 0; k < 8; k++) for (let n = 0; n < 8; n++) C[k * 8 + n] = (k === 0 ? Math.sqrt(1 / 8) : Math.sqrt(2 / 8)) * Math.cos(((2 * n + 1) * k * Math.PI) / 16);
  const out = Float64Array.from(img.data);
  const blk = new Float64Array(64), tmp = new Float64Array(64), co = new Float64Array(64);
  for (let c = 0; c < img.channels; c++) for (let by = 0; by + 8 <= h; by += 8) for (let bx = 0; bx + 8 <= w; bx += 8) {
    const base = c * w * h;
    for (let y = 0; y < 8; y++) for (let x = 0; x < 8; x++) blk[y * 8 + x] = img.data[base + (by + y) * w + bx + x] - 128;
    for (let k = 0; k < 8; k++) for (let x = 0; x < 8; x++) { let s = 0; for (let y = 0; y < 8; y++) s += C[k * 8 + y] * blk[y * 8 + x]; tmp[k * 8 + x] = s; }
    for (let k = 0; k < 8; k++) for (let l = 0; l < 8; l++) { let s = 0; for (let x = 0; x < 8; x++) s += C[l * 8 + x] * tmp[k * 8 + x]; co[k * 8 + l] = Math.round(s / (q * (1 + k + l))) * q * (1 + k + l); }
    for (let k = 0; k < 8; k++) for (let x = 0; x < 8; x++) { let s = 0; for (let l = 0; l < 8; l++) s += C[l * 8 + x] * co[k * 8 + l]; tmp[k * 8 + x] = s; }
    for (let y = 0; y < 8; y++) for (let x = 0; x < 8; x++) { let s = 0; for (let k = 0; k < 8; k++) s += C[k * 8 + y] * tmp[k * 8 + x]; out[base + (by + y) * w + bx + x] = round255(s + 128); }
  }
  return makeImage(w, h, img.channels, out);
}
