/**
 * FSIM and FSIMc: feature similarity index.
 * Paper: L. Zhang, L. Zhang, X. Mou, D. Zhang, "FSIM: A Feature Similarity Index for Image Quality Assessment",
 * IEEE TIP 20(8):2378-2386, 2011.
 * Matches the authors' `FeatureSIM.m` ("FSIM Index with automatic downsampling", Version 1.0) and its
 * `phasecong2` (P. Kovesi's phase congruency, 4 scales x 4 orientations, minWaveLength 6, mult 2, sigmaOnf 0.55,
 * dThetaOnSigma 1.2, k = 2, noise threshold divided by 1.7). Conventions that change numbers (conventions.md §2.7):
 * - colour: FeatureSIM.m's own YIQ constants on 0..255: Y = .299R+.587G+.114B, I = .596R−.274G−.322B,
 *   Q = .211R−.523G+.312B (not piq's 4-digit ones); grey input uses the grey plane as Y (FSIMc = FSIM then);
 * - pre-scaling: F = max(1, round(min(H,W)/256)) (MATLAB rounding), `conv2(X, ones(F)/F², 'same')` (zero padding,
 *   MATLAB anchoring) then `X(1:F:end, 1:F:end)` — not avg_pool;
 * - log-Gabor filters built in the frequency domain exactly as phasecong2 (odd/even size ranges, Butterworth
 *   low-pass 0.45/15, radius(1,1) fudge), filtering by FFT (circular);
 * - noise estimate: MATLAB `median` (mean of the two middle values for an even count);
 * - Scharr gradient, conv2 'same'; T1 = 0.85, T2 = 160, T3 = T4 = 200, λ = 0.03;
 * - chroma factor real((S_I·S_Q)^λ) as FeatureSIM.m (= cos(λπ)·|S_I·S_Q|^λ where the product is negative;
 *   piq/pyiqa use the abs form).
 * Argument order (distorted, reference); the index is symmetric.
 * Map: S_L·PC_m (FSIMc: ·real((S_I·S_Q)^λ)) divided by mean(PC_m), at the pre-scaled size, so its mean is the score.
 * Flat (constant) images give NaN, as the MATLAB code: their phase congruency is 0/0 (no filter response).
 */
import type { Image, Plane } from '../../tensor/image.js';
import { channel, makePlane, assertMinSize } from '../../tensor/image.js';
import { autoDownsampleFactor } from '../../signal/filter.js';
import { fftshift } from '../../signal/fft.js';
import { getFft2Plan } from '../../signal/fft-plan.js';
import { downsampleConv2Same, scharrMagnitude } from '../../signal/conv2.js';
import { classicFR, type MetricEntry, type MetricOutput } from '../types.js';

export interface FsimOptions {
  /** Pre-scaling factor; default MATLAB's automatic F = max(1, round(min(H,W)/256)). */
  downsample?: number;
}

const NSCALE = 4, NORIENT = 4, MIN_WAVELENGTH = 6, MULT = 2, SIGMA_ON_F = 0.55, D_THETA_ON_SIGMA = 1.2, K = 2;
const EPS_PC = 1e-4;

/** phasecong2's normalised frequency range along one axis (length n, before ifftshift). */
function freqRange(n: number): Float64Array {
  const r = new Float64Array(n);
  if (n % 2) for (let i = 0; i < n; i++) r[i] = (i - (n - 1) / 2) / (n - 1 || 1);
  else for (let i = 0; i < n; i++) r[i] = (i - n / 2) / n;
  return r;
}

interface FilterBank {
  /** filters[o][s]: log-Gabor · spread (frequency domain, origin at the corner). */
  filters: Float64Array[][];
  /** real(ifft2(filter))·sqrt(rows·cols) per [o][s]. */
  spatial: Float64Array[][];
}

const bankCache = new Map<string, FilterBank>();

