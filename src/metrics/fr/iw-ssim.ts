/**
 * IW-SSIM: Z. Wang, Q. Li, "Information Content Weighting for Perceptual Image Quality Assessment", IEEE TIP 20(5),
 * 2011 (eqs. 11-19). Matches Wang's MATLAB `iwssim.m` as validated by piq (`information_weighted_ssim`, v0.8.0,
 * goldhill 0.886297251092821 and I01 0.946804801436296 at 1e-5; conventions.md §2.6):
 * - luma: Y of YIQ (0.299, 0.587, 0.114) on 0..255, not rounded; grey input as is;
 * - Laplacian pyramid, 5 levels (`src/signal/laplacian-pyramid.ts`: binomial-5 ×√2, reflect); bands 1-4 are the
 *   band-pass levels, level 5 the low-pass residual;
 * - per level: SSIM maps with the 11x11 σ = 1.5 Gaussian, 'valid', K = (0.01, 0.03), L = 255 (local variances
 *   clamped at 0);
 * - information content weights (eq. 17, the GSM model of the reference band): 3x3 neighbourhoods of the reference
 *   band plus, for levels 1-3, the parent coefficient (the next band up-sampled by the `imenlarge2` rule: bilinear
 *   to 4n-3, linear extrapolation of the border, every second sample); covariance C_U from all neighbourhoods,
 *   eigenvalues clipped at 0 and rescaled to the same trace; s² = yᵀC_U⁻¹y / N; gain g = σ_xy/σ_y², residual
 *   σ_v² = σ_x² − g·σ_xy (with the MATLAB guards); w = Σ_k log2(1 + ((σ_v² + (1 + g²)σ_n²)s²λ_k + σ_n²σ_v²)/σ_n⁴),
 *   σ_n² = 0.4; weights cropped by 4 pixels to the SSIM map;
 * - level score = Σ cs·w / Σ w (levels 1-4), mean SSIM at level 5; IW-SSIM = Π |score_j|^{w_j} with the MS-SSIM
 *   weights normalised to sum 1.
 * Argument order matters (not symmetric): the GSM model is fitted on the **reference** (second argument), the
 * distorted image enters through g and σ_v² (MATLAB `iwssim(oimg, img)` = `iwSsim(img, oimg)` here). piq's I01 check
 * passes the AWGN image as the reference, so its golden value is `iwSsim(I01, i01_01_5)`.
 * Minimum size (11−1)·2⁴ + 1 = 161. No single quality map (multi-scale). Needs a reference band with content (a
 * singular C_U, e.g. a flat reference, is a clear error).
 */
import { assertMinSize, channel, makePlane, type Image, type Plane } from '../../tensor/image.js';
import { rgbToLumaBt601 } from '../../color/index.js';
import { gaussian1d } from '../../signal/filter.js';
import { laplacianStep } from '../../signal/laplacian-pyramid.js';
import { ssimCore } from '../../signal/ssim-core.js';
import { IqaError } from '../../tensor/errors.js';
import { classicFR, type MetricEntry, type MetricOutput } from '../types.js';
// ml-matrix: maintained pure-JS linear algebra; used for the symmetric eigendecomposition of the 9x9/10x10 C_U.
import { EigenvalueDecomposition, Matrix } from 'ml-matrix';

export interface IwSsimOptions {
  /** Scale weights (normalised to sum 1); default the MS-SSIM weights. */
  weights?: readonly number[];
  /** Use the parent band in the GSM neighbourhood (default true). */
  parent?: boolean;
  /** σ_n² of the distortion model (default 0.4). */
  sigmaNsq?: number;
  k1?: number;
  k2?: number;
}

const EPS = Number.EPSILON;

