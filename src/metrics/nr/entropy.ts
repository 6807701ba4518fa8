/**
 * Entropy: Shannon entropy (bits) of the 256-bin grey-level histogram, as MATLAB `entropy(I)` (imhist of a uint8
 * image, p = counts/numel, E = −Σ p·log2 p over non-empty bins); conventions.md §2.23.
 * RGB input is first converted with MATLAB `rgb2gray` (uint8, rounded) — the convention of pyiqa's reference
 * values (MATLAB `entropy` itself would histogram all RGB samples; `allSamples: true` does that).
 * Samples are rounded and clamped to 0..255 (uint8). Higher = more information; 0..8.
 */
import { channel, type Image } from '../../tensor/image.js';
import { rgb2grayMatlab, roundHalfAway } from '../../color/index.js';
import { classicNR, type MetricEntry, type MetricOutput } from '../types.js';

export interface EntropyOptions {
  /** Histogram every RGB sample instead of the grey image (MATLAB `entropy` on an RGB array). Default false. */
  allSamples?: boolean;
}

/** Entropy in bits of the 256-bin histogram of values (rounded, clamped to 0..255). */
export function histogramEntropy(values: ArrayLike<number>): number {
  const h = new Float64Array(256);
  for (let i = 0; i < values.length; i++) h[Math.min(255, Math.max(0, roundHalfAway(values[i])))]++;
  let e = 0;
  for (let k = 0; k < 256; k++) if (h[k] > 0) {
    const p = h[k] / values.length;
    e -= p * Math.log2(p);
  }
  return e;
}

export function entropy(img: Image, opts: EntropyOptions = {}): MetricOutput {
  if (img.channels === 1) return { score: histogramEntropy(channel(img, 0).data) };
  if (opts.allSamples) return { score: histogramEntropy(img.data) };
  return { score: histogramEntropy(rgb2grayMatlab(img, { uint8: true }).data) };
}

export const entropyEntries: readonly MetricEntry[] = [
  classicNR({ name: 'entropy', lowerBetter: false, range: [0, 8], description: 'Shannon entropy of the grey histogram (MATLAB entropy of rgb2gray)' }, entropy, {} as EntropyOptions),
];
