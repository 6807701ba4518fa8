/**
 * KADID-10k compression distortions (types 9, 10): real codec round trips.
 * JPEG needs an encoder supplied by the platform (`ctx.codecs.jpeg`; in Node, `jpegRoundTrip` from
 * `src/io/encode-image.ts`, libjpeg through sharp). JPEG 2000 defaults to OpenJPEG/WebAssembly (`jp2k.ts`).
 */
import { IqaError } from '../../tensor/errors.js';
import type { Image } from '../../tensor/image.js';
import { jp2kRoundTrip } from './jp2k.js';
import { toUnit, fromUnit, type DistortionContext } from './unit.js';

/** Grey inputs are expanded to RGB first, like every KADID type. */
function rgb(img: Image): Image {
  return img.channels === 3 ? img : fromUnit(toUnit(img), img.width, img.height);
}

/** Type 9, JPEG 2000 at compression ratio `ratio` (KADID: 16, 32, 45, 120, 400). */
export function jpeg2000(img: Image, ratio: number, ctx: DistortionContext): Promise<Image> {
  const f = ctx.codecs?.jp2k ?? jp2kRoundTrip;
  return f(rgb(img), ratio);
}

/** Type 10, JPEG at IJG quality `quality` (KADID: 43, 36, 24, 7, 4). */
export function jpeg(img: Image, quality: number, ctx: DistortionContext): Promise<Image> {
  const f = ctx.codecs?.jpeg;
  if (!f) {
    throw new IqaError(
      'jpeg: no JPEG encoder: expected ctx.codecs.jpeg (in Node pass `nodeCodecs` from src/io/encode-image.ts), got none',
      'E_CODEC',
    );
  }
  return f(rgb(img), quality);
}
