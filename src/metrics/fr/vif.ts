/**
 * VIF: wavelet-domain Visual Information Fidelity (Sheikh & Bovik, "Image information and visual quality",
 * IEEE TIP 15(2):430-444, 2006). Matches the LIVE release `vifvec.m` (+ `vifsub_est_M.m`, `refparams_vecgsm.m`,
 * `ind2wtree.m`) on matlabPyrTools `buildSpyr(·, 4, 'sp5Filters', 'reflect1')` (src/signal/steerable-pyramid.ts).
 * NOT the pixel-domain VIFp (`vifp`, conventions.md §2.8).
 *
 * Conventions that change numbers:
 * - luma: MATLAB `rgb2gray` rounded to uint8 (the official TID values, pyiqa `results_official.csv`); option
 *   `luma: 'ycbcr'` takes Y of MATLAB `rgb2ycbcr` on double input, NOT rounded, 16..235 (the 2022-era values); grey as is;
 * - steerable pyramid sp5 (6 orientations), 4 levels, reflect1 edges;
 * - subbands [4 7 10 13 16 19 22 25] of `ind2wtree` (which reverses the pyramid order): orientation bands 4 and 1
 *   of each level; window for the distortion channel 2^lev+1 with lev = ceil((sub-1)/6) (3, 5, 9, 17 from the
 *   coarsest level to the finest), box window, correlation subsampled at the centres of the 3x3 blocks;
 * - GSM vectors M = 3 (3x3 blocks); covariance from all overlapping blocks, s-field from non-overlapping blocks;
 * - σn² = 0.4; tol 1e-15 guards of `vifsub_est_M.m`; border blocks dropped: ceil(((win-1)/2)/M) per side;
 * - VIF = Σ log2(1 + g²·s·λ/(σv² + σn²)) / Σ log2(1 + s·λ/σn²) over subbands, eigenvalues λ and blocks.
 * - Order matters: (distorted, reference).
 * A reference without information (a constant image: singular subband covariance, zero denominator) is an error.
 * Minimum size: 4 pyramid levels need both sides ≥ 72 (matlabPyrTools `maxPyrHt` with the 9-tap lowpass).
 */
import type { Image, Plane } from '../../tensor/image.js';
import { makePlane } from '../../tensor/image.js';
import { IqaError } from '../../tensor/errors.js';
import { rgb2grayMatlab, rgbToYBt601Matlab } from '../../color/index.js';
import { corrDn, corrDnSeparable, maxPyrHeight, sp5Filters, type SteerablePyramid } from '../../signal/steerable-pyramid.js';
import { invertSymmetric, symmetricEigenvalues } from '../../signal/linalg.js';
import { classicFR, type MetricEntry, type MetricOutput } from '../types.js';

export interface VifOptions {
  /** Luma of RGB input: 'rgb2gray' (default; current official values) or 'ycbcr' (Y of rgb2ycbcr, 2022-era). */
  luma?: 'rgb2gray' | 'ycbcr';
  /** HVS noise variance (default 0.4). */
  sigmaNsq?: number;
}

const M = 3;
const SUBBANDS = [4, 7, 10, 13, 16, 19, 22, 25];
const TOL = 1e-15;
export const VIF_MIN_SIZE = 72;

/** `ind2wtree` index (1-based, reversed pyramid order) -> the band plane. 26 entries for 4 levels of 6 bands. */
function wtree(p: SteerablePyramid, sub: number): Plane {
  const nb = p.levels[0].length, nl = p.levels.length;
  const total = 2 + nb * nl;
  const idx = total + 1 - sub; // 1-based position in [hi0, L1 b1..b6, ..., Ln b1..b6, lo]
  if (idx === 1) return p.highpass;
  if (idx === total) return p.lowpass;
  const l = Math.floor((idx - 2) / nb), b = (idx - 2) % nb;
  return p.levels[l][b];
}

/** Orientation bands (0-based) that SUBBANDS reach through `wtree`: 4 and 1 in MATLAB's 1-based numbering. */
const USED_BANDS = [0, 3];

/**
 * `buildSpyr(im, ht, 'sp5Filters', 'reflect1')` restricted to what VIF reads: the same corrDn calls for the
 * lowpass chain and the USED_BANDS orientation bands; the high-pass residual and the other 4 orientations of each
 * level (never read by SUBBANDS) are left as empty 0x0 planes. Saves 2/3 of the band filtering.
 */
