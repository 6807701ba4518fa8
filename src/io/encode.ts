/**
 * Writing images: an `Image` as PNG, and a quality map as a colour heat-map PNG (viridis, from d3-scale-chromatic:
 * a perceptually uniform, colour-blind-safe map, chosen over hand-written LUTs).
 */
import sharp from 'sharp';
import { interpolateViridis } from 'd3-scale-chromatic';
import type { Image, Plane } from '../tensor/image.js';

/** Encodes an image as 8-bit PNG bytes (values rounded and clamped to 0..255). */
export async function encodePng(img: Image): Promise<Uint8Array> {
  const n = img.width * img.height, c = img.channels;
  const raw = Buffer.alloc(n * c);
  for (let i = 0; i < n; i++) for (let k = 0; k < c; k++) raw[i * c + k] = Math.max(0, Math.min(255, Math.round(img.data[k * n + i])));
  return sharp(raw, { raw: { width: img.width, height: img.height, channels: c } }).png().toBuffer();
}

export interface HeatmapOptions {
  /** Value mapped to the dark end and to the bright end; default the map's min and max. */
  min?: number;
  max?: number;
  /** Flip so that bright always means "better" for lower-is-better maps. */
  invert?: boolean;
}

/** Renders a quality map as a viridis heat-map PNG (bright = high value unless `invert`). */
export async function encodeHeatmap(map: Plane, opts: HeatmapOptions = {}): Promise<Uint8Array> {
  let lo = opts.min ?? Infinity, hi = opts.max ?? -Infinity;
  if (opts.min === undefined || opts.max === undefined) {
    for (const v of map.data) if (Number.isFinite(v)) {
      if (opts.min === undefined) lo = Math.min(lo, v);
      if (opts.max === undefined) hi = Math.max(hi, v);
    }
  }
  const span = hi > lo ? hi - lo : 1;
  const lut: [number, number, number][] = [];
  for (let i = 0; i < 256; i++) {
    const hex = interpolateViridis(i / 255); // '#rrggbb'
    lut.push([1, 3, 5].map((k) => parseInt(hex.slice(k, k + 2), 16)) as [number, number, number]);
  }
  const raw = Buffer.alloc(map.width * map.height * 3);
  for (let i = 0; i < map.data.length; i++) {
    let t = Number.isFinite(map.data[i]) ? (map.data[i] - lo) / span : 0;
    t = Math.max(0, Math.min(1, opts.invert ? 1 - t : t));
    const [r, g, b] = lut[Math.round(t * 255)];
    raw[3 * i] = r;
    raw[3 * i + 1] = g;
    raw[3 * i + 2] = b;
  }
  return sharp(raw, { raw: { width: map.width, height: map.height, channels: 3 } }).png().toBuffer();
}
