/**
 * Composes images into a captioned grid PNG (sharp `composite`), e.g. gMAD pairs for a person to judge.
 * Each cell is letterboxed into `cellWidth` x `cellHeight` with its caption below; rows may differ in length.
 */
import sharp, { type OverlayOptions } from 'sharp';
import { readImage } from './decode.js';
import type { Image } from '../tensor/image.js';

export interface GridCell {
  readonly image: string | Uint8Array;
  readonly label: string;
}

export interface GridOptions {
  /** Cell image box in pixels (default 320 x 240). */
  cellWidth?: number;
  cellHeight?: number;
  /** Caption band height (default 36) and font size (default 12). */
  labelHeight?: number;
  fontSize?: number;
  /** Gap between cells (default 8). */
  gap?: number;
  /** Title written above the grid. */
  title?: string;
}

export function escapeXml(s: string): string {
  return s.replace(/[<>&'"]/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', "'": '&apos;', '"': '&quot;' })[c] as string);
}

/** Image -> 8-bit interleaved RGB for sharp. */
function toRgb8(img: Image): Buffer {
  const n = img.width * img.height;
  const out = Buffer.alloc(n * 3);
  for (let i = 0; i < n; i++) {
    for (let c = 0; c < 3; c++) {
      const v = img.data[(img.channels === 3 ? c : 0) * n + i];
      out[i * 3 + c] = Math.max(0, Math.min(255, Math.round(v)));
    }
  }
  return out;
}

/** Wraps a caption into at most two lines of roughly `chars` characters. */
function wrap(label: string, chars: number): string[] {
  if (label.length <= chars) return [label];
  const cut = label.lastIndexOf(' ', chars);
  const i = cut > 0 ? cut : chars;
  const rest = label.slice(i).trim();
  return [label.slice(0, i), rest.length > chars ? `${rest.slice(0, chars - 1)}…` : rest];
}

/** Renders the grid and returns PNG bytes. */
export async function composeImageGrid(rows: readonly (readonly GridCell[])[], opts: GridOptions = {}): Promise<Uint8Array> {
  const cw = opts.cellWidth ?? 320;
  const ch = opts.cellHeight ?? 240;
  const lh = opts.labelHeight ?? 36;
  const fs = opts.fontSize ?? 12;
  const gap = opts.gap ?? 8;
  const titleH = opts.title ? 28 : 0;
  const cols = Math.max(1, ...rows.map((r) => r.length));
  const width = gap + cols * (cw + gap);
  const height = titleH + gap + rows.length * (ch + lh + gap);
  const layers: OverlayOptions[] = [];
  const charsPerLine = Math.max(10, Math.floor(cw / (fs * 0.55)));
  for (let r = 0; r < rows.length; r++) {
    for (let c = 0; c < rows[r].length; c++) {
      const cell = rows[r][c];
      const left = gap + c * (cw + gap);
      const top = titleH + gap + r * (ch + lh + gap);
      const img = await readImage(cell.image);
      const tile = await sharp(toRgb8(img), { raw: { width: img.width, height: img.height, channels: 3 } })
        .resize(cw, ch, { fit: 'contain', background: { r: 255, g: 255, b: 255 } })
        .png()
        .toBuffer();
      layers.push({ input: tile, left, top });
      const lines = wrap(cell.label, charsPerLine)
        .map((t, k) => `<text x="2" y="${fs + 2 + k * (fs + 3)}" font-family="sans-serif" font-size="${fs}" fill="#111">${escapeXml(t)}</text>`)
        .join('');
      layers.push({ input: Buffer.from(`<svg xmlns="http://www.w3.org/2000/svg" width="${cw}" height="${lh}">${lines}</svg>`), left, top: top + ch });
    }
  }
  if (opts.title) {
    layers.push({
      input: Buffer.from(`<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${titleH}"><text x="${gap}" y="20" font-family="sans-serif" font-size="16" font-weight="bold" fill="#111">${escapeXml(opts.title)}</text></svg>`),
      left: 0,
      top: 0,
    });
  }
  const png = await sharp({ create: { width, height, channels: 3, background: { r: 255, g: 255, b: 255 } } })
    .composite(layers)
    .png()
    .toBuffer();
  return new Uint8Array(png.buffer, png.byteOffset, png.byteLength);
}

/** Renders an SVG document to PNG bytes (librsvg through sharp); `scale` 1 = one pixel per SVG unit (72 DPI). */
export async function svgToPng(svg: string, scale = 1): Promise<Uint8Array> {
  const png = await sharp(Buffer.from(svg), { density: 72 * scale }).png().toBuffer();
  return new Uint8Array(png.buffer, png.byteOffset, png.byteLength);
}