function filterBank(rows: number, cols: number): FilterBank {
  const key = `${rows}x${cols}`;
  const hit = bankCache.get(key);
  if (hit) return hit;
  const xr = freqRange(cols), yr = freqRange(rows);
  const n = rows * cols;
  const rad = new Float64Array(n), th = new Float64Array(n), lpc = new Float64Array(n);
  for (let y = 0; y < rows; y++) for (let x = 0; x < cols; x++) {
    const r = Math.sqrt(xr[x] * xr[x] + yr[y] * yr[y]);
    rad[y * cols + x] = r;
    th[y * cols + x] = Math.atan2(-yr[y], xr[x]);
    lpc[y * cols + x] = 1 / (1 + Math.pow(r / 0.45, 2 * 15));
  }
  const radius = fftshift(rad, cols, rows, true);
  const theta = fftshift(th, cols, rows, true);
  const lp = fftshift(lpc, cols, rows, true);
  radius[0] = 1;
  const logGabor: Float64Array[] = [];
  const denom = 2 * Math.log(SIGMA_ON_F) ** 2;
  for (let s = 0; s < NSCALE; s++) {
    const fo = 1 / (MIN_WAVELENGTH * MULT ** s);
    const g = new Float64Array(n);
    for (let i = 0; i < n; i++) g[i] = Math.exp(-(Math.log(radius[i] / fo) ** 2) / denom) * lp[i];
    g[0] = 0;
    logGabor.push(g);
  }
  const thetaSigma = Math.PI / NORIENT / D_THETA_ON_SIGMA;
  const filters: Float64Array[][] = [], spatial: Float64Array[][] = [];
  const re = new Float64Array(n), im = new Float64Array(n);
  const scaleSp = Math.sqrt(n);
  const plan = getFft2Plan(cols, rows);
  for (let o = 0; o < NORIENT; o++) {
    const angl = (o * Math.PI) / NORIENT;
    const ca = Math.cos(angl), sa = Math.sin(angl);
    const spread = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const st = Math.sin(theta[i]), ct = Math.cos(theta[i]);
      const ds = st * ca - ct * sa, dc = ct * ca + st * sa;
      const dt = Math.abs(Math.atan2(ds, dc));
      spread[i] = Math.exp(-(dt * dt) / (2 * thetaSigma * thetaSigma));
    }
    const fo: Float64Array[] = [], so: Float64Array[] = [];
    for (let s = 0; s < NSCALE; s++) {
      const f = new Float64Array(n);
      for (let i = 0; i < n; i++) f[i] = logGabor[s][i] * spread[i];
      fo.push(f);
      re.set(f);
      im.fill(0);
      plan.run(re, im, true);
      const sp = new Float64Array(n);
      for (let i = 0; i < n; i++) sp[i] = re[i] * scaleSp;
      so.push(sp);
    }
    filters.push(fo);
    spatial.push(so);
  }
  const bank = { filters, spatial };
  if (bankCache.size > 8) bankCache.clear();
  bankCache.set(key, bank);
  return bank;
}

/** k-th smallest value (0-based) of `a`, reordering it (Hoare quickselect, median-of-three pivot). */
function select(a: Float64Array, k: number): number {
  let lo = 0, hi = a.length - 1;
  while (hi > lo) {
    const mid = (lo + hi) >> 1;
    const x = a[lo], y = a[mid], z = a[hi];
    const pivot = x < y ? (y < z ? y : x < z ? z : x) : x < z ? x : y < z ? z : y;
    let i = lo, j = hi;
    while (i <= j) {
      while (a[i] < pivot) i++;
      while (a[j] > pivot) j--;
      if (i <= j) {
        const t = a[i];
        a[i] = a[j];
        a[j] = t;
        i++;
        j--;
      }
    }
    if (k <= j) hi = j;
    else if (k >= i) lo = i;
    else return a[k];
  }
  return a[k];
}

