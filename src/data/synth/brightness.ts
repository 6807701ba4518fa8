/**
 * KADID-10k brightness distortions (types 16-18). Paper: Lin, Hosu, Saupe, QoMEX 2019; steps from its MATLAB
 * generator (`imbrighten`, `imdarken`, `immeanshift`). Tone curves: `toneCurve` in unit.ts.
 */
import type { Image } from '../../tensor/image.js';
import { labToRgb, rgbToLab } from './colourspace.js';
import { fromUnit, mapPlanes, toneCurve, toUnit, truncate } from './unit.js';

/**
 * Tone curve with mid-point `mid` applied both to R, G, B and to L* (as L* / 100), then blended 2:1
 * (J = (2*curve(RGB) + truncate(lab2rgb(curve(L*)))) / 3), as KADID's `imbrighten`.
 */
function curveRgbAndL(img: Image, mid: number): Image {
  const curve = toneCurve([mid]);
  const p = toUnit(img);
  const [L, a, b] = rgbToLab(p);
  for (let i = 0; i < L.length; i++) L[i] = curve(L[i] / 100) * 100;
  const viaLab = labToRgb([L, a, b]);
  mapPlanes(p, curve);
  for (let c = 0; c < 3; c++) {
    const q = p[c];
    const v = truncate(viaLab[c]);
    for (let i = 0; i < q.length; i++) q[i] = (2 * q[i] + v[i]) / 3;
  }
  return fromUnit(p, img.width, img.height);
}

/** Type 16, brighten: curve through (0.5, 0.5 + amount/2) (KADID amounts 0.1 .. 1.1). */
export function brighten(img: Image, amount: number): Image {
  return curveRgbAndL(img, 0.5 + amount / 2);
}

/**
 * Type 17, darken: curve through (0.5, 0.5 - amount/2) (KADID amounts 0.05 .. 0.8). The MATLAB `imdarken` source
 * was not available to us; this mirrors `imbrighten` (same RGB + L* blend), which public ports agree with for the
 * RGB part.
 */
export function darken(img: Image, amount: number): Image {
  return curveRgbAndL(img, 0.5 - amount / 2);
}

/** Type 18, mean shift: every sample + `shift` (unit range; KADID 0.15, 0.08, 0, -0.08, -0.15), clipped. */
export function meanShift(img: Image, shift: number): Image {
  const p = toUnit(img);
  mapPlanes(p, (v) => v + shift);
  return fromUnit(p, img.width, img.height);
}
