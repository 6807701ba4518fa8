/**
 * One step of the Laplacian pyramid of Burt & Adelson as used by IW-SSIM (Wang's `iwssim.m` via matlabPyrTools
 * `buildLpyr` with the 'binom5' filter; piq `_pyr_step`): the 5-tap binomial filter [1 4 6 4 1]/16 × √2 per
 * dimension, reflect padding (border sample not repeated: … c b | a b c …), decimation keeping samples 0, 2, 4, …
 * (ceil(M/2)); expansion by zero insertion (length 2·ceil(M/2)), reflect padding, the same filter, cropped to M.
 * Rows are filtered first, then columns; a side of length 1 is left as is.
 */
import { makePlane, type Plane } from '../tensor/image.js';
import { mapIndex } from './pad.js';

const B5 = [1, 4, 6, 4, 1].map((v) => (v / 16) * Math.SQRT2);

/** Filters `n` samples (stride `step` from `off`) with B5 at positions 0, 2, 4, ... ('down') into `out`. */
function down1(src: Float64Array, off: number, step: number, n: number, out: Float64Array, ooff: number, ostep: number): void {
  for (let j = 0, o = 0; j < n; j += 2, o++) {
    let acc = 0;
    for (let k = 0; k < 5; k++) acc += B5[k] * src[off + step * mapIndex(j - 2 + k, n, 'reflect')];
    out[ooff + ostep * o] = acc;
  }
}

/** Expands `m` samples to 2m by zero insertion, filters with B5 (reflect over 2m), keeps the first `n`. */
function up1(src: Float64Array, off: number, step: number, m: number, n: number, out: Float64Array, ooff: number, ostep: number): void {
  const len = 2 * m;
  for (let j = 0; j < n; j++) {
    let acc = 0;
    for (let k = 0; k < 5; k++) {
      const i = mapIndex(j - 2 + k, len, 'reflect');
      if ((i & 1) === 0) acc += B5[k] * src[off + step * (i >> 1)];
    }
    out[ooff + ostep * j] = acc;
  }
}

/** Blur-and-decimate: the next Gaussian level (ceil(W/2) x ceil(H/2)). */
export function pyrDown(p: Plane): Plane {
  const W = p.width, H = p.height;
  let cur = p;
  if (W > 1) {
    const Wo = Math.ceil(W / 2), out = new Float64Array(Wo * H);
    for (let y = 0; y < H; y++) down1(cur.data, y * W, 1, W, out, y * Wo, 1);
    cur = makePlane(Wo, H, out);
  }
  if (H > 1) {
    const w = cur.width, Ho = Math.ceil(H / 2), out = new Float64Array(w * Ho);
    for (let x = 0; x < w; x++) down1(cur.data, x, w, H, out, x, w);
    cur = makePlane(w, Ho, out);
  }
  return cur;
}

/** Expands a coarse level back to W x H. */
export function pyrUp(lo: Plane, W: number, H: number): Plane {
  let cur = lo;
  if (W > 1) {
    const h = cur.height, out = new Float64Array(W * h);
    for (let y = 0; y < h; y++) up1(cur.data, y * cur.width, 1, cur.width, W, out, y * W, 1);
    cur = makePlane(W, h, out);
  }
  if (H > 1) {
    const out = new Float64Array(W * H);
    for (let x = 0; x < W; x++) up1(cur.data, x, W, cur.height, H, out, x, W);
    cur = makePlane(W, H, out);
  }
  return cur;
}

/** One pyramid step: the coarser level `lo` and the band-pass difference `hi = x - up(lo)`. */
export function laplacianStep(x: Plane): { lo: Plane; hi: Plane } {
  const lo = pyrDown(x);
  const up = pyrUp(lo, x.width, x.height);
  const hi = new Float64Array(x.data.length);
  for (let i = 0; i < hi.length; i++) hi[i] = x.data[i] - up.data[i];
  return { lo, hi: makePlane(x.width, x.height, hi) };
}
