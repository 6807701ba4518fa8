/**
 * JPEG 2000 round trip through OpenJPEG compiled to WebAssembly (`@cornerstonejs/codec-openjpeg`, maintained by the
 * Cornerstone medical-imaging project; runs in Node and browsers, so this module stays platform-free).
 * KADID-10k used MATLAB `imwrite(..., 'CompressionRatio', r)` (Part 1 codestream, 9/7 irreversible wavelet); here:
 * 9/7 irreversible, 5 decompositions, one quality layer at rate r (`tcp_rates`, the same raw/coded byte ratio),
 * multi-component transform on for colour.
 */
import type { OpenJpegModule } from '@cornerstonejs/codec-openjpeg/wasmjs';
import { expected, IqaError } from '../../tensor/errors.js';
import { fromInterleaved, type Image } from '../../tensor/image.js';

let modulePromise: Promise<OpenJpegModule> | null = null;

function loadOpenJpeg(): Promise<OpenJpegModule> {
  modulePromise ??= import('@cornerstonejs/codec-openjpeg/wasmjs').then((m) => {
    const factory = (m as unknown as { default: typeof m.default }).default;
    return factory({ print: () => {}, printErr: () => {} });
  });
  return modulePromise;
}

/**
 * 9/7 irreversible, one layer at `ratio`, 5 decompositions (OpenJPEG's default) or fewer for small images:
 * OpenJPEG refuses 2^decompositions > min(width, height).
 */
function configure(enc: import('@cornerstonejs/codec-openjpeg/wasmjs').J2KEncoder, w: number, h: number, ratio: number): void {
  enc.setDecompositions(Math.max(0, Math.min(5, Math.floor(Math.log2(Math.min(w, h))))));
  enc.setQuality(false, 1);
  enc.setCompressionRatio(0, ratio);
}

/** Encodes `img` (rounded to 8 bits) as a JPEG 2000 codestream at compression ratio `ratio` and decodes it. */
export async function jp2kRoundTrip(img: Image, ratio: number): Promise<Image> {
  if (!(ratio >= 1)) throw expected('jp2kRoundTrip', 'compression ratio', 'a number >= 1', String(ratio));
  const m = await loadOpenJpeg();
  const { width: w, height: h, channels: nc } = img;
  const n = w * h;
  const enc = new m.J2KEncoder();
  let coded: Uint8Array;
  try {
    const buf = enc.getDecodedBuffer({ width: w, height: h, bitsPerSample: 8, componentCount: nc, isSigned: false });
    for (let i = 0; i < n; i++) {
      for (let c = 0; c < nc; c++) buf[i * nc + c] = Math.round(Math.min(255, Math.max(0, img.data[c * n + i])));
    }
    configure(enc, w, h, ratio);
    enc.encode();
    coded = enc.getEncodedBuffer().slice();
  } catch (e) {
    modulePromise = null; // an Emscripten exception can leave the instance unusable: start a fresh one next time
    throw new IqaError(`jp2kRoundTrip: OpenJPEG encode of ${w}x${h} at ratio ${ratio} failed: ${e instanceof Error ? e.message : `exception ${String(e)}`}`, 'E_CODEC', { cause: e });
  } finally {
    enc.delete();
  }
  const dec = new m.J2KDecoder();
  try {
    dec.getEncodedBuffer(coded.length).set(coded);
    dec.decode();
    const fi = dec.getFrameInfo();
    const px = dec.getDecodedBuffer().slice();
    return fromInterleaved(px, fi.width, fi.height, fi.componentCount as 1 | 3);
  } finally {
    dec.delete();
  }
}

/** Size in bytes of the codestream for `img` at `ratio` (for tests: the rate control is honoured). */
export async function jp2kEncodedSize(img: Image, ratio: number): Promise<number> {
  const m = await loadOpenJpeg();
  const { width: w, height: h, channels: nc } = img;
  const n = w * h;
  const enc = new m.J2KEncoder();
  try {
    const buf = enc.getDecodedBuffer({ width: w, height: h, bitsPerSample: 8, componentCount: nc, isSigned: false });
    for (let i = 0; i < n; i++) for (let c = 0; c < nc; c++) buf[i * nc + c] = Math.round(Math.min(255, Math.max(0, img.data[c * n + i])));
    configure(enc, w, h, ratio);
    enc.encode();
    return enc.getEncodedBuffer().length;
  } finally {
    enc.delete();
  }
}
