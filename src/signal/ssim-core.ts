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
  // ring buffers: slot k holds the horizontally filtered row r with r % n === k
  const hx = new Float64Array(n * Wo), hy = new Float64Array(n * Wo);
  const hxx = new Float64Array(n * Wo), hyy = new Float64Array(n * Wo), hxy = new Float64Array(n * Wo);
  const pxx = new Float64Array(W), pyy = new Float64Array(W), pxy = new Float64Array(W);
  const vx = new Float64Array(Wo), vy = new Float64Array(Wo), vxx = new Float64Array(Wo), vyy = new Float64Array(Wo), vxy = new Float64Array(Wo);
  const slotOf = new Int32Array(n);
  const map = o.wantMap ? new Float64Array(Wo * Ho) : null;
  const csMap = o.wantCsMap ? new Float64Array(Wo * Ho) : null;
  const { c1, c2 } = o;
  const cov = o.covNorm ?? 1;
  const relu = o.reluCs ?? false;
  const clampVar = o.clampVariance ?? false;
  let sumS = 0, sumCs = 0;

  for (let r = 0; r < H; r++) {
    // horizontal pass of row r
    const src = r * W, slot = (r % n) * Wo;
    for (let i = 0; i < W; i++) {
      const a = xs[src + i], b = ys[src + i];
      pxx[i] = a * a;
      pyy[i] = b * b;
      pxy[i] = a * b;
    }
    if (sym) {
      for (let c = 0; c < Wo; c++) {
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
          const w = g[half];
          sx += w * xs[s0 + half];
          sy += w * ys[s0 + half];
          sxx += w * pxx[c + half];
          syy += w * pyy[c + half];
          sxy += w * pxy[c + half];
        }
        hx[slot + c] = sx; hy[slot + c] = sy; hxx[slot + c] = sxx; hyy[slot + c] = syy; hxy[slot + c] = sxy;
      }
    } else {
      for (let c = 0; c < Wo; c++) {
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
        hx[slot + c] = sx; hy[slot + c] = sy; hxx[slot + c] = sxx; hyy[slot + c] = syy; hxy[slot + c] = sxy;
      }
    }
    if (r < n - 1) continue;
    // vertical pass for output row yo = r - n + 1 over rows yo .. r
    const yo = r - n + 1;
    for (let j = 0; j < n; j++) slotOf[j] = ((yo + j) % n) * Wo;
    vx.fill(0); vy.fill(0); vxx.fill(0); vyy.fill(0); vxy.fill(0);
    const pairs = sym ? half : n;
    for (let j = 0; j < pairs; j++) {
      const w = g[j], a = slotOf[j];
      if (sym) {
        const b = slotOf[n - 1 - j];
        for (let c = 0; c < Wo; c++) {
          vx[c] += w * (hx[a + c] + hx[b + c]);
          vy[c] += w * (hy[a + c] + hy[b + c]);
          vxx[c] += w * (hxx[a + c] + hxx[b + c]);
          vyy[c] += w * (hyy[a + c] + hyy[b + c]);
          vxy[c] += w * (hxy[a + c] + hxy[b + c]);
        }
      } else {
        for (let c = 0; c < Wo; c++) {
          vx[c] += w * hx[a + c];
          vy[c] += w * hy[a + c];
          vxx[c] += w * hxx[a + c];
          vyy[c] += w * hyy[a + c];
          vxy[c] += w * hxy[a + c];
        }
      }
    }
    if (sym && odd) {
      const w = g[half], a = slotOf[half];
      for (let c = 0; c < Wo; c++) {
        vx[c] += w * hx[a + c];
        vy[c] += w * hy[a + c];
        vxx[c] += w * hxx[a + c];
        vyy[c] += w * hyy[a + c];
        vxy[c] += w * hxy[a + c];
      }
    }
    // SSIM (Wang et al. 2004, eq. 13) with the means and (co)variances of the window
    const orow = yo * Wo;
    for (let c = 0; c < Wo; c++) {
      const m1 = vx[c], m2 = vy[c];
      const m11 = m1 * m1, m22 = m2 * m2, m12 = m1 * m2;
      let s11 = cov * (vxx[c] - m11), s22 = cov * (vyy[c] - m22);
      const s12 = cov * (vxy[c] - m12);
      if (clampVar) {
        if (s11 < 0) s11 = 0;
        if (s22 < 0) s22 = 0;
      }
      let cs = (2 * s12 + c2) / (s11 + s22 + c2);
      if (relu && cs < 0) cs = 0;
      const s = ((2 * m12 + c1) / (m11 + m22 + c1)) * cs;
      sumS += s;
      sumCs += cs;
      if (map) map[orow + c] = s;
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
