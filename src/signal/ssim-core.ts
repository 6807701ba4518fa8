/**
 * The SSIM kernel shared by SSIM, MS-SSIM and IW-SSIM: local Gaussian-weighted moments of two planes with 'valid'
 * filtering (Wang `ssim.m`: `filter2(window, img, 'valid')`), fused into one streaming pass.
 *
 * Speed: the 2-D window is separable (w = g ⊗ g), so each of the five moments (μx, μy, E[x²], E[y²], E[xy]) costs
 * 2n multiply-adds per pixel instead of n²; a symmetric g is folded (g[i]·(a[i] + a[n-1-i])) to halve that again.
 * Rows are filtered horizontally into a ring buffer of n rows and reduced vertically as soon as n rows are there, so
 * the working set is 5·n rows (cache-resident) whatever the image size. All arithmetic is float64.
 */
import { makePlane, type Plane } from '../tensor/image.js';
import { expected } from '../tensor/errors.js';

export interface SsimCoreOptions {
  /** 1-D window factor (the 2-D window is its outer product), normalised to sum 1. */
  readonly window: Float64Array;
  readonly c1: number;
  readonly c2: number;
  /** Clamp the contrast-structure term at 0 (pyiqa's ReLU on the cs map). */
  readonly reluCs?: boolean;
  /** Multiply variances/covariance by this (skimage's sample covariance NP/(NP-1)); default 1. */
  readonly covNorm?: number;
  /** Clamp the local variances at 0 before use (piq's IW-SSIM `relu`); default false. */
  readonly clampVariance?: boolean;
  /** Return the SSIM map (default false). */
  readonly wantMap?: boolean;
  /** Return the contrast-structure map cs = (2σxy + C2)/(σx² + σy² + C2) (default false). */
  readonly wantCsMap?: boolean;
}

export interface SsimCoreResult {
  /** Mean of the SSIM map. */
  readonly mean: number;
  /** Mean of the cs map (MS-SSIM's `mcs`). */
  readonly csMean: number;
  readonly map?: Plane;
  readonly csMap?: Plane;
}

function isSymmetric(g: Float64Array): boolean {
  for (let i = 0, j = g.length - 1; i < j; i++, j--) if (g[i] !== g[j]) return false;
  return true;
}

