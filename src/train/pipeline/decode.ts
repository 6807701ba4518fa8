/** File -> decoded, normalised image for the batch pipeline (Node: reads through src/io). */
import { readImage } from '../../io/decode.js';
import { normalise, type Normalisation } from '../../models/preprocess.js';
import type { DecodedImage } from './recipe.js';

/** Decodes `file` and normalises it (preprocess.ts); `shared` puts the pixels in a SharedArrayBuffer (cache). */
export async function decodeNormalised(file: string, norm: Normalisation, shared: boolean): Promise<DecodedImage> {
  const img = await readImage(file);
  const px = normalise(img, norm);
  let data = px;
  if (shared) {
    data = new Float32Array(new SharedArrayBuffer(px.byteLength));
    data.set(px);
  }
  return { data, h: img.height, w: img.width };
}
