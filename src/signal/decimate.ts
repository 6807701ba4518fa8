/**
 * Box average of size f x f followed by `img(1:f:end, 1:f:end)`, computed only at the kept samples.
 * Exactly `downsampleBoxMatlab` (MATLAB `imfilter(img, ones(f)/f^2, pad, 'same')` anchoring: the window starts
 * a = floor((f-1)/2) before the kept sample, conventions.md §1.5; keeps ceil(M/f) samples per axis), but it does
 * 1/f^2 of the work, which is what makes `ssim.m`'s automatic downsampling cheap on large images.
 * `pad`: 'symmetric' (ssim.m, msssim.m imfilter) or 'zero' (conv2 'same': GMSD.m).
 */
import { makePlane, type Plane } from '../tensor/image.js';
import { mapIndex, type PadMode } from './pad.js';

export function boxDecimate(p: Plane, f: number, pad: PadMode = 'symmetric'): Plane {
  if (f <= 1) return p;
  const W = p.width, H = p.height, s = p.data;
  const Wo = Math.ceil(W / f), Ho = Math.ceil(H / f);
  const a = Math.floor((f - 1) / 2);
  // source column of tap dx for output column j (-1 = zero padding)
  const cols = new Int32Array(Wo * f);
  for (let j = 0; j < Wo; j++) for (let d = 0; d < f; d++) cols[j * f + d] = mapIndex(j * f - a + d, W, pad);
  const out = new Float64Array(Wo * Ho);
  const rowAcc = new Float64Array(Wo);
  const norm = 1 / (f * f);
  for (let i = 0; i < Ho; i++) {
    rowAcc.fill(0);
    for (let dy = 0; dy < f; dy++) {
      const r = mapIndex(i * f - a + dy, H, pad);
      if (r < 0) continue;
      const base = r * W;
      for (let j = 0, c = 0; j < Wo; j++) {
        let acc = 0;
        for (let d = 0; d < f; d++, c++) {
          const sx = cols[c];
          if (sx >= 0) acc += s[base + sx];
        }
        rowAcc[j] += acc;
      }
    }
    const o = i * Wo;
    for (let j = 0; j < Wo; j++) out[o + j] = rowAcc[j] * norm;
  }
  return makePlane(Wo, Ho, out);
}
