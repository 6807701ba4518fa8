/**
 * Image encoding and file writing (Node): PNG and JPEG through `sharp` (libvips/libjpeg), atomic writes, and a
 * cheap structural check of a written PNG (used by resumable generators). Images are rounded to 8 bits.
 */
import { mkdir, open, rename, writeFile, stat } from 'node:fs/promises';
import { dirname } from 'node:path';
import sharp, { type Sharp, type Metadata } from 'sharp';
import { expected, IqaError } from '../tensor/errors.js';
import type { Image } from '../tensor/image.js';
import { decodeImage, readImage } from './decode.js';

/** Interleaved 8-bit samples of an image (rounded, clamped to 0..255). */
export function toInterleaved8(img: Image): Uint8Array {
  const n = img.width * img.height;
  const c = img.channels;
  const out = new Uint8Array(n * c);
  for (let i = 0; i < n; i++) {
    for (let k = 0; k < c; k++) {
      const v = img.data[k * n + i];
      // Round half up (as Math.round for non-negative values), without the call.
      out[i * c + k] = v <= 0 ? 0 : v >= 255 ? 255 : (v + 0.5) | 0;
    }
  }
  return out;
}

function raw(img: Image): Sharp {
  return sharp(toInterleaved8(img), { raw: { width: img.width, height: img.height, channels: img.channels } });
}

export interface PngOptions {
  /** zlib level 0..9 (default 6); lower is faster and larger. */
  compressionLevel?: number;
}

/** Encodes an image as an 8-bit PNG. */
export async function encodePng(img: Image, opts: PngOptions = {}): Promise<Uint8Array> {
  return raw(img).png({ compressionLevel: opts.compressionLevel ?? 6, adaptiveFiltering: false }).toBuffer();
}

/**
 * JPEG round trip at IJG quality `quality` (1..100): baseline, 4:2:0 chroma subsampling, the standard (Annex K)
 * tables scaled by quality, no trellis or other mozjpeg tuning, i.e. what libjpeg/MATLAB `imwrite` produce.
 */
export async function jpegRoundTrip(img: Image, quality: number): Promise<Image> {
  if (!Number.isInteger(quality) || quality < 1 || quality > 100) throw expected('jpegRoundTrip', 'quality', 'an integer 1..100', String(quality));
  const bytes = await raw(img)
    .jpeg({ quality, chromaSubsampling: '4:2:0', mozjpeg: false, trellisQuantisation: false, overshootDeringing: false, optimiseScans: false, optimiseCoding: true, quantisationTable: 0 })
    .toBuffer();
  return decodeImage(bytes, `<jpeg q=${quality}>`);
}

/** Size in bytes of the JPEG at `quality` (for tests). */
export async function jpegEncodedSize(img: Image, quality: number): Promise<number> {
  const b = await raw(img).jpeg({ quality, chromaSubsampling: '4:2:0', mozjpeg: false, quantisationTable: 0 }).toBuffer();
  return b.length;
}

/**
 * Reads an image and, when its longer side exceeds `maxSide`, shrinks it to fit (aspect kept, Lanczos-3 via
 * sharp, then rounded to 8 bits). `maxSide` 0 or undefined keeps the size.
 */
export async function readImageFit(path: string, maxSide?: number): Promise<Image> {
  if (!maxSide) return readImage(path);
  let meta: Metadata;
  try {
    meta = await sharp(path).metadata();
  } catch (e) {
    throw new IqaError(`readImageFit: ${path}: cannot read image: ${(e as Error).message}`, 'E_DECODE', { cause: e });
  }
  const w = meta.autoOrient?.width ?? meta.width ?? 0;
  const h = meta.autoOrient?.height ?? meta.height ?? 0;
  if (Math.max(w, h) <= maxSide) return readImage(path);
  const img = await readImage(path);
  const bytes = await raw(img).resize({ width: maxSide, height: maxSide, fit: 'inside', kernel: 'lanczos3' }).png({ compressionLevel: 1 }).toBuffer();
  return decodeImage(bytes, path);
}

/** Writes bytes to `path` atomically (temporary file in the same folder, then rename); creates folders. */
export async function writeFileAtomic(path: string, bytes: Uint8Array | string): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const tmp = `${path}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
  await writeFile(tmp, bytes);
  await rename(tmp, path);
}

/** Encodes `img` as PNG and writes it atomically. */
export async function writePng(path: string, img: Image, opts: PngOptions = {}): Promise<void> {
  await writeFileAtomic(path, await encodePng(img, opts));
}

/**
 * True when `path` is a complete PNG of the given size: signature, IHDR width/height, and an IEND chunk as the
 * last 12 bytes (so a truncated file fails). Does not decode the pixels.
 */
export async function isCompletePng(path: string, width?: number, height?: number): Promise<boolean> {
  let size: number;
  try {
    size = (await stat(path)).size;
  } catch {
    return false;
  }
  if (size < 57) return false;
  const fh = await open(path, 'r');
  try {
    const head = new Uint8Array(24);
    await fh.read(head, 0, 24, 0);
    const tail = new Uint8Array(12);
    await fh.read(tail, 0, 12, size - 12);
    const sig = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
    if (!sig.every((b, i) => head[i] === b)) return false;
    const dv = new DataView(head.buffer);
    if (width !== undefined && dv.getUint32(16) !== width) return false;
    if (height !== undefined && dv.getUint32(20) !== height) return false;
    const iend = [0, 0, 0, 0, 0x49, 0x45, 0x4e, 0x44, 0xae, 0x42, 0x60, 0x82];
    return iend.every((b, i) => tail[i] === b);
  } finally {
    await fh.close();
  }
}