/** MATLAB `median` (mean of the two middle values for an even count); reorders `a` (exported for tests). */
export function medianMatlab(a: Float64Array): number {
  const n = a.length, m = n >> 1;
  const upper = select(a, m);
  if (n % 2) return upper;
  // after select, a[0..m-1] <= a[m]: the lower middle is their maximum
  let lower = -Infinity;
  for (let i = 0; i < m; i++) if (a[i] > lower) lower = a[i];
  return (lower + upper) / 2;
}

/** phasecong2 of FeatureSIM.m: the phase congruency map PC (same size as `im`). */
export function phaseCongruency(im: Plane): Plane {
  const rows = im.height, cols = im.width, n = rows * cols;
  const { filters, spatial } = filterBank(rows, cols);
  const plan = getFft2Plan(cols, rows);
  const fre = Float64Array.from(im.data), fim = new Float64Array(n);
  plan.run(fre, fim);
  const energyAll = new Float64Array(n), anAll = new Float64Array(n);
  const eoRe: Float64Array[] = [], eoIm: Float64Array[] = [];
  for (let s = 0; s < NSCALE; s++) {
    eoRe.push(new Float64Array(n));
    eoIm.push(new Float64Array(n));
  }
  const sumE = new Float64Array(n), sumO = new Float64Array(n), energy = new Float64Array(n);
  for (let o = 0; o < NORIENT; o++) {
    sumE.fill(0);
    sumO.fill(0);
    energy.fill(0);
    let emN = 0;
    for (let s = 0; s < NSCALE; s++) {
      const f = filters[o][s], er = eoRe[s], ei = eoIm[s];
      for (let i = 0; i < n; i++) {
        er[i] = fre[i] * f[i];
        ei[i] = fim[i] * f[i];
      }
      plan.run(er, ei, true); // EO = ifft2(imagefft .* filter)
      for (let i = 0; i < n; i++) {
        anAll[i] += Math.sqrt(er[i] * er[i] + ei[i] * ei[i]);
        sumE[i] += er[i];
        sumO[i] += ei[i];
      }
      if (s === 0) for (let i = 0; i < n; i++) emN += f[i] * f[i];
    }
    for (let i = 0; i < n; i++) {
      const xe = Math.sqrt(sumE[i] * sumE[i] + sumO[i] * sumO[i]) + EPS_PC;
      const me = sumE[i] / xe, mo = sumO[i] / xe;
      let e = 0;
      for (let s = 0; s < NSCALE; s++) {
        const E = eoRe[s][i], O = eoIm[s][i];
        e += E * me + O * mo - Math.abs(E * mo - O * me);
      }
      energy[i] = e;
    }
    // noise compensation from the smallest scale (Rayleigh model)
    const a2 = new Float64Array(n);
    for (let i = 0; i < n; i++) a2[i] = eoRe[0][i] * eoRe[0][i] + eoIm[0][i] * eoIm[0][i];
    const meanE2n = -medianMatlab(a2) / Math.log(0.5);
    const noisePower = meanE2n / emN;
    let sumAn2 = 0, sumAiAj = 0;
    const sp = spatial[o];
    for (let i = 0; i < n; i++) {
      for (let s = 0; s < NSCALE; s++) sumAn2 += sp[s][i] * sp[s][i];
      for (let si = 0; si < NSCALE - 1; si++) for (let sj = si + 1; sj < NSCALE; sj++) sumAiAj += sp[si][i] * sp[sj][i];
    }
    const estNoiseEnergy2 = 2 * noisePower * sumAn2 + 4 * noisePower * sumAiAj;
    const tau = Math.sqrt(estNoiseEnergy2 / 2);
    const estNoiseEnergy = tau * Math.sqrt(Math.PI / 2);
    const estNoiseEnergySigma = Math.sqrt((2 - Math.PI / 2) * tau * tau);
    const T = (estNoiseEnergy + K * estNoiseEnergySigma) / 1.7;
    for (let i = 0; i < n; i++) energyAll[i] += Math.max(energy[i] - T, 0);
  }
  const pc = new Float64Array(n);
  for (let i = 0; i < n; i++) pc[i] = energyAll[i] / anAll[i];
  return makePlane(cols, rows, pc);
}

