/**
 * PSNR: peak signal-to-noise ratio, 10·log10(L² / MSE), L = 255.
 * - 'psnr': over all RGB samples (scikit-image `peak_signal_noise_ratio`, data_range 255; pyiqa `psnr` with
 *   test_y_channel=False). Reproduces pyiqa's official TID values 21.1136 / 20.9872 / 27.0139 / 23.3003 / 21.6187.
 * - 'psnr_y': on Y of MATLAB `rgb2ycbcr` (BT.601 studio range, not rounded), the super-resolution convention
 *   (conventions.md §2.2). Optional `crop` border (pixels) as BasicSR's `crop_border`.
 * Identical images give +Infinity.
 */
import type { Image, Plane } from '../../tensor/image.js';
import { rgbToYBt601Matlab } from '../../color/index.js';
import { classicFR, type MetricEntry, type MetricOutput } from '../types.js';

export interface PsnrOptions {
  /** Border pixels dropped on each side before the MSE (default 0). */
  crop?: number;
  /** Peak value (default 255). */
  dataRange?: number;
}

function mseOf(a: Float64Array, b: Float64Array, w: number, h: number, crop: number, planes: number): number {
  let s = 0, n = 0;
  for (let c = 0; c < planes; c++) for (let y = crop; y < h - crop; y++) for (let x = crop; x < w - crop; x++) {
    const i = c * w * h + y * w + x;
    const d = a[i] - b[i];
    s += d * d;
    n++;
  }
  return s / n;
}

function fromMse(mse: number, peak: number): number {
  return mse === 0 ? Infinity : 10 * Math.log10((peak * peak) / mse);
}

/** PSNR over every sample of both images (all channels). */
export function psnr(dist: Image, ref: Image, opts: PsnrOptions = {}): MetricOutput {
  const crop = opts.crop ?? 0;
  return { score: fromMse(mseOf(dist.data, ref.data, dist.width, dist.height, crop, dist.channels), opts.dataRange ?? 255) };
}

/** PSNR on the BT.601 (MATLAB rgb2ycbcr) luma. */
export function psnrY(dist: Image, ref: Image, opts: PsnrOptions = {}): MetricOutput {
  const a: Plane = rgbToYBt601Matlab(dist), b: Plane = rgbToYBt601Matlab(ref);
  const crop = opts.crop ?? 0;
  return { score: fromMse(mseOf(a.data, b.data, a.width, a.height, crop, 1), opts.dataRange ?? 255) };
}

export const psnrEntries: readonly MetricEntry[] = [
  classicFR({ name: 'psnr', lowerBetter: false, range: [0, Infinity], description: 'PSNR over RGB samples, L = 255 (scikit-image convention)' }, psnr, {} as PsnrOptions),
  classicFR({ name: 'psnr_y', lowerBetter: false, range: [0, Infinity], description: 'PSNR on Y of MATLAB rgb2ycbcr (super-resolution convention)' }, psnrY, {} as PsnrOptions),
];
