/**
 * Natural-scene-statistics building blocks shared by NIQE, BRISQUE and IL-NIQE (Mittal et al. 2012, 2013):
 * - `mscn`: mean-subtracted contrast-normalised coefficients (I - mu) / (sigma + C) with a Gaussian window;
 * - `fitGgd`, `fitAggd`: moment-matching fits of the generalised and asymmetric generalised Gaussian by
 *   nearest-ratio lookup on the grid gamma = 0.2:0.001:10 (9801 values), as the official LIVE MATLAB code
 *   (`estimateggdparam.m`, `estimateaggdparam.m`); ties resolve to the first grid index like MATLAB `min`;
 * - `gammaFn`: the Gamma function (Lanczos, g = 7, 9 terms; about 1e-15 relative).
 */
import { makePlane, type Plane } from '../tensor/image.js';
import { filterSeparable, gaussian1d } from './filter.js';
import type { PadMode } from './pad.js';

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

/** GGD fit (estimateggdparam.m): shape alpha and sigma = sqrt(E[x²]); NaN for an all-zero input. */
export function fitGgd(v: ArrayLike<number>, n = v.length): { alpha: number; sigma: number } {
  let s2 = 0, s1 = 0;
  for (let i = 0; i < n; i++) {
    const x = v[i];
    s2 += x * x;
    s1 += Math.abs(x);
  }
  const sigmaSq = s2 / n, e = s1 / n;
  const rho = sigmaSq / (e * e);
  const { gam, rGgd } = shapeGrid();
  let best = Infinity, pos = -1;
  for (let k = 0; k < GRID_N; k++) {
    const d = Math.abs(rho - rGgd[k]);
    if (d < best) { best = d; pos = k; }
  }
  return { alpha: pos < 0 ? NaN : gam[pos], sigma: Math.sqrt(sigmaSq) };
}

/** AGGD fit (estimateaggdparam.m): shape alpha and the left/right standard deviations (not the betas). */
export function fitAggd(v: ArrayLike<number>, n = v.length): { alpha: number; leftStd: number; rightStd: number } {
  let sl = 0, nl = 0, sr = 0, nr = 0, sa = 0;
  for (let i = 0; i < n; i++) {
    const x = v[i];
    if (x < 0) { sl += x * x; nl++; } else if (x > 0) { sr += x * x; nr++; }
    sa += Math.abs(x);
  }
  const leftStd = Math.sqrt(sl / nl), rightStd = Math.sqrt(sr / nr);
  const gammaHat = leftStd / rightStd;
  const ma = sa / n;
  const rHat = (ma * ma) / ((sl + sr) / n);
  const rHatNorm = (rHat * (gammaHat ** 3 + 1) * (gammaHat + 1)) / (gammaHat ** 2 + 1) ** 2;
  const { gam, rAggd } = shapeGrid();
  let best = Infinity, pos = -1;
  for (let k = 0; k < GRID_N; k++) {
    const d = (rAggd[k] - rHatNorm) ** 2;
    if (d < best) { best = d; pos = k; }
  }
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

/** MSCN coefficients and the local standard deviation sigma = sqrt(|G*I² - (G*I)²|). */
export function mscn(p: Plane, opts: MscnOptions = {}): { mscn: Plane; sigma: Plane } {
  const size = opts.size ?? 7;
  const g = gaussian1d(size, opts.sigma ?? size / 6);
  const pad = opts.pad ?? 'replicate';
  const c = opts.c ?? 1;
  const mu = filterSeparable(p, g, g, 'same', pad);
  const sq = new Float64Array(p.data.length);
  for (let i = 0; i < sq.length; i++) sq[i] = p.data[i] * p.data[i];
  const mu2 = filterSeparable(makePlane(p.width, p.height, sq), g, g, 'same', pad);
  const out = new Float64Array(sq.length), sig = mu2.data; // reuse mu2 for sigma
  for (let i = 0; i < out.length; i++) {
    const m = mu.data[i];
    const s = Math.sqrt(Math.abs(sig[i] - m * m));
    sig[i] = s;
    out[i] = (p.data[i] - m) / (s + c);
  }
  return { mscn: makePlane(p.width, p.height, out), sigma: mu2 };
}
