/**
 * Image decoding: file or bytes -> `Image`. The only code that reads image files.
 * Formats: JPEG, PNG (8/16 bit), WebP, AVIF, TIFF, GIF (first frame) through `sharp`; BMP through `fast-bmp`
 * (sharp/libvips does not read BMP, and the standard IQA datasets ship BMP).
 * Policy: EXIF orientation is applied (as the image is displayed); alpha is dropped by default (MATLAB `imread`,
 * PIL `convert('RGB')`) or composited on white with `{ alpha: 'white' }`, identically for every format;
 * greyscale stays 1 channel; 16-bit samples are scaled to 0..255 without rounding.
 */
import { readFile } from 'node:fs/promises';
import sharp from 'sharp';
import { decode as decodeBmp } from 'fast-bmp';
import { IqaError } from '../tensor/errors.js';
import { fromInterleaved, type AlphaPolicy, type Image } from '../tensor/image.js';

export interface DecodeOptions {
  /** What to do with an alpha channel (default 'drop'). */
  alpha?: AlphaPolicy;
  /** Refuse images with more pixels than this (default 2^28, as sharp). */
  maxPixels?: number;
}

/** Anything that can be turned into an image: a path, encoded bytes, or an already decoded image. */
export type ImageSource = string | Uint8Array | Image;

export function isImage(x: unknown): x is Image {
  return typeof x === 'object' && x !== null && 'data' in x && (x as Image).data instanceof Float64Array && 'channels' in x;
}

/** Reads and decodes an image from a path, bytes, or returns a decoded image unchanged. */
export async function readImage(source: ImageSource, opts: DecodeOptions = {}): Promise<Image> {
  if (isImage(source)) return source;
  const label = typeof source === 'string' ? source : `<${source.length} bytes>`;
  let bytes: Uint8Array;
  if (typeof source === 'string') {
    try {
      bytes = await readFile(source);
    } catch (e) {
      throw new IqaError(`readImage: ${label}: cannot read file: ${(e as Error).message}`, 'E_READ', { cause: e });
    }
  } else bytes = source;
  return decodeImage(bytes, label, opts);
}

function isBmp(b: Uint8Array): boolean {
  return b.length >= 2 && b[0] === 0x42 && b[1] === 0x4d;
}

/** Decodes encoded bytes; `label` names the source in error messages. */
export async function decodeImage(bytes: Uint8Array, label = '<buffer>', opts: DecodeOptions = {}): Promise<Image> {
  if (bytes.length === 0) throw new IqaError(`readImage: ${label}: empty file`, 'E_DECODE');
  const maxPixels = opts.maxPixels ?? 2 ** 28;
  if (isBmp(bytes)) return decodeBmpBytes(bytes, label, opts, maxPixels);
  try {
    const img = sharp(bytes, { failOn: 'warning', limitInputPixels: maxPixels, pages: 1 }).rotate();
    const meta = await img.metadata();
    const is16 = meta.depth === 'ushort' || meta.depth === 'short';
    const pipeline = is16 ? img.toColourspace(meta.channels && meta.channels <= 2 ? 'grey16' : 'rgb16') : img;
    const { data, info } = await pipeline.raw({ depth: is16 ? 'ushort' : 'uchar' }).toBuffer({ resolveWithObject: true });
    const samples = is16 ? new Uint16Array(data.buffer, data.byteOffset, data.byteLength / 2) : data;
    return fromInterleaved(samples, info.width, info.height, info.channels as 1 | 2 | 3 | 4, {
      bitDepth: is16 ? 16 : 8,
      alpha: opts.alpha,
    });
  } catch (e) {
    if (e instanceof IqaError) throw e;
    throw new IqaError(`readImage: ${label}: cannot decode image: ${(e as Error).message}`, 'E_DECODE', { cause: e });
  }
}

function decodeBmpBytes(bytes: Uint8Array, label: string, opts: DecodeOptions, maxPixels: number): Image {
  let d: ReturnType<typeof decodeBmp>;
  try {
    if (bytes.length < 54) throw new Error(`file is ${bytes.length} bytes, shorter than a BMP header`);
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const offset = view.getUint32(10, true);
    const w = view.getInt32(18, true);
    const h = Math.abs(view.getInt32(22, true));
    const bpp = view.getUint16(28, true);
    if (w * h > maxPixels) throw new Error(`${w}x${h} exceeds the pixel limit ${maxPixels}`);
    const rowBytes = Math.ceil((w * bpp) / 32) * 4;
    if (offset + rowBytes * h > bytes.length) {
      throw new Error(`truncated: pixel data needs ${offset + rowBytes * h} bytes, file has ${bytes.length}`);
    }
    d = decodeBmp(bytes);
  } catch (e) {
    throw new IqaError(`readImage: ${label}: cannot decode BMP: ${(e as Error).message}`, 'E_DECODE', { cause: e });
  }
  const ch = d.channels as 1 | 2 | 3 | 4;
  const px = d.data as Uint8Array;
  if (d.bitsPerPixel === 1) {
    const expanded = new Uint8Array(d.width * d.height);
    for (let i = 0; i < expanded.length; i++) expanded[i] = px[i] ? 255 : 0;
    return fromInterleaved(expanded, d.width, d.height, 1, { alpha: opts.alpha });
  }
  return fromInterleaved(px, d.width, d.height, ch, { alpha: opts.alpha });
}