/** FeatureSIM.m colour planes: [Y, I, Q] (grey input: [Y] only). */
function yiqFeatureSim(img: Image): Plane[] {
  if (img.channels === 1) return [makePlane(img.width, img.height, Float64Array.from(img.data))];
  const r = channel(img, 0).data, g = channel(img, 1).data, b = channel(img, 2).data;
  const n = r.length;
  const Y = new Float64Array(n), I = new Float64Array(n), Q = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    Y[i] = 0.299 * r[i] + 0.587 * g[i] + 0.114 * b[i];
    I[i] = 0.596 * r[i] - 0.274 * g[i] - 0.322 * b[i];
    Q[i] = 0.211 * r[i] - 0.523 * g[i] + 0.312 * b[i];
  }
  return [Y, I, Q].map((d) => makePlane(img.width, img.height, d));
}

const sim = (a: number, b: number, c: number) => (2 * a * b + c) / (a * a + b * b + c);

function fsimCore(dist: Image, ref: Image, chromatic: boolean, opts: FsimOptions): MetricOutput {
  const where = chromatic ? 'fsimc' : 'fsim';
  const f = opts.downsample ?? autoDownsampleFactor(ref.width, ref.height);
  // the scaled image must hold at least a 3x3 neighbourhood for the gradient and a non-trivial spectrum
  assertMinSize(where, { width: Math.ceil(ref.width / f), height: Math.ceil(ref.height / f) }, 8);
  const p1 = yiqFeatureSim(ref).map((p) => downsampleConv2Same(p, f));
  const p2 = yiqFeatureSim(dist).map((p) => downsampleConv2Same(p, f));
  const pc1 = phaseCongruency(p1[0]).data, pc2 = phaseCongruency(p2[0]).data;
  const g1 = scharrMagnitude(p1[0]).data, g2 = scharrMagnitude(p2[0]).data;
  const T1 = 0.85, T2 = 160, T3 = 200, T4 = 200, LAMBDA = 0.03;
  const useC = chromatic && p1.length === 3;
  const n = pc1.length;
  const map = new Float64Array(n);
  let num = 0, den = 0;
  for (let i = 0; i < n; i++) {
    const pcm = Math.max(pc1[i], pc2[i]);
    let s = sim(pc1[i], pc2[i], T1) * sim(g1[i], g2[i], T2) * pcm;
    if (useC) {
      const iq = sim(p1[1].data[i], p2[1].data[i], T3) * sim(p1[2].data[i], p2[2].data[i], T4);
      // real(z^λ) for real z: |z|^λ·cos(λπ) when z < 0 (MATLAB principal power)
      s *= iq >= 0 ? Math.pow(iq, LAMBDA) : Math.pow(-iq, LAMBDA) * Math.cos(LAMBDA * Math.PI);
    }
    map[i] = s;
    num += s;
    den += pcm;
  }
  const meanPcm = den / n;
  for (let i = 0; i < n; i++) map[i] /= meanPcm;
  return { score: num / den, map: makePlane(p1[0].width, p1[0].height, map) };
}

/** FSIM (luminance only). */
export function fsim(dist: Image, ref: Image, opts: FsimOptions = {}): MetricOutput {
  return fsimCore(dist, ref, false, opts);
}

/** FSIMc (with the I/Q chromatic similarity); equals FSIM for grey input. */
export function fsimc(dist: Image, ref: Image, opts: FsimOptions = {}): MetricOutput {
  return fsimCore(dist, ref, true, opts);
}

export const fsimEntries: readonly MetricEntry[] = [
  classicFR({ name: 'fsim', lowerBetter: false, range: [0, 1], description: 'FSIM, luminance (FeatureSIM.m, Zhang et al. 2011)' }, fsim, {} as FsimOptions),
  classicFR({ name: 'fsimc', lowerBetter: false, range: [0, 1], description: 'FSIMc, with YIQ chroma (FeatureSIM.m, Zhang et al. 2011)' }, fsimc, {} as FsimOptions),
];