/** imenlarge2 (piq `_image_enlarge`): bilinear (half-pixel centres) to 4n-3, extrapolated border, samples 0, 2, 4, ... */
export function imageEnlarge(p: Plane, W: number, H: number): Plane {
  const h = p.height, w = p.width;
  const th = 4 * h - 3, tw = 4 * w - 3;
  // separable bilinear (align_corners = false): index and weight tables
  const tab = (inn: number, out: number) => {
    const i0 = new Int32Array(out), i1 = new Int32Array(out), l1 = new Float64Array(out);
    const scale = inn / out;
    for (let d = 0; d < out; d++) {
      const src = Math.max(scale * (d + 0.5) - 0.5, 0);
      const a = Math.floor(src);
      i0[d] = a;
      i1[d] = a < inn - 1 ? a + 1 : a;
      l1[d] = src - a;
    }
    return { i0, i1, l1 };
  };
  const tx = tab(w, tw), ty = tab(h, th);
  const T2w = tw + 2, T2h = th + 2;
  const t2 = new Float64Array(T2w * T2h);
  const s = p.data;
  for (let r = 0; r < th; r++) {
    const a0 = ty.i0[r] * w, a1 = ty.i1[r] * w, m1 = ty.l1[r], m0 = 1 - m1;
    for (let c = 0; c < tw; c++) {
      const b0 = tx.i0[c], b1 = tx.i1[c], n1 = tx.l1[c], n0 = 1 - n1;
      t2[(r + 1) * T2w + c + 1] = m0 * (n0 * s[a0 + b0] + n1 * s[a0 + b1]) + m1 * (n0 * s[a1 + b0] + n1 * s[a1 + b1]);
    }
  }
  const L = T2h - 1;
  for (let c = 0; c < T2w; c++) {
    t2[c] = 2 * t2[T2w + c] - t2[2 * T2w + c];
    t2[L * T2w + c] = 2 * t2[(L - 1) * T2w + c] - t2[(L - 2) * T2w + c];
  }
  const R = T2w - 1;
  for (let r = 0; r < T2h; r++) {
    const o = r * T2w;
    t2[o] = 2 * t2[o + 1] - t2[o + 2];
    t2[o + R] = 2 * t2[o + R - 1] - t2[o + R - 2];
  }
  const out = new Float64Array(W * H);
  for (let r = 0; r < H; r++) for (let c = 0; c < W; c++) out[r * W + c] = t2[2 * r * T2w + 2 * c];
  return makePlane(W, H, out);
}

/** Information content weight map (eq. 17) of band x (distorted) against y (reference); (H-2) x (W-2), uncropped. */
export function infoContentMap(x: Plane, y: Plane, parent: Plane | null, sigmaNsq: number): Plane {
  const W = x.width, H = x.height, xs = x.data, ys = y.data;
  const nw = W - 2, nh = H - 2, nexp = nw * nh;
  const pu = parent ? imageEnlarge(parent, W, H).data : null;
  const N = parent ? 10 : 9;
  const g = new Float64Array(nexp), vv = new Float64Array(nexp);
  // neighbourhood vectors of the reference (3x3 + parent), one row of N per position: reused by both passes
  const Y = new Float64Array(nexp * N);
  const C = new Float64Array(N * N);
  const ninth = 1 / 9;
  for (let r = 1, i = 0; r <= nh; r++) {
    for (let c = 1; c <= nw; c++, i++) {
      let mx = 0, my = 0, mxx = 0, myy = 0, mxy = 0;
      const row = i * N;
      let k = 0;
      for (let dy = -1; dy <= 1; dy++) {
        const o = (r + dy) * W + c;
        for (let dx = -1; dx <= 1; dx++) {
          const a = xs[o + dx], b = ys[o + dx];
          mx += a; my += b; mxx += a * a; myy += b * b; mxy += a * b;
          Y[row + k++] = b;
        }
      }
      if (pu) Y[row + 9] = pu[r * W + c];
      mx *= ninth; my *= ninth;
      const sxx = Math.max(0, mxx * ninth - mx * mx), syy = Math.max(0, myy * ninth - my * my);
      const sxy = mxy * ninth - mx * my;
      let gi = sxy / (syy + EPS);
      let vi = sxx - gi * sxy;
      if (syy < EPS) { gi = 0; vi = sxx; }
      if (sxx < EPS) { gi = 0; vi = 0; }
      g[i] = gi;
      vv[i] = vi;
      for (let a = 0; a < N; a++) {
        const va = Y[row + a];
        for (let b = a; b < N; b++) C[a * N + b] += va * Y[row + b];
      }
    }
  }
  for (let a = 0; a < N; a++) for (let b = a; b < N; b++) C[b * N + a] = C[a * N + b] /= nexp;
  // C_U with negative eigenvalues removed and the trace preserved, then its inverse (eq. 16)
  const rows: number[][] = [];
  for (let a = 0; a < N; a++) rows.push(Array.from(C.subarray(a * N, a * N + N)));
  const eig = new EigenvalueDecomposition(new Matrix(rows), { assumeSymmetric: true });
  const lam = eig.realEigenvalues, V = eig.eigenvectorMatrix;
  const sumAll = lam.reduce((s, l) => s + l, 0), sumPos = lam.reduce((s, l) => s + (l > 0 ? l : 0), 0);
  const Ls = Float64Array.from(lam, (l) => ((l > 0 ? l : 0) * sumAll) / (sumPos === 0 ? 1 : sumPos));
  if (Ls.some((l) => !(l > 0))) throw new IqaError('iw_ssim: reference band: expected a non-singular neighbourhood covariance (a reference with content), got a singular one', 'E_INPUT');
  const Ci = new Float64Array(N * N);
  for (let a = 0; a < N; a++) for (let b = 0; b < N; b++) {
    let s = 0;
    for (let k = 0; k < N; k++) s += V.get(a, k) * V.get(b, k) / Ls[k];
    Ci[a * N + b] = s;
  }
  const Ci2 = new Float64Array(N * N);
  for (let a = 0; a < N; a++) for (let b = a; b < N; b++) Ci2[a * N + b] = a === b ? Ci[a * N + b] : Ci[a * N + b] + Ci[b * N + a];
  const out = new Float64Array(nexp);
  const sn = sigmaNsq, sn2 = sigmaNsq * sigmaNsq;
  for (let i = 0; i < nexp; i++) {
    const row = i * N;
    // yᵀ C⁻¹ y using the symmetry of C⁻¹ (upper triangle, off-diagonal terms doubled in Ci2)
    let q = 0;
    for (let a = 0; a < N; a++) {
      const va = Y[row + a], ca = a * N;
      let t = Ci2[ca + a] * va;
      for (let b = a + 1; b < N; b++) t += Ci2[ca + b] * Y[row + b];
      q += t * va;
    }
    const ss = q / N;
    const gi = g[i], vi = vv[i];
    const A = ((vi + (1 + gi * gi) * sn) * ss) / sn2, B = (sn * vi) / sn2;
    // Σ_k log2(1 + ...) as one log2 of the product (each factor >= 1, far from overflow): 10x fewer logarithms
    let prod = 1;
    for (let k = 0; k < N; k++) prod *= 1 + A * Ls[k] + B;
    const w = Math.log2(prod);
    out[i] = w < EPS ? 0 : w;
  }
  return makePlane(nw, nh, out);
}

