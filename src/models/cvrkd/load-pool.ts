/** The NAR reference pool from a folder of high-quality images (Node only): every decodable image, sorted by name. */
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { readImage } from '../../io/decode.js';
import { IqaError } from '../../tensor/errors.js';
import type { Image } from '../../tensor/image.js';

const IMAGE = /\.(png|jpe?g|bmp|tiff?|webp)$/i;

export async function loadReferencePool(dir: string): Promise<Image[]> {
  let names: string[];
  try {
    names = (await readdir(dir)).filter((n) => IMAGE.test(n)).sort();
  } catch {
    throw new IqaError(`cvrkd: referencePool: expected a folder of high-quality images, got '${dir}' (not readable)`, 'E_INPUT');
  }
  if (!names.length) throw new IqaError(`cvrkd: referencePool: expected a folder of high-quality images, got '${dir}' with none`, 'E_INPUT');
  return Promise.all(names.map((n) => readImage(join(dir, n))));
}
