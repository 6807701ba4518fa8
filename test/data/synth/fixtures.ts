// Deterministic test images for the synthetic-distortion tests (no files needed).
import { makeImage, type Image } from '../../../src/tensor/image.js';

/** An RGB image with smooth gradients, edges (a bright square, stripes) and fine texture, integer samples. */
export function testImage(w = 48, h = 40, texture = true): Image {
  const n = w * h;
  const d = new Float64Array(3 * n);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const i = y * w + x;
      const square = x > w / 4 && x < w / 2 && y > h / 4 && y < (3 * h) / 4 ? 90 : 0;
      const stripes = (x >> 2) % 2 === 0 && y > (2 * h) / 3 ? 40 : 0;
      const tex = texture ? ((x * 37 + y * 91) % 17) - 8 : 0;
      d[i] = Math.round(Math.min(255, Math.max(0, 40 + (150 * x) / w + square + tex)));
      d[n + i] = Math.round(Math.min(255, Math.max(0, 60 + (120 * y) / h + stripes - tex)));
      d[2 * n + i] = Math.round(Math.min(255, Math.max(0, 200 - (100 * (x + y)) / (w + h) + square / 2 + tex / 2)));
    }
  }
  return makeImage(w, h, 3, d, 8);
}

export function mse(a: Image, b: Image): number {
  let s = 0;
  for (let i = 0; i < a.data.length; i++) s += (a.data[i] - b.data[i]) ** 2;
  return s / a.data.length;
}

/** Mean squared horizontal + vertical differences over all channels (gradient energy). */
export function gradientEnergy(img: Image): number {
  const { width: w, height: h } = img;
  const n = w * h;
  let s = 0;
  for (let c = 0; c < img.channels; c++) {
    for (let y = 0; y < h - 1; y++) {
      for (let x = 0; x < w - 1; x++) {
        const i = c * n + y * w + x;
        s += (img.data[i + 1] - img.data[i]) ** 2 + (img.data[i + w] - img.data[i]) ** 2;
      }
    }
  }
  return s / (img.channels * (w - 1) * (h - 1));
}

export function mean(img: Image): number {
  let s = 0;
  for (let i = 0; i < img.data.length; i++) s += img.data[i];
  return s / img.data.length;
}

/** Standard deviation of the Rec.601 luma. */
export function lumaStd(img: Image): number {
  const n = img.width * img.height;
  let s = 0;
  let s2 = 0;
  for (let i = 0; i < n; i++) {
    const y = 0.299 * img.data[i] + 0.587 * img.data[n + i] + 0.114 * img.data[2 * n + i];
    s += y;
    s2 += y * y;
  }
  return Math.sqrt(s2 / n - (s / n) ** 2);
}

/** Mean HSV saturation (max - min) / max. */
export function meanSaturation(img: Image): number {
  const n = img.width * img.height;
  let s = 0;
  for (let i = 0; i < n; i++) {
    const r = img.data[i];
    const g = img.data[n + i];
    const b = img.data[2 * n + i];
    const mx = Math.max(r, g, b);
    s += mx > 0 ? (mx - Math.min(r, g, b)) / mx : 0;
  }
  return s / n;
}

/** Mean distance of each pixel from grey, |RGB - mean(RGB)| (a chroma proxy). */
export function meanChroma(img: Image): number {
  const n = img.width * img.height;
  let s = 0;
  for (let i = 0; i < n; i++) {
    const r = img.data[i];
    const g = img.data[n + i];
    const b = img.data[2 * n + i];
    const m = (r + g + b) / 3;
    s += Math.hypot(r - m, g - m, b - m);
  }
  return s / n;
}

/** Number of distinct RGB triples (rounded to 8 bits). */
export function distinctColours(img: Image): number {
  const n = img.width * img.height;
  const set = new Set<number>();
  for (let i = 0; i < n; i++) set.add((Math.round(img.data[i]) << 16) | (Math.round(img.data[n + i]) << 8) | Math.round(img.data[2 * n + i]));
  return set.size;
}

/** Number of distinct sample values over all channels (rounded to 8 bits). */
export function distinctValues(img: Image): number {
  return new Set(Array.from(img.data, (v) => Math.round(v))).size;
}