/** IW-SSIM of two luma planes (0..255). */
export function iwSsimPlane(dist: Plane, ref: Plane, opts: IwSsimOptions = {}): number {
  const w0 = opts.weights ?? [0.0448, 0.2856, 0.3001, 0.2363, 0.1333];
  const sw = w0.reduce((s, v) => s + v, 0);
  const weights = w0.map((v) => v / sw);
  const levels = weights.length;
  const useParent = opts.parent ?? true, sn = opts.sigmaNsq ?? 0.4;
  const c1 = ((opts.k1 ?? 0.01) * 255) ** 2, c2 = ((opts.k2 ?? 0.03) * 255) ** 2;
  const win = gaussian1d(11, 1.5);
  // Laplacian pyramid: bands[0..levels-2] band-pass, bands[levels-1] low-pass residual
  const bx: Plane[] = [], by: Plane[] = [];
  let x = dist, y = ref;
  for (let l = 0; l < levels - 1; l++) {
    const sx = laplacianStep(x), sy = laplacianStep(y);
    bx.push(sx.hi); by.push(sy.hi);
    x = sx.lo; y = sy.lo;
  }
  bx.push(x); by.push(y);
  let score = 1;
  for (let l = 0; l < levels; l++) {
    const r = ssimCore(bx[l], by[l], { window: win, c1, c2, clampVariance: true, wantMap: l === levels - 1, wantCsMap: l < levels - 1 });
    let s: number;
    if (l === levels - 1) s = r.mean;
    else {
      const parent = useParent && l < levels - 2 ? by[l + 1] : null;
      const iw = infoContentMap(bx[l], by[l], parent, sn);
      const cs = r.csMap!;
      // crop the (H-2)x(W-2) weight map by ceil(10/2) - floor(2/2) = 4 to the (H-10)x(W-10) SSIM map
      let num = 0, den = 0;
      for (let i = 0; i < cs.height; i++) for (let j = 0; j < cs.width; j++) {
        const wv = iw.data[(i + 4) * iw.width + j + 4];
        num += cs.data[i * cs.width + j] * wv;
        den += wv;
      }
      s = num / den;
    }
    score *= Math.abs(s) ** weights[l];
  }
  return score;
}

export function iwSsim(dist: Image, ref: Image, opts: IwSsimOptions = {}): MetricOutput {
  const levels = (opts.weights ?? [0, 0, 0, 0, 0]).length;
  assertMinSize('iw_ssim', ref, 10 * 2 ** (levels - 1) + 1);
  const a = dist.channels === 3 ? rgbToLumaBt601(dist) : channel(dist, 0);
  const b = ref.channels === 3 ? rgbToLumaBt601(ref) : channel(ref, 0);
  return { score: iwSsimPlane(a, b, opts) };
}

export const iwSsimEntries: readonly MetricEntry[] = [
  classicFR({ name: 'iw_ssim', lowerBetter: false, range: [0, 1], description: "IW-SSIM (Wang & Li 2011) as iwssim.m / piq: YIQ luma, 5-level Laplacian pyramid, information-content weights" }, iwSsim, {} as IwSsimOptions),
];
