/**
 * Natural-scene-statistics building blocks shared by NIQE, BRISQUE and IL-NIQE (Mittal et al. 2012, 2013):
 * - `mscn`: mean-subtracted contrast-normalised coefficients (I - mu) / (sigma + C) with a Gaussian window;
 * - `fitGgd`, `fitAggd`: moment-matching fits of the generalised and asymmetric generalised Gaussian by
 *   nearest-ratio lookup on the grid gamma = 0.2:0.001:10 (9801 values), as the official LIVE MATLAB code
 *   (`estimateggdparam.m`, `estimateaggdparam.m`); ties resolve to the first grid index like MATLAB `min`;
 * - `gammaFn`: the Gamma function (Lanczos, g = 7, 9 terms; about 1e-15 relative).
 */
import { makePlane, type Plane } from '../tensor/image.js';
import { gaussian1d } from './filter.js';
import { mapIndex, type PadMode } from './pad.js';

const LANCZOS = [
  0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
  12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
];

/** Gamma function for real x (reflection for x < 0.5). */
export function gammaFn(x: number): number {
  if (x < 0.5) return Math.PI / (Math.sin(Math.PI * x) * gammaFn(1 - x));
  x -= 1;
  let a = LANCZOS[0];
  const t = x + 7.5;
  for (let i = 1; i < 9; i++) a += LANCZOS[i] / (x + i);
  return Math.sqrt(2 * Math.PI) * Math.pow(t, x + 0.5) * Math.exp(-t) * a;
}

const GRID_N = 9801;
let grid: { gam: Float64Array; rGgd: Float64Array; rAggd: Float64Array } | null = null;

/** gam = 0.2:0.001:10 and the two ratio tables of the official code. */
function shapeGrid() {
  if (grid) return grid;
  const gam = new Float64Array(GRID_N), rGgd = new Float64Array(GRID_N), rAggd = new Float64Array(GRID_N);
  for (let k = 0; k < GRID_N; k++) {
    // MATLAB colon: first half a + k*d, second half b - (n-1-k)*d
    const g = k < GRID_N / 2 ? 0.2 + k * 0.001 : 10 - (GRID_N - 1 - k) * 0.001;
    gam[k] = g;
    const g1 = gammaFn(1 / g), g2 = gammaFn(2 / g), g3 = gammaFn(3 / g);
    rGgd[k] = (g1 * g3) / (g2 * g2); // estimateggdparam: r_gam = Γ(1/γ)Γ(3/γ)/Γ(2/γ)²
    rAggd[k] = (g2 * g2) / (g1 * g3); // estimateaggdparam: r_gam = Γ(2/γ)²/(Γ(1/γ)Γ(3/γ))
  }
  grid = { gam, rGgd, rAggd };
  return grid;
}

/**
 * Index of the table entry nearest to v, first index on ties (MATLAB `min`), or -1 for NaN. The tables are monotone
 * (rGgd decreasing, rAggd increasing in gamma), so a binary search finds the same index as the linear scan of the
 * release (checked against the scan in test/signal/nss.test.ts).
 */
function nearest(t: Float64Array, v: number, increasing: boolean): number {
  if (Number.isNaN(v)) return -1;
  let lo = 0, hi = t.length - 1;
  // find the first index whose value is >= v (increasing) or <= v (decreasing)
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (increasing ? t[mid] >= v : t[mid] <= v) hi = mid; else lo = mid + 1;
  }
  let best = lo;
  // compare with the neighbours; scan left over exact ties in distance to return the first minimum
  for (const k of [lo - 1, lo + 1]) {
    if (k < 0 || k >= t.length) continue;
    const dk = Math.abs(t[k] - v), db = Math.abs(t[best] - v);
    if (dk < db || (dk === db && k < best)) best = k;
  }
  while (best > 0 && Math.abs(t[best - 1] - v) === Math.abs(t[best] - v)) best--;
  return best;
}

/** Linear-scan reference of `nearest` (the release's min over the whole grid), exported for tests. */
export function nearestLinear(which: 'ggd' | 'aggd', v: number): number {
  const g = shapeGrid(), t = which === 'ggd' ? g.rGgd : g.rAggd;
  let best = Infinity, pos = -1;
  for (let k = 0; k < t.length; k++) {
    const d = which === 'ggd' ? Math.abs(v - t[k]) : (t[k] - v) ** 2;
    if (d < best) { best = d; pos = k; }
  }
  return pos;
}

