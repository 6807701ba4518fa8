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
import { rgbToLumaBt601, rgbToYiqMatlab3 } from '../../color/index.js';
import type { Image, Plane } from '../../tensor/image.js';
import { channel, makePlane, assertMinSize } from '../../tensor/image.js';
import { autoDownsampleFactor } from '../../signal/filter.js';
import { fftshift, getFft2Plan } from '../../signal/fft.js';
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
  /** per orientation, image-independent parts of the noise model: Σ_s Σ_x sp_s², Σ_{s<t} Σ_x sp_s·sp_t (sp =
   * real(ifft2(filter))·sqrt(rows·cols)) and EM_n = Σ filter_{o,0}². */
  sumAn2: Float64Array;
  sumAiAj: Float64Array;
  emN: Float64Array;
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
  const filters: Float64Array[][] = [];
  const sumAn2 = new Float64Array(NORIENT), sumAiAj = new Float64Array(NORIENT), emN = new Float64Array(NORIENT);
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
    // same summation order as phasecong2's per-pixel loops (pixel outer, scale inner)
    let an2 = 0, aiaj = 0, em = 0;
    for (let i = 0; i < n; i++) {
      for (let s = 0; s < NSCALE; s++) an2 += so[s][i] * so[s][i];
      for (let si = 0; si < NSCALE - 1; si++) for (let sj = si + 1; sj < NSCALE; sj++) aiaj += so[si][i] * so[sj][i];
      em += fo[0][i] * fo[0][i];
    }
    sumAn2[o] = an2;
    sumAiAj[o] = aiaj;
    emN[o] = em;
  }
  const bank = { filters, sumAn2, sumAiAj, emN };
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

/** Per-size work buffers of phaseCongruency (reused across calls: no per-call allocation of 12 planes). */
interface PcWork {
  fre: Float64Array;
  fim: Float64Array;
  eoRe: Float64Array[];
  eoIm: Float64Array[];
  sumE: Float64Array;
  sumO: Float64Array;
  energyAll: Float64Array;
  anAll: Float64Array;
  a2: Float64Array;
}
let pcWork: PcWork | null = null;

function work(n: number): PcWork {
  if (pcWork && pcWork.fre.length === n) return pcWork;
  const f = () => new Float64Array(n);
  pcWork = {
    fre: f(), fim: f(),
    eoRe: Array.from({ length: NSCALE }, f), eoIm: Array.from({ length: NSCALE }, f),
    sumE: f(), sumO: f(), energyAll: f(), anAll: f(), a2: f(),
  };
  return pcWork;
}

/** phasecong2 of FeatureSIM.m: the phase congruency map PC (same size as `im`). */
export function phaseCongruency(im: Plane): Plane {
  const rows = im.height, cols = im.width, n = rows * cols;
  const { filters, sumAn2, sumAiAj, emN } = filterBank(rows, cols);
  const plan = getFft2Plan(cols, rows);
  const { fre, fim, eoRe, eoIm, sumE, sumO, energyAll, anAll, a2 } = work(n);
  plan.forwardReal(im.data, fre, fim); // imagefft = fft2(im), once for all 16 filters
  energyAll.fill(0);
  anAll.fill(0);
  const [e0r, e0i, e1r, e1i, e2r, e2i, e3r, e3i] = [eoRe[0], eoIm[0], eoRe[1], eoIm[1], eoRe[2], eoIm[2], eoRe[3], eoIm[3]];
  for (let o = 0; o < NORIENT; o++) {
    sumE.fill(0);
    sumO.fill(0);
    for (let s = 0; s < NSCALE; s++) {
      const er = eoRe[s], ei = eoIm[s];
      plan.inverseOfProduct(fre, fim, filters[o][s], er, ei); // EO = ifft2(imagefft .* filter)
      for (let i = 0; i < n; i++) {
        anAll[i] += Math.sqrt(er[i] * er[i] + ei[i] * ei[i]);
        sumE[i] += er[i];
        sumO[i] += ei[i];
      }
    }
    // noise compensation from the smallest scale (Rayleigh model)
    for (let i = 0; i < n; i++) a2[i] = e0r[i] * e0r[i] + e0i[i] * e0i[i];
    const meanE2n = -medianMatlab(a2) / Math.log(0.5);
    const noisePower = meanE2n / emN[o];
    const estNoiseEnergy2 = 2 * noisePower * sumAn2[o] + 4 * noisePower * sumAiAj[o];
    const tau = Math.sqrt(estNoiseEnergy2 / 2);
    const estNoiseEnergy = tau * Math.sqrt(Math.PI / 2);
    const estNoiseEnergySigma = Math.sqrt((2 - Math.PI / 2) * tau * tau);
    const T = (estNoiseEnergy + K * estNoiseEnergySigma) / 1.7;
    for (let i = 0; i < n; i++) {
      const xe = Math.sqrt(sumE[i] * sumE[i] + sumO[i] * sumO[i]) + EPS_PC;
      const me = sumE[i] / xe, mo = sumO[i] / xe;
      // Σ_s E·me + O·mo − |E·mo − O·me|, scales in order (NSCALE = 4)
      let e = e0r[i] * me + e0i[i] * mo - Math.abs(e0r[i] * mo - e0i[i] * me);
      e += e1r[i] * me + e1i[i] * mo - Math.abs(e1r[i] * mo - e1i[i] * me);
      e += e2r[i] * me + e2i[i] * mo - Math.abs(e2r[i] * mo - e2i[i] * me);
      e += e3r[i] * me + e3i[i] * mo - Math.abs(e3r[i] * mo - e3i[i] * me);
      energyAll[i] += Math.max(e - T, 0);
    }
  }
  const pc = new Float64Array(n);
  for (let i = 0; i < n; i++) pc[i] = energyAll[i] / anAll[i];
  return makePlane(cols, rows, pc);
}

/** FeatureSIM.m colour planes: [Y, I, Q] (grey input, or `chroma` false: [Y] only). */
function yiqFeatureSim(img: Image, chroma: boolean): Plane[] {
  if (img.channels === 1) return [makePlane(img.width, img.height, Float64Array.from(img.data))];
  return chroma ? rgbToYiqMatlab3(img) : [rgbToLumaBt601(img)];
}

const sim = (a: number, b: number, c: number) => (2 * a * b + c) / (a * a + b * b + c);

function fsimCore(dist: Image, ref: Image, chromatic: boolean, opts: FsimOptions): MetricOutput {
  const where = chromatic ? 'fsimc' : 'fsim';
  const f = opts.downsample ?? autoDownsampleFactor(ref.width, ref.height);
  // the scaled image must hold at least a 3x3 neighbourhood for the gradient and a non-trivial spectrum
  assertMinSize(where, { width: Math.ceil(ref.width / f), height: Math.ceil(ref.height / f) }, 8);
  const p1 = yiqFeatureSim(ref, chromatic).map((p) => downsampleConv2Same(p, f));
  const p2 = yiqFeatureSim(dist, chromatic).map((p) => downsampleConv2Same(p, f));
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
