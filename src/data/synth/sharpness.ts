/**
 * KADID-10k sharpness and contrast distortions (types 24, 25). Paper: Lin, Hosu, Saupe, QoMEX 2019; steps from its
 * MATLAB generator (`imsharpenHi`, `imcontrastc`).
 */
import type { Image } from '../../tensor/image.js';
import { labToRgb, rgbToLab } from './colourspace.js';
import { gaussianBlurPlane } from './filter.js';
import { fromUnit, mapPlanes, toneCurve, toUnit } from './unit.js';

/**
 * Type 24, high sharpen: `imsharpen(I, 'Radius', 3, 'Amount', amount)`, unsharp masking of L* (CIELAB):
 * L + amount * (L - G_3 * L), L clipped to [0, 100] (KADID amounts 1 .. 12).
 */
export function highSharpen(img: Image, amount: number): Image {
  const [L, a, b] = rgbToLab(toUnit(img));
  const blur = gaussianBlurPlane(L, img.width, img.height, 3);
  for (let i = 0; i < L.length; i++) L[i] = Math.min(100, Math.max(0, L[i] + amount * (L[i] - blur[i])));
  return fromUnit(labToRgb([L, a, b]), img.width, img.height);
}

/**
 * Type 25, contrast change: `curves(I, [0.25 - amount/4, 0.75 + amount/4])` on R, G, B: the cubic through
 * (0,0), (1/3, 0.25 - amount/4), (2/3, 0.75 + amount/4), (1,1). amount > 0 raises contrast, amount < -1/3 lowers
 * it (KADID: 0.3, 0.15, 0, -0.4, -0.6, so level 1 is the strongest increase and level 5 the strongest decrease).
 */
export function contrastChange(img: Image, amount: number): Image {
  const curve = toneCurve([0.25 - amount / 4, 0.75 + amount / 4]);
  const p = toUnit(img);
  mapPlanes(p, curve);
  return fromUnit(p, img.width, img.height);
}
