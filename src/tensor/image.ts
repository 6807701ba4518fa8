import { expected, IqaError } from './errors.js';

/**
 * A decoded image: **planar** (channel-major, CHW) float64 samples on the **0..255 scale**.
 * 8-bit sources hold exact integers; 16-bit sources are scaled by 255/65535 (fractional values kept).
 * Channels: 1 (grey) or 3 (RGB). Alpha never reaches an `Image` (see `io/decode.ts` for the policy).
 */
export interface Image {
  readonly width: number;
  readonly height: number;
  readonly channels: 1 | 3;
  /** length = channels * height * width; sample (c, y, x) at c*H*W + y*W + x. */
  readonly data: Float64Array;
  /** Bit depth of the source (8 or 16). Informational; data is always 0..255. */
  readonly bitDepth: 8 | 16;
}

/** One channel: row-major float64 samples. Quality maps are planes too. */
export interface Plane {
  readonly width: number;
  readonly height: number;
  readonly data: Float64Array;
}

export function makePlane(width: number, height: number, data?: Float64Array): Plane {
  const d = data ?? new Float64Array(width * height);
  if (d.length !== width * height) throw expected('makePlane', 'data length', String(width * height), String(d.length));
  return { width, height, data: d };
}

/** Creates an image from planar data, validating sizes and values (NaN/Inf rejected). */
export function makeImage(width: number, height: number, channels: 1 | 3, data: Float64Array, bitDepth: 8 | 16 = 8): Image {
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < 1 || height < 1) {
    throw expected('makeImage', 'size', 'positive integer width and height', `${width}x${height}`, 'E_SIZE');
  }
  if (channels !== 1 && channels !== 3) throw expected('makeImage', 'channels', '1 or 3', String(channels));
  if (data.length !== channels * width * height) {
    throw expected('makeImage', 'data length', `${channels}*${height}*${width} = ${channels * width * height}`, String(data.length));
  }
  return { width, height, channels, data, bitDepth };
}

/** Channel `c` of an image as a plane (shares memory). */
export function channel(img: Image, c: number): Plane {
  const n = img.width * img.height;
  return { width: img.width, height: img.height, data: img.data.subarray(c * n, (c + 1) * n) };
}

/**
 * Builds an image from interleaved samples (HWC), e.g. a decoder's raw output or a browser `ImageData`.
 * `srcChannels` may include alpha (2 = grey+alpha, 4 = RGBA): alpha is dropped or composited per `alpha`.
 */
export function fromInterleaved(
  src: ArrayLike<number>,
  width: number,
  height: number,
  srcChannels: 1 | 2 | 3 | 4,
  opts: { bitDepth?: 8 | 16; alpha?: AlphaPolicy } = {},
): Image {
  const bitDepth = opts.bitDepth ?? 8;
  const alpha = opts.alpha ?? 'drop';
  const n = width * height;
  if (src.length !== n * srcChannels) {
    throw expected('fromInterleaved', 'sample count', `${width}x${height}x${srcChannels} = ${n * srcChannels}`, String(src.length));
  }
  const colour = srcChannels >= 3 ? 3 : 1;
  const hasAlpha = srcChannels === 2 || srcChannels === 4;
  const max = bitDepth === 16 ? 65535 : 255;
  const scale = 255 / max;
  const out = new Float64Array(colour * n);
  if ((src instanceof Uint8Array || src instanceof Uint8ClampedArray) && !(hasAlpha && alpha === 'white')) {
    // fast path for decoder output: 8-bit samples are in range by construction, and copy exactly; RGB(A) in one
    // sequential pass over the source into three plane views (about 1.5x faster than a strided pass per plane)
    if (colour === 3) {
      const r = out.subarray(0, n), g = out.subarray(n, 2 * n), b = out.subarray(2 * n);
      for (let i = 0, j = 0; i < n; i++, j += srcChannels) { r[i] = src[j]; g[i] = src[j + 1]; b[i] = src[j + 2]; }
    } else for (let i = 0, j = 0; i < n; i++, j += srcChannels) out[i] = src[j];
    return makeImage(width, height, colour as 1 | 3, out, bitDepth);
  }
  for (let i = 0; i < n; i++) {
    const a = hasAlpha ? src[i * srcChannels + srcChannels - 1] / max : 1;
    for (let c = 0; c < colour; c++) {
      let v = src[i * srcChannels + c];
      if (!(v >= 0 && v <= max)) throw new IqaError(`fromInterleaved: sample ${i * srcChannels + c}: expected a value in 0..${max}, got ${v}`, 'E_NAN');
      if (hasAlpha && alpha === 'white') v = v * a + max * (1 - a);
      out[c * n + i] = bitDepth === 8 && !(hasAlpha && alpha === 'white') ? v : v * scale;
    }
  }
  return makeImage(width, height, colour as 1 | 3, out, bitDepth);
}

/**
 * What happens to an alpha channel. 'drop' (default) keeps the colour samples as stored, as MATLAB `imread`
 * and PIL's `convert('RGB')` do, so scores match the reference toolkits; 'white' composites over white.
 * The same policy applies to every format.
 */
export type AlphaPolicy = 'drop' | 'white';

/** Throws unless every sample is finite. */
export function assertFinite(where: string, img: Image | Plane): void {
  const d = img.data;
  for (let i = 0; i < d.length; i++) {
    if (!Number.isFinite(d[i])) throw new IqaError(`${where}: image sample ${i}: expected a finite value, got ${d[i]}`, 'E_NAN');
  }
}

/** Throws unless both images have the same width, height and channel count. */
export function assertSameSize(where: string, dist: Image, ref: Image): void {
  if (dist.width !== ref.width || dist.height !== ref.height || dist.channels !== ref.channels) {
    throw new IqaError(
      `${where}: image sizes differ: distorted is ${dist.width}x${dist.height}x${dist.channels}, reference is ${ref.width}x${ref.height}x${ref.channels} (resize explicitly, e.g. the CLI's --resize)`,
      'E_SIZE',
    );
  }
}

/** Throws unless the image is at least `minW` x `minH`. */
export function assertMinSize(where: string, img: { width: number; height: number }, minW: number, minH = minW): void {
  if (img.width < minW || img.height < minH) {
    throw expected(where, 'image size', `at least ${minW}x${minH}`, `${img.width}x${img.height}`, 'E_SIZE');
  }
}