/** Binary-search version, exported for tests. */
export function nearestFast(which: 'ggd' | 'aggd', v: number): number {
  const g = shapeGrid();
  return which === 'ggd' ? nearest(g.rGgd, v, false) : nearest(g.rAggd, v, true);
}

/** GGD fit (estimateggdparam.m): shape alpha and sigma = sqrt(E[x²]); NaN for an all-zero input. */
export function fitGgd(v: ArrayLike<number>, n = v.length): { alpha: number; sigma: number } {
  let s2 = 0, s1 = 0;
  for (let i = 0; i < n; i++) {
    const x = v[i];
    s2 += x * x;
    s1 += Math.abs(x);
  }
  return ggdFromSums(s2, s1, n);
}

/** The GGD fit from Σx², Σ|x| and n (so callers can accumulate them in a fused pass). */
export function ggdFromSums(s2: number, s1: number, n: number): { alpha: number; sigma: number } {
  const sigmaSq = s2 / n, e = s1 / n;
  const rho = sigmaSq / (e * e);
  const { gam, rGgd } = shapeGrid();
  const pos = nearest(rGgd, rho, false);
  return { alpha: pos < 0 ? NaN : gam[pos], sigma: Math.sqrt(sigmaSq) };
}

/** AGGD fit (estimateaggdparam.m): shape alpha and the left/right standard deviations (not the betas). */
export function fitAggd(v: ArrayLike<number>, n = v.length): { alpha: number; leftStd: number; rightStd: number } {
  let sl = 0, nl = 0, sr = 0, nr = 0, sa = 0;
  for (let i = 0; i < n; i++) {
    // branch-free (the signs are unpredictable); multiplying by 0/1 keeps each sum exactly the release's
    const x = v[i], x2 = x * x, neg = +(x < 0), pos = +(x > 0);
    sl += neg * x2;
    nl += neg;
    sr += pos * x2;
    nr += pos;
    sa += Math.abs(x);
  }
  return aggdFromSums({ sl, nl, sr, nr, sa, n });
}

/** Sufficient statistics of an AGGD fit: sums of squares and counts of the negative / positive samples, Σ|x|, n. */
export interface AggdSums { sl: number; nl: number; sr: number; nr: number; sa: number; n: number }

/** The AGGD fit from its sums (so callers can accumulate them without materialising the samples). */
export function aggdFromSums(t: AggdSums): { alpha: number; leftStd: number; rightStd: number } {
  const leftStd = Math.sqrt(t.sl / t.nl), rightStd = Math.sqrt(t.sr / t.nr);
  const gammaHat = leftStd / rightStd;
  const ma = t.sa / t.n;
  const rHat = (ma * ma) / ((t.sl + t.sr) / t.n);
  const rHatNorm = (rHat * (gammaHat ** 3 + 1) * (gammaHat + 1)) / (gammaHat ** 2 + 1) ** 2;
  const { gam, rAggd } = shapeGrid();
  const pos = nearest(rAggd, rHatNorm, true);
  return { alpha: pos < 0 ? NaN : gam[pos], leftStd, rightStd };
}

export interface MscnOptions {
  /** Gaussian window size (default 7) and sigma (default size/6). */
  size?: number;
  sigma?: number;
  /** Border handling of the local mean/variance filters: NIQE 'replicate' (imfilter), BRISQUE 'zero' (filter2 'same'). */
  pad?: PadMode;
  /** The stabilising constant C (default 1). */
  c?: number;
}

/** Horizontal Gaussian pass of one row (x and x²), any odd size; border taps by index map (-1 = zero). */
function hrow(src: Float64Array, so: number, W: number, g: Float64Array, cols: Int32Array, lo: number, hi: number, r1: Float64Array, r2: Float64Array, o: number): void {
  const size = g.length, a = (size - 1) >> 1;
  for (let x = 0; x < W; x++) {
    if (x < lo || x >= hi) {
      edgeTap(src, so, x, g, cols, r1, r2, o);
      continue;
    }
    let s1 = 0, s2 = 0;
    const b = so + x - a;
    for (let k = 0; k < size; k++) { const v = src[b + k]; s1 += g[k] * v; s2 += g[k] * v * v; }
    r1[o + x] = s1;
    r2[o + x] = s2;
  }
}

