/**
 * MATLAB `conv2(A, B, 'same')` and the small helpers the Zhang-family metrics (FSIM, VSI, SR-SIM, MDSI, HaarPSI)
 * share: the box pre-scaling `conv2(X, fspecial('average', F), 'same')` + `X(1:F:end, 1:F:end)`, and `mat2gray`.
 *
 * conv2 'same' keeps the central part of the full convolution starting at index floor(k/2) (0-based), so for
 * output p the window covers x[p − (k − 1 − floor(k/2)) … p + floor(k/2)] with the kernel rotated 180°:
 * exactly `filter2(rot180(B), A, 'same')` with zero padding and MATLAB's even-kernel anchoring
 * (a = floor((k − 1)/2) before; conventions.md §1.5, §1.7).
 */
import { makePlane, type Plane } from '../tensor/image.js';
import { filter2, filterSeparable, type Kernel } from './filter.js';

/** The kernel rotated by 180° (what conv2 applies compared with a correlation). */
export function rot180(k: Kernel): Kernel {
  const d = new Float64Array(k.data.length);
  for (let i = 0; i < d.length; i++) d[i] = k.data[d.length - 1 - i];
  return { width: k.width, height: k.height, data: d };
}

/** MATLAB `conv2(p, k, 'same')` (zero padding). */
export function conv2Same(p: Plane, k: Kernel): Plane {
  return filter2(p, rot180(k), 'same', 'zero');
}

/** MATLAB `conv2(p, kx(:)' * ky(:)... )` for a separable kernel: rows convolved with kx, columns with ky. */
export function conv2SameSeparable(p: Plane, kx: ArrayLike<number>, ky: ArrayLike<number>): Plane {
  const rx = Float64Array.from(kx).reverse(), ry = Float64Array.from(ky).reverse();
  return filterSeparable(p, rx, ry, 'same', 'zero');
}

/**
 * `aveX = conv2(X, fspecial('average', F), 'same'); X = aveX(1:F:rows, 1:F:cols)` (FeatureSIM.m, VSI.m, SR_SIM.m,
 * MDSI.m, and with F = 2 HaarPSI.m/GMSD.m). Keeps ceil(M/F) samples per axis. F = 1 returns the plane unchanged.
 */
export function downsampleConv2Same(p: Plane, f: number): Plane {
  if (f <= 1) return p;
  // Only the kept samples are computed: output (y, x) averages rows/cols [y·f − a, y·f − a + f − 1], a = ⌊(f−1)/2⌋,
  // with zeros outside the image (conv2 'same' of the symmetric box kernel).
  const a = Math.floor((f - 1) / 2), W = Math.ceil(p.width / f), H = Math.ceil(p.height / f);
  const src = p.data, sw = p.width, sh = p.height;
  const rows = new Float64Array(H * sw); // vertical box sums at the kept rows
  for (let y = 0; y < H; y++) {
    const o = y * sw;
    for (let j = 0; j < f; j++) {
      const sy = y * f - a + j;
      if (sy < 0 || sy >= sh) continue;
      const r = sy * sw;
      for (let x = 0; x < sw; x++) rows[o + x] += src[r + x];
    }
  }
  const out = new Float64Array(W * H), norm = 1 / (f * f);
  for (let y = 0; y < H; y++) {
    const o = y * sw;
    for (let x = 0; x < W; x++) {
      let s = 0;
      for (let i = 0; i < f; i++) {
        const sx = x * f - a + i;
        if (sx >= 0 && sx < sw) s += rows[o + sx];
      }
      out[y * W + x] = s * norm;
    }
  }
  return makePlane(W, H, out);
}

/** MATLAB `mat2gray(X)`: (X − min)/(max − min). A constant X gives all zeros here (toolkit choice; MATLAB
 * returns X itself clipped to [0, 1] in that degenerate case). */
export function mat2gray(p: Plane): Plane {
  let lo = Infinity, hi = -Infinity;
  for (const v of p.data) {
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  const out = new Float64Array(p.data.length);
  if (hi > lo) for (let i = 0; i < out.length; i++) out[i] = (p.data[i] - lo) / (hi - lo);
  return makePlane(p.width, p.height, out);
}

/** Scharr gradient magnitude √(Gx² + Gy²) with dx = [3 0 −3; 10 0 −10; 3 0 −3]/16, conv2 'same' (FSIM, VSI, SR-SIM). */
export function scharrMagnitude(p: Plane): Plane {
  return gradMag(p, [3 / 16, 10 / 16, 3 / 16]);
}

/** Prewitt/3 gradient magnitude with dx = [1 0 −1; 1 0 −1; 1 0 −1]/3, conv2 'same' (GMSD, MDSI). */
export function prewittMagnitude(p: Plane): Plane {
  return gradMag(p, [1 / 3, 1 / 3, 1 / 3]);
}

function gradMag(p: Plane, smooth: readonly number[]): Plane {
  // dx = smooth(:) * [1 0 -1]; dy = dx'. Sign is irrelevant for the magnitude.
  const gx = conv2SameSeparable(p, [1, 0, -1], smooth);
  const gy = conv2SameSeparable(p, smooth, [1, 0, -1]);
  const out = new Float64Array(p.data.length);
  for (let i = 0; i < out.length; i++) out[i] = Math.sqrt(gx.data[i] * gx.data[i] + gy.data[i] * gy.data[i]);
  return makePlane(p.width, p.height, out);
}