/** SSIM statistics of planes x and y (same size) with 'valid' filtering: map size (W-n+1) x (H-n+1). */
export function ssimCore(x: Plane, y: Plane, o: SsimCoreOptions): SsimCoreResult {
  const g = o.window, n = g.length;
  const W = x.width, H = x.height;
  if (y.width !== W || y.height !== H) throw expected('ssimCore', 'plane sizes', `${W}x${H} for both`, `${y.width}x${y.height}`, 'E_SIZE');
  const Wo = W - n + 1, Ho = H - n + 1;
  if (Wo < 1 || Ho < 1) throw expected('ssim', 'image size (after downsampling)', `at least ${n}x${n}`, `${W}x${H}`, 'E_SIZE');
  const xs = x.data, ys = y.data;
  const sym = isSymmetric(g), half = n >> 1, odd = (n & 1) === 1;
  // ring buffer of n horizontally filtered rows; per column the 5 moments are interleaved (x, y, xx, yy, xy) so the
  // vertical pass reads n contiguous streams and accumulates in registers
  const ring = new Float64Array(n * Wo * 5);
  const pxx = new Float64Array(W), pyy = new Float64Array(W), pxy = new Float64Array(W);
  const off = new Int32Array(n);
  const map = o.wantMap ? new Float64Array(Wo * Ho) : null;
  const csMap = o.wantCsMap ? new Float64Array(Wo * Ho) : null;
  const { c1, c2 } = o;
  const cov = o.covNorm ?? 1;
  const relu = o.reluCs ?? false;
  const clampVar = o.clampVariance ?? false;
  const gh = sym && odd ? g[half] : 0;
  let sumS = 0, sumCs = 0;

  for (let r = 0; r < H; r++) {
    // horizontal pass of row r into ring slot r % n
    const src = r * W, slot = (r % n) * Wo * 5;
    for (let i = 0; i < W; i++) {
      const a = xs[src + i], b = ys[src + i];
      pxx[i] = a * a;
      pyy[i] = b * b;
      pxy[i] = a * b;
    }
    if (sym) {
      for (let c = 0, h = slot; c < Wo; c++, h += 5) {
        const s0 = src + c;
        let sx = 0, sy = 0, sxx = 0, syy = 0, sxy = 0;
        for (let i = 0, j = n - 1; i < half; i++, j--) {
          const w = g[i];
          sx += w * (xs[s0 + i] + xs[s0 + j]);
          sy += w * (ys[s0 + i] + ys[s0 + j]);
          sxx += w * (pxx[c + i] + pxx[c + j]);
          syy += w * (pyy[c + i] + pyy[c + j]);
          sxy += w * (pxy[c + i] + pxy[c + j]);
        }
        if (odd) {
          sx += gh * xs[s0 + half];
          sy += gh * ys[s0 + half];
          sxx += gh * pxx[c + half];
          syy += gh * pyy[c + half];
          sxy += gh * pxy[c + half];
        }
        ring[h] = sx; ring[h + 1] = sy; ring[h + 2] = sxx; ring[h + 3] = syy; ring[h + 4] = sxy;
      }
    } else {
      for (let c = 0, h = slot; c < Wo; c++, h += 5) {
        const s0 = src + c;
        let sx = 0, sy = 0, sxx = 0, syy = 0, sxy = 0;
        for (let i = 0; i < n; i++) {
          const w = g[i];
          sx += w * xs[s0 + i];
          sy += w * ys[s0 + i];
          sxx += w * pxx[c + i];
          syy += w * pyy[c + i];
          sxy += w * pxy[c + i];
        }
        ring[h] = sx; ring[h + 1] = sy; ring[h + 2] = sxx; ring[h + 3] = syy; ring[h + 4] = sxy;
      }
    }
    if (r < n - 1) continue;
    // vertical pass for output row yo = r - n + 1 over rows yo .. r, then SSIM (Wang et al. 2004, eq. 13)
    const yo = r - n + 1, orow = yo * Wo;
    for (let j = 0; j < n; j++) off[j] = ((yo + j) % n) * Wo * 5;
    for (let c = 0, c5 = 0; c < Wo; c++, c5 += 5) {
      let m1 = 0, m2 = 0, e11 = 0, e22 = 0, e12 = 0;
      if (sym) {
        for (let j = 0; j < half; j++) {
          const w = g[j], a = off[j] + c5, b = off[n - 1 - j] + c5;
          m1 += w * (ring[a] + ring[b]);
          m2 += w * (ring[a + 1] + ring[b + 1]);
          e11 += w * (ring[a + 2] + ring[b + 2]);
          e22 += w * (ring[a + 3] + ring[b + 3]);
          e12 += w * (ring[a + 4] + ring[b + 4]);
        }
        if (odd) {
          const a = off[half] + c5;
          m1 += gh * ring[a];
          m2 += gh * ring[a + 1];
          e11 += gh * ring[a + 2];
          e22 += gh * ring[a + 3];
          e12 += gh * ring[a + 4];
        }
      } else {
        for (let j = 0; j < n; j++) {
          const w = g[j], a = off[j] + c5;
          m1 += w * ring[a];
          m2 += w * ring[a + 1];
          e11 += w * ring[a + 2];
          e22 += w * ring[a + 3];
          e12 += w * ring[a + 4];
        }
      }
      const m11 = m1 * m1, m22 = m2 * m2, m12 = m1 * m2;
      let s11 = cov * (e11 - m11), s22 = cov * (e22 - m22);
      const s12 = cov * (e12 - m12);
      if (clampVar) {
        if (s11 < 0) s11 = 0;
        if (s22 < 0) s22 = 0;
      }
      let cs = (2 * s12 + c2) / (s11 + s22 + c2);
      if (relu && cs < 0) cs = 0;
      const sv = ((2 * m12 + c1) / (m11 + m22 + c1)) * cs;
      sumS += sv;
      sumCs += cs;
      if (map) map[orow + c] = sv;
      if (csMap) csMap[orow + c] = cs;
    }
  }
  const N = Wo * Ho;
  return {
    mean: sumS / N,
    csMean: sumCs / N,
    ...(map ? { map: makePlane(Wo, Ho, map) } : {}),
    ...(csMap ? { csMap: makePlane(Wo, Ho, csMap) } : {}),
  };
}