/** `hrow` unrolled for 7 taps (the NIQE/BRISQUE/PIQE window), same left-to-right summation order. */
function hrow7(src: Float64Array, so: number, W: number, g: Float64Array, cols: Int32Array, lo: number, hi: number, r1: Float64Array, r2: Float64Array, o: number): void {
  const g0 = g[0], g1 = g[1], g2 = g[2], g3 = g[3], g4 = g[4], g5 = g[5], g6 = g[6];
  for (let x = 0; x < lo; x++) edgeTap(src, so, x, g, cols, r1, r2, o);
  if (hi > lo) {
    // sliding window of the 7 samples; g·v is shared by both sums (g·v·v evaluates as (g·v)·v: same bits)
    let b = so + lo - 3;
    let v0 = src[b], v1 = src[b + 1], v2 = src[b + 2], v3 = src[b + 3], v4 = src[b + 4], v5 = src[b + 5];
    b += 6;
    for (let x = lo; x < hi; x++, b++) {
      const v6 = src[b];
      const t0 = g0 * v0, t1 = g1 * v1, t2 = g2 * v2, t3 = g3 * v3, t4 = g4 * v4, t5 = g5 * v5, t6 = g6 * v6;
      r1[o + x] = t0 + t1 + t2 + t3 + t4 + t5 + t6;
      r2[o + x] = t0 * v0 + t1 * v1 + t2 * v2 + t3 * v3 + t4 * v4 + t5 * v5 + t6 * v6;
      v0 = v1; v1 = v2; v2 = v3; v3 = v4; v4 = v5; v5 = v6;
    }
  }
  for (let x = Math.max(hi, lo); x < W; x++) edgeTap(src, so, x, g, cols, r1, r2, o);
}

function edgeTap(src: Float64Array, so: number, x: number, g: Float64Array, cols: Int32Array, r1: Float64Array, r2: Float64Array, o: number): void {
  let s1 = 0, s2 = 0;
  for (let k = 0; k < g.length; k++) {
    const j = cols[x + k];
    if (j < 0) continue;
    const v = src[so + j];
    s1 += g[k] * v;
    s2 += g[k] * v * v;
  }
  r1[o + x] = s1;
  r2[o + x] = s2;
}

/**
 * Where `mscnRows` writes each MSCN row: row y goes to `out[offset(y) + x]` (and `sig`, when given), then `done(y)`
 * is called. Lets a caller consume rows as they are produced (block or neighbour statistics over a few rows)
 * instead of holding a full-size plane.
 */
export interface MscnSink {
  readonly out: Float64Array;
  readonly sig: Float64Array | null;
  offset(y: number): number;
  done?(y: number): void;
}

/**
 * MSCN rows of `p` in the given row order (default 0..H-1) into `sink`. One fused pass: the local mean and mean of
 * squares share the separable Gaussian, horizontal results live in a ring of `size` rows (no full-size
 * temporaries, no padded copy). Same anchoring and border rules as `filterSeparable` (MATLAB imfilter / filter2
 * 'same'), and the same left-to-right summation order: the order moves the grid-fitted shapes, and this one
 * reproduces MATLAB best (baboon NIQE to 9e-8; a tree order gave 2e-5).
 */