function vifPyramid(im: Plane, ht: number): SteerablePyramid {
  const f = sp5Filters();
  const maxHt = maxPyrHeight(im.width, im.height, f.lo.width);
  if (ht > maxHt) throw new IqaError(`vif: pyramid height for a ${im.width}x${im.height} image: expected at most ${maxHt}, got ${ht}`, 'E_SIZE');
  const unused = makePlane(0, 0);
  let lo = corrDn(im, f.lo0);
  const levels: Plane[][] = [];
  for (let l = 0; l < ht; l++) {
    levels.push(f.bands.map((b, i) => (USED_BANDS.includes(i) ? corrDn(lo, b) : unused)));
    lo = corrDn(lo, f.lo, 2, 0);
  }
  return { highpass: unused, levels, lowpass: lo };
}

/** y(1:floor(H/M)*M, 1:floor(W/M)*M) */
function cropToMultiple(y: Plane): Plane {
  const W = Math.floor(y.width / M) * M, H = Math.floor(y.height / M) * M;
  if (W === y.width && H === y.height) return y;
  const out = new Float64Array(W * H);
  for (let r = 0; r < H; r++) out.set(y.data.subarray(r * y.width, r * y.width + W), r * W);
  return makePlane(W, H, out);
}

/** `vifsub_est_M.m` for one subband: gain g and noise variance vv on the block grid (H/M x W/M). */
function distortionChannel(y: Plane, yn: Plane, winsize: number): { g: Float64Array; vv: Float64Array } {
  const n = winsize * winsize;
  const win = new Float64Array(winsize).fill(1);
  const winN = new Float64Array(winsize).fill(1 / winsize);
  const prod = (a: Float64Array, b: Float64Array) => {
    const o = new Float64Array(a.length);
    for (let i = 0; i < a.length; i++) o[i] = a[i] * b[i];
    return makePlane(y.width, y.height, o);
  };
  // samples at the centres of the MxM blocks: start floor(M/2) (0-based), step M, stop size - ceil(M/2) + 1
  const cd = (p: Plane, k: Float64Array) => corrDnSeparable(p, k, k, M, Math.floor(M / 2), y.width - Math.ceil(M / 2) + 1, y.height - Math.ceil(M / 2) + 1).data;
  const mx = cd(y, winN), my = cd(yn, winN);
  const sxy = cd(prod(y.data, yn.data), win), sxx = cd(prod(y.data, y.data), win), syy = cd(prod(yn.data, yn.data), win);
  const len = mx.length;
  const g = new Float64Array(len), vv = new Float64Array(len);
  for (let i = 0; i < len; i++) {
    const covXY = sxy[i] - n * mx[i] * my[i];
    let ssX = sxx[i] - n * mx[i] * mx[i];
    let ssY = syy[i] - n * my[i] * my[i];
    if (ssX < 0) ssX = 0;
    if (ssY < 0) ssY = 0;
    let gi = covXY / (ssX + TOL);
    let v = (ssY - gi * covXY) / n;
    if (ssX < TOL) {
      gi = 0;
      v = ssY;
    }
    if (ssY < TOL) {
      gi = 0;
      v = 0;
    }
    if (gi < 0) {
      v = ssY;
      gi = 0;
    }
    if (v <= TOL) v = TOL;
    g[i] = gi;
    vv[i] = v;
  }
  return { g, vv };
}

