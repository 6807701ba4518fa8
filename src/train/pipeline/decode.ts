/** File -> decoded, normalised image for the batch pipeline (Node: reads through src/io). */
import { readImage } from '../../io/decode.js';
import { normalise, type Normalisation } from '../../models/preprocess.js';
import type { DecodedImage } from './recipe.js';

/**
 * Decodes `file`. `cache`: normalised (preprocess.ts) once, in a SharedArrayBuffer when `shared` (the workers'
 * cache entries); otherwise the decoded image, normalised crop by crop.
 */
export async function decodeForBatch(file: string, norm: Normalisation, cache: boolean, shared: boolean): Promise<DecodedImage> {
  const img = await readImage(file);
  if (!cache) return { raw: img, h: img.height, w: img.width };
  const px = normalise(img, norm);
  let data = px;
  if (shared) {
    data = new Float32Array(new SharedArrayBuffer(px.byteLength));
    data.set(px);
  }
  return { data, h: img.height, w: img.width };
}