export function mscnRows(p: Plane, opts: MscnOptions, sink: MscnSink, order?: ArrayLike<number>): void {
  const size = opts.size ?? 7;
  const g = gaussian1d(size, opts.sigma ?? size / 6);
  const pad = opts.pad ?? 'replicate';
  const c = opts.c ?? 1;
  const W = p.width, H = p.height, src = p.data;
  const a = Math.floor((size - 1) / 2); // MATLAB anchoring (odd sizes: centred)
  const cols = new Int32Array(W + size - 1);
  for (let i = 0; i < cols.length; i++) cols[i] = mapIndex(i - a, W, pad);
  const interiorLo = a, interiorHi = W - (size - 1 - a); // x with all taps inside
  // ring of horizontally filtered rows: slot r % size holds source row r
  const r1 = new Float64Array(size * W), r2 = new Float64Array(size * W), held = new Int32Array(size).fill(-1);
  const rowOf = (r: number): number => {
    const slot = r % size, o = slot * W;
    if (held[slot] !== r) {
      held[slot] = r;
      if (size === 7) hrow7(src, r * W, W, g, cols, interiorLo, interiorHi, r1, r2, o);
      else hrow(src, r * W, W, g, cols, interiorLo, interiorHi, r1, r2, o);
    }
    return o;
  };
  const out = sink.out, sig = sink.sig;
  const ro = new Int32Array(size), gk = new Float64Array(size);
  const rows = order ? order.length : H;
  for (let i = 0; i < rows; i++) {
    const y = order ? order[i] : i;
    let t = 0;
    for (let k = 0; k < size; k++) {
      const sy = mapIndex(y - a + k, H, pad);
      if (sy < 0) continue;
      ro[t] = rowOf(sy);
      gk[t++] = g[k];
    }
    const o = sink.offset(y), so = y * W;
    if (t === 7) {
      const k0 = gk[0], k1 = gk[1], k2 = gk[2], k3 = gk[3], k4 = gk[4], k5 = gk[5], k6 = gk[6];
      const o0 = ro[0], o1 = ro[1], o2 = ro[2], o3 = ro[3], o4 = ro[4], o5 = ro[5], o6 = ro[6];
      if (sig) {
        for (let x = 0; x < W; x++) {
          const m = k0 * r1[o0 + x] + k1 * r1[o1 + x] + k2 * r1[o2 + x] + k3 * r1[o3 + x] + k4 * r1[o4 + x] + k5 * r1[o5 + x] + k6 * r1[o6 + x];
          const q = k0 * r2[o0 + x] + k1 * r2[o1 + x] + k2 * r2[o2 + x] + k3 * r2[o3 + x] + k4 * r2[o4 + x] + k5 * r2[o5 + x] + k6 * r2[o6 + x];
          const sd = Math.sqrt(Math.abs(q - m * m));
          sig[o + x] = sd;
          out[o + x] = (src[so + x] - m) / (sd + c);
        }
      } else {
        for (let x = 0; x < W; x++) {
          const m = k0 * r1[o0 + x] + k1 * r1[o1 + x] + k2 * r1[o2 + x] + k3 * r1[o3 + x] + k4 * r1[o4 + x] + k5 * r1[o5 + x] + k6 * r1[o6 + x];
          const q = k0 * r2[o0 + x] + k1 * r2[o1 + x] + k2 * r2[o2 + x] + k3 * r2[o3 + x] + k4 * r2[o4 + x] + k5 * r2[o5 + x] + k6 * r2[o6 + x];
          out[o + x] = (src[so + x] - m) / (Math.sqrt(Math.abs(q - m * m)) + c);
        }
      }
    } else {
      for (let x = 0; x < W; x++) {
        let m = 0, q = 0;
        for (let k = 0; k < t; k++) { m += gk[k] * r1[ro[k] + x]; q += gk[k] * r2[ro[k] + x]; }
        const sd = Math.sqrt(Math.abs(q - m * m));
        if (sig) sig[o + x] = sd;
        out[o + x] = (src[so + x] - m) / (sd + c);
      }
    }
    sink.done?.(y);
  }
}

/**
 * MSCN coefficients (and, with `withSigma`, the local standard deviation sigma = sqrt(|G*I² - (G*I)²|)) as full
 * planes; see `mscnRows`.
 */
export function mscn(p: Plane, opts: MscnOptions & { withSigma?: boolean } = {}): { mscn: Plane; sigma: Plane | null } {
  const W = p.width, H = p.height, N = W * H;
  const out = new Float64Array(N), sig = opts.withSigma ? new Float64Array(N) : null;
  mscnRows(p, opts, { out, sig, offset: (y) => y * W });
  return { mscn: makePlane(W, H, out), sigma: sig ? makePlane(W, H, sig) : null };
}
