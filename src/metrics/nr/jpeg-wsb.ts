/**
 * No-reference JPEG quality (blockiness): Z. Wang, H. R. Sheikh, A. C. Bovik, "No-reference perceptual quality
 * assessment of JPEG compressed images", IEEE ICIP 2002, as the authors' MATLAB `jpeg_quality_score.m`:
 * on the grey image x (MATLAB `rgb2gray`, rounded), horizontal differences d_h = x(:, 2:N) − x(:, 1:N−1):
 * - blockiness B_h = mean |d_h| across the 8x8 block boundaries (columns 8, 16, ..., 8(⌊N/8⌋−1));
 * - activity A_h = (8·mean|d_h| − B_h)/7;
 * - zero-crossing rate Z_h = mean of [sign(d_h(m,n))·sign(d_h(m,n+1)) < 0];
 * the same vertically; B, A, Z are the averages of both directions and
 * S = α + β·B^γ1·A^γ2·Z^γ3 (eq. 4) with the MATLAB code's constants α = −245.8909, β = 261.9373,
 * γ1 = −0.02398886, γ2 = 0.01601664, γ3 = 0.00642859 (paper: −245.9, 261.9, −0.0240, 0.0160, 0.0064; fitted on LIVE JPEG).
 * S predicts MOS on 1..10 (higher = better). `jpegBlockFeatures` returns B (the blockiness), A and Z.
 */
import { channel, type Image, type Plane } from '../../tensor/image.js';
import { IqaError } from '../../tensor/errors.js';
import { rgb2grayMatlab } from '../../color/index.js';
import { classicNR, type MetricEntry, type MetricOutput } from '../types.js';

interface Dir { b: number; a: number; z: number }

function direction(d: Float64Array, W: number, H: number, horizontal: boolean): Dir {
  // differences along rows (horizontal) or columns; n indexes the differenced axis
  const N = horizontal ? W : H, M = horizontal ? H : W;
  const at = (m: number, n: number) => (horizontal ? d[m * W + n] : d[n * W + m]);
  let sAbs = 0, sB = 0, nB = 0, zc = 0;
  for (let m = 0; m < M; m++) {
    let prev = 0;
    for (let n = 0; n < N - 1; n++) {
      const v = at(m, n + 1) - at(m, n);
      sAbs += Math.abs(v);
      if ((n + 1) % 8 === 0 && n + 1 <= 8 * (Math.floor(N / 8) - 1)) { sB += Math.abs(v); nB++; }
      if (n > 0 && Math.sign(prev) * Math.sign(v) < 0) zc++;
      prev = v;
    }
  }
  const b = sB / nB;
  const a = (8 * (sAbs / (M * (N - 1))) - b) / 7;
  return { b, a, z: zc / (M * (N - 2)) };
}

export function jpegBlockFeatures(grey: Plane): { B: number; A: number; Z: number } {
  if (grey.width < 16 || grey.height < 16) {
    throw new IqaError(`jpeg_wsb: image size: expected at least 16x16 (two 8x8 blocks per axis), got ${grey.width}x${grey.height}`, 'E_SIZE');
  }
  const h = direction(grey.data, grey.width, grey.height, true), v = direction(grey.data, grey.width, grey.height, false);
  return { B: (h.b + v.b) / 2, A: (h.a + v.a) / 2, Z: (h.z + v.z) / 2 };
}

export function jpegWsb(img: Image): MetricOutput {
  const g = img.channels === 3 ? rgb2grayMatlab(img, { uint8: img.bitDepth === 8 }) : channel(img, 0);
  const { B, A, Z } = jpegBlockFeatures(g);
  return { score: -245.8909 + 261.9373 * B ** (-239.8886 / 10000) * A ** (160.1664 / 10000) * Z ** (64.2859 / 10000) };
}

export const jpegWsbEntries: readonly MetricEntry[] = [
  classicNR({ name: 'jpeg_wsb', lowerBetter: false, range: [1, 10], description: 'NR JPEG quality from blockiness/activity/zero-crossings (Wang, Sheikh, Bovik 2002); predicted MOS 1..10' }, (img) => jpegWsb(img), {}),
];
