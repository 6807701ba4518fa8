/**
 * KADID-10k noise distortions (types 11-15). Paper: Lin, Hosu, Saupe, QoMEX 2019; steps from its MATLAB generator,
 * which uses `imnoise` on unit-range images (results clipped to [0, 1]).
 */
import type { Image } from '../../tensor/image.js';
import { rgbToYcbcr, ycbcrToRgb, type Planes3 } from './colourspace.js';
import { boxMean } from './filter.js';
import { fromUnit, toUnit, truncate, type DistortionContext } from './unit.js';

/** `imnoise(I, 'gaussian', 0, v)`: adds N(0, v) to every sample independently, then clips to [0, 1]. */
function addGaussian(p: Float64Array[], variance: number, ctx: DistortionContext): void {
  const sd = Math.sqrt(variance);
  for (const q of p) {
    for (let i = 0; i < q.length; i++) q[i] += sd * ctx.rng.normal();
    truncate(q);
  }
}

/** Type 11, white noise: Gaussian noise of variance `variance` (unit range) on each RGB channel. */
export function whiteNoise(img: Image, variance: number, ctx: DistortionContext): Image {
  const p = toUnit(img);
  addGaussian(p, variance, ctx);
  return fromUnit(p, img.width, img.height);
}

/** Type 12, white noise in colour components (`imnoisecolorcomp`): Gaussian noise on Y', Cb and Cr (BT.601). */
export function whiteNoiseYcbcr(img: Image, variance: number, ctx: DistortionContext): Image {
  const ycc = rgbToYcbcr(toUnit(img));
  addGaussian(ycc, variance, ctx);
  return fromUnit(ycbcrToRgb(ycc), img.width, img.height);
}

/** Type 13, impulse noise: `imnoise(I, 'salt & pepper', d)`, each sample independently 0 (p = d/2) or 1 (p = d/2). */
export function impulseNoise(img: Image, density: number, ctx: DistortionContext): Image {
  const p = toUnit(img);
  for (const q of p) {
    for (let i = 0; i < q.length; i++) {
      const u = ctx.rng.uniform();
      if (u < density / 2) q[i] = 0;
      else if (u < density) q[i] = 1;
    }
  }
  return fromUnit(p, img.width, img.height);
}

/** Type 14, multiplicative noise: `imnoise(I, 'speckle', v)`, J = I + n*I with n uniform, mean 0, variance v. */
export function multiplicativeNoise(img: Image, variance: number, ctx: DistortionContext): Image {
  const p = toUnit(img);
  const a = Math.sqrt(12 * variance);
  for (const q of p) {
    for (let i = 0; i < q.length; i++) q[i] += a * (ctx.rng.uniform() - 0.5) * q[i];
  }
  return fromUnit(p, img.width, img.height);
}

/**
 * Adaptive Wiener filter (MATLAB `wiener2`, Lee 1980) with a known noise variance: out = mu + max(s2 - v, 0) /
 * max(s2, v) * (x - mu), with local mean mu and variance s2 over a (2r+1)^2 window.
 */
export function wienerPlane(q: Float64Array, w: number, h: number, r: number, noiseVar: number): Float64Array {
  const mu = boxMean(q, w, h, r);
  const sq = new Float64Array(q.length);
  for (let i = 0; i < q.length; i++) sq[i] = q[i] * q[i];
  const m2 = boxMean(sq, w, h, r);
  const out = new Float64Array(q.length);
  for (let i = 0; i < q.length; i++) {
    const s2 = Math.max(m2[i] - mu[i] * mu[i], 0);
    out[i] = mu[i] + (Math.max(s2 - noiseVar, 0) / Math.max(s2, noiseVar)) * (q[i] - mu[i]);
  }
  return out;
}

/**
 * Type 15, denoise: white noise of variance `variance` on each channel, then denoised channel by channel.
 * SUBSTITUTE: KADID denoises with the DnCNN network (MATLAB `denoiseImage`); we use an adaptive Wiener filter whose
 * window grows with the noise (radius ceil(255*sd/12) in [2, 8]), so the residue is blur plus blotchy leftover
 * noise rather than DnCNN's smooth, painterly texture loss.
 */
export function denoise(img: Image, variance: number, ctx: DistortionContext): Image {
  const p = toUnit(img);
  addGaussian(p, variance, ctx);
  const r = Math.min(8, Math.max(2, Math.ceil((255 * Math.sqrt(variance)) / 12)));
  const out = p.map((q) => wienerPlane(q, img.width, img.height, r, variance)) as Planes3;
  return fromUnit(out, img.width, img.height);
}