/** `refparams_vecgsm.m` for one subband: the s-field (per non-overlapping block) and the eigenvalues of C_U. */
function referenceParams(y: Plane): { ss: Float64Array; lambda: Float64Array } | null {
  const W = y.width, H = y.height, d = y.data, D = M * M;
  const nw = W - M + 1, nh = H - M + 1, N = nw * nh;
  // mean of every overlapping block vector (component index dy*M+dx)
  const mean = new Float64Array(D);
  for (let dy = 0; dy < M; dy++) for (let dx = 0; dx < M; dx++) {
    let s = 0;
    for (let r = 0; r < nh; r++) {
      const o = (r + dy) * W + dx;
      for (let c = 0; c < nw; c++) s += d[o + c];
    }
    mean[dy * M + dx] = s / N;
  }
  // covariance (1/N, centred) over all overlapping blocks
  const cu = new Float64Array(D * D);
  const v = new Float64Array(D);
  for (let r = 0; r < nh; r++) for (let c = 0; c < nw; c++) {
    for (let dy = 0; dy < M; dy++) for (let dx = 0; dx < M; dx++) v[dy * M + dx] = d[(r + dy) * W + c + dx] - mean[dy * M + dx];
    for (let a = 0; a < D; a++) {
      const va = v[a];
      for (let b = a; b < D; b++) cu[a * D + b] += va * v[b];
    }
  }
  for (let a = 0; a < D; a++) for (let b = a; b < D; b++) {
    cu[a * D + b] /= N;
    cu[b * D + a] = cu[a * D + b];
  }
  const inv = invertSymmetric(cu, D);
  if (!inv) return null;
  const bw = W / M, bh = H / M;
  const ss = new Float64Array(bw * bh);
  for (let br = 0; br < bh; br++) for (let bc = 0; bc < bw; bc++) {
    for (let dy = 0; dy < M; dy++) for (let dx = 0; dx < M; dx++) v[dy * M + dx] = d[(br * M + dy) * W + bc * M + dx];
    let q = 0;
    for (let a = 0; a < D; a++) {
      let t = 0;
      for (let b = 0; b < D; b++) t += inv[a * D + b] * v[b];
      q += t * v[a];
    }
    ss[br * bw + bc] = q / D;
  }
  return { ss, lambda: symmetricEigenvalues(cu, D) };
}

function lumaOf(img: Image, luma: 'rgb2gray' | 'ycbcr'): Plane {
  if (img.channels === 1 || luma === 'rgb2gray') return rgb2grayMatlab(img);
  return rgbToYBt601Matlab(img, { uint8: false });
}

/** VIF of `dist` against `ref` (higher is better, 1 for identical images). */
export function vif(dist: Image, ref: Image, opts: VifOptions = {}): MetricOutput {
  if (ref.width < VIF_MIN_SIZE || ref.height < VIF_MIN_SIZE) {
    throw new IqaError(`vif: image size: expected at least ${VIF_MIN_SIZE}x${VIF_MIN_SIZE} (4 steerable-pyramid levels), got ${ref.width}x${ref.height}`, 'E_SIZE');
  }
  const sigmaNsq = opts.sigmaNsq ?? 0.4;
  const luma = opts.luma ?? 'rgb2gray';
  const org = vifPyramid(lumaOf(ref, luma), 4);
  const dst = vifPyramid(lumaOf(dist, luma), 4);
  let num = 0, den = 0;
  for (const sub of SUBBANDS) {
    const y = cropToMultiple(wtree(org, sub)), yn = cropToMultiple(wtree(dst, sub));
    if (y.width === 0) throw new Error(`vif: subband ${sub} is not built by vifPyramid`); // guards USED_BANDS
    const lev = Math.ceil((sub - 1) / 6);
    const winsize = 2 ** lev + 1;
    const { g, vv } = distortionChannel(y, yn, winsize);
    const rp = referenceParams(y);
    if (!rp) throw flat();
    const { ss, lambda } = rp;
    const off = Math.ceil((winsize - 1) / 2 / M);
    const bw = y.width / M, bh = y.height / M;
    for (const l of lambda) {
      for (let r = off; r < bh - off; r++) for (let c = off; c < bw - off; c++) {
        const i = r * bw + c;
        num += Math.log2(1 + (g[i] * g[i] * ss[i] * l) / (vv[i] + sigmaNsq));
        den += Math.log2(1 + (ss[i] * l) / sigmaNsq);
      }
    }
  }
  if (!(den > 0)) throw flat();
  return { score: num / den };
}

/** VIF is 0/0 when the reference carries no information (e.g. a constant image): a clear error, not NaN. */
function flat(): IqaError {
  return new IqaError('vif: reference image: expected some texture in every pyramid subband (VIF is 0/0 otherwise), got a flat subband (e.g. a constant image)', 'E_NUMERIC');
}

export const vifEntries: readonly MetricEntry[] = [
  classicFR(
    { name: 'vif', lowerBetter: false, range: [0, 1], description: 'Wavelet-domain VIF on an sp5 steerable pyramid (LIVE vifvec.m)' },
    vif,
    {} as VifOptions,
  ),
];
