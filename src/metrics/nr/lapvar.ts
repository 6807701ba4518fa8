/**
 * Variance of the Laplacian: a focus/sharpness measure (J. L. Pech-Pacheco, G. Cristóbal, J. Chamorro-Martínez,
 * J. Fernández-Valdivia, "Diatom autofocusing in brightfield microscopy: a comparative study", ICPR 2000), in the
 * form most used in practice: OpenCV `cv2.Laplacian(grey, CV_64F).var()`.
 * - grey: BT.601 luma 0.299 R + 0.587 G + 0.114 B, rounded (as OpenCV's 8-bit BGR2GRAY);
 * - kernel [0 1 0; 1 −4 1; 0 1 0] (OpenCV ksize = 1), border 'reflect' (OpenCV BORDER_REFLECT_101);
 * - score: population variance of the response over all pixels. Higher = sharper; not normalised (depends on
 *   content and size), so compare it between versions of one image. `map`: |Laplacian|.
 * This is not a perceptual quality metric and it is not CPBD.
 */
import { channel, makePlane, type Image, type Plane } from '../../tensor/image.js';
import { IqaError } from '../../tensor/errors.js';
import { rgbToLumaBt601 } from '../../color/index.js';
import { mapIndex } from '../../signal/pad.js';
import { classicNR, type MetricEntry, type MetricOutput } from '../types.js';

export function laplacian(p: Plane): Plane {
  const W = p.width, H = p.height, d = p.data, out = new Float64Array(W * H);
  const at = (y: number, x: number) => {
    const yu = mapIndex(y - 1, H, 'reflect'), yd = mapIndex(y + 1, H, 'reflect');
    const xl = mapIndex(x - 1, W, 'reflect'), xr = mapIndex(x + 1, W, 'reflect');
    out[y * W + x] = d[yu * W + x] + d[yd * W + x] + d[y * W + xl] + d[y * W + xr] - 4 * d[y * W + x];
  };
  for (let y = 0; y < H; y++) {
    if (y === 0 || y === H - 1) { for (let x = 0; x < W; x++) at(y, x); continue; }
    at(y, 0);
    const o = y * W;
    for (let x = 1; x < W - 1; x++) out[o + x] = d[o - W + x] + d[o + W + x] + d[o + x - 1] + d[o + x + 1] - 4 * d[o + x];
    if (W > 1) at(y, W - 1);
  }
  return makePlane(W, H, out);
}

export function lapvar(img: Image): MetricOutput {
  if (img.width < 3 || img.height < 3) throw new IqaError(`lapvar: image size: expected at least 3x3, got ${img.width}x${img.height}`, 'E_SIZE');
  const g = img.channels === 3 ? rgbToLumaBt601(img, { round: true }) : makePlane(img.width, img.height, Float64Array.from(channel(img, 0).data));
  const L = laplacian(g);
  let s = 0;
  for (const v of L.data) s += v;
  const m = s / L.data.length;
  let q = 0;
  for (let i = 0; i < L.data.length; i++) {
    const t = L.data[i] - m;
    q += t * t;
    L.data[i] = Math.abs(L.data[i]);
  }
  return { score: q / L.data.length, map: L };
}

export const lapvarEntries: readonly MetricEntry[] = [
  classicNR({ name: 'lapvar', lowerBetter: false, range: [0, Infinity], description: 'Variance of the Laplacian (sharpness/focus measure, OpenCV recipe); not normalised' }, (img) => lapvar(img), {}),
];
