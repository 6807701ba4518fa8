/**
 * IL-NIQE: Integrated Local NIQE. L. Zhang, L. Zhang, A. C. Bovik, "A Feature-Enriched Completely Blind Image
 * Quality Evaluator", IEEE TIP 24(8), 2015. Follows the authors' MATLAB release (`computequality.m`,
 * `computefeature.m`; conventions.md §2.19):
 * - RGB on 0..255 (grey input replicated), `imresize` to 524x524 (bicubic, antialiasing, uint8 rounding/clamping),
 *   cropped to whole 84x84 blocks (504x504); opponent channels O1 = .3R+.04G−.35B, O2 = .34R−.6G+.17B,
 *   O3 = .06R+.63G+.27B; float64 throughout;
 * - per scale s = 1, 2 (blocks 84, 42), 109 feature maps: MSCN of O3 (5x5 Gaussian, sigma 5/6, replicate, C = 1);
 *   gradient magnitudes of O1..O3 from Gaussian-derivative filters (sigma 1.66/s^0.28, half-width ceil(3 sigma),
 *   `conv2(.., 'same')`, + eps); log-opponent Intensity/BY/RG of log(R,G,B + 1e-5) minus their means; Ix, Iy of
 *   O1..O3; log-Gabor responses of O3 (3 scales x 4 orientations, minWaveLength 2.4/s^0.87, mult 1.31,
 *   sigmaOnf 0.55, dThetaOnSigma 1.1, Kovesi's low-pass 0.45/15; real and imaginary parts), their Gaussian
 *   derivatives and gradient magnitudes;
 * - per block 234 features: NIQE's 18 MSCN features; Weibull MLE (scale, shape) of the 3 opponent gradient
 *   magnitudes and of the 24 log-Gabor gradient magnitudes (MATLAB `wblfit`); mean and sample variance of
 *   Intensity/BY/RG; AGGD (alpha, (bl + br)/2) of the 78 derivative / log-Gabor maps;
 * - between scales every channel is filtered with `fspecial('gaussian', 6, 0.9)` (an even kernel: MATLAB anchoring,
 *   replicate) and subsampled [1:2:end];
 * - score: infinite features set to 10000, projected on the model's PCA basis; the distorted MVG (nanmean/nancov,
 *   NaN -> 2000) and quality = mean over blocks of sqrt((f_b − mu_p)' pinv((S_p + S_d)/2) (f_b − mu_p)), NaN
 *   entries of f_b replaced by the distorted mean.
 * The official template model (`templateModel.mat`) is not available to us: the default model is the toolkit's own
 * fit on the shared pristine photos (models/ilniqe_toolkit.json, `fitIlNiqe`), so scores are on a different scale
 * from the published IL-NIQE values (measured differences in the report / tests).
 */
import { channel, makePlane, type Image, type Plane } from '../../tensor/image.js';
import { expected, IqaError } from '../../tensor/errors.js';
import { imresize } from '../../signal/imresize.js';
import { filterSeparable, gaussian1d } from '../../signal/filter.js';
import { fft2d } from '../../signal/fft.js';
import { fitAggd, gammaFn, mscn } from '../../signal/nss.js';
import { nanCov, nanMean, pooledPinv } from '../../signal/mvg.js';
import { cropPlane } from './niqe.js';
import { classicNR, type MetricEntry, type MetricOutput } from '../types.js';
import { defaultIlNiqeModel } from './default-models.js';

export interface IlNiqeModel {
  /** Feature dimension (468). */
  readonly featDim: number;
  /** Number of principal components kept. */
  readonly k: number;
  readonly meanOfSampleData: Float64Array;
  /** featDim x k, row-major (column j = j-th principal vector). */
  readonly principleVectors: Float64Array;
  /** Pristine MVG in PCA space. */
  readonly mu: Float64Array;
  readonly cov: Float64Array;
  readonly infConst: number;
  readonly source?: string;
}

export interface IlNiqeOptions {
  model?: IlNiqeModel;
}

const P = {
  patch: 84, sigmaGauDer: 1.66, kLog: 0.00001, width: 524, minWaveLength: 2.4, sigmaOnf: 0.55, mult: 1.31,
  dThetaOnSigma: 1.1, scaleFactorLoG: 0.87, scaleFactorGauDer: 0.28, sigmaDownsample: 0.9, infConst: 10000, nanConst: 2000,
};
const EPS = 2.220446049250313e-16;
export const ILNIQE_FEATURES = 468;

// ------------------------------------------------------------------------------------------- filters

/** Zero-padded 'same' correlation of each row with k (centre (n-1)/2, odd n); taps summed in kernel order. */
function rowsZero(src: Float64Array, W: number, H: number, k: Float64Array, out: Float64Array): void {
  const n = k.length, h = (n - 1) >> 1;
  if (n === 11 && W > 2 * h) {
    // the release's kernels at both scales have 11 taps: interior unrolled with the taps in locals
    const k0 = k[0], k1 = k[1], k2 = k[2], k3 = k[3], k4 = k[4], k5 = k[5], k6 = k[6], k7 = k[7], k8 = k[8], k9 = k[9], k10 = k[10];
    for (let y = 0; y < H; y++) {
      const o = y * W;
      edgesZero(src, o, W, k, h, out, 0, h);
      for (let x = h, j = o; x < W - h; x++, j++) {
        out[o + x] = 0 + k0 * src[j] + k1 * src[j + 1] + k2 * src[j + 2] + k3 * src[j + 3] + k4 * src[j + 4] + k5 * src[j + 5] + k6 * src[j + 6] + k7 * src[j + 7] + k8 * src[j + 8] + k9 * src[j + 9] + k10 * src[j + 10];
      }
      edgesZero(src, o, W, k, h, out, W - h, W);
    }
    return;
  }
  for (let y = 0; y < H; y++) {
    const o = y * W;
    for (let x = 0; x < W; x++) {
      const lo = x < h ? h - x : 0, hi = x + h >= W ? W - x + h : n;
      let acc = 0;
      for (let i = lo, j = o + x - h + lo; i < hi; i++, j++) acc += k[i] * src[j];
      out[o + x] = acc;
    }
  }
}

/** `rowsZero` for the outputs x0..x1-1 of the row at o (the border ones). */
function edgesZero(src: Float64Array, o: number, W: number, k: Float64Array, h: number, out: Float64Array, x0: number, x1: number): void {
  const n = k.length;
  for (let x = x0; x < x1; x++) {
    const lo = x < h ? h - x : 0, hi = x + h >= W ? W - x + h : n;
    let acc = 0;
    for (let i = lo, j = o + x - h + lo; i < hi; i++, j++) acc += k[i] * src[j];
    out[o + x] = acc;
  }
}

/** Zero-padded 'same' correlation of each column with k (odd n); per pixel, taps summed in kernel order from 0
 * (the order of a tap-by-tap accumulation over whole rows, so the same bits). */
function colsZero(src: Float64Array, W: number, H: number, k: Float64Array, out: Float64Array): void {
  const n = k.length, h = (n - 1) >> 1;
  for (let y = 0; y < H; y++) {
    const o = y * W, lo = y < h ? h - y : 0, hi = y + h >= H ? H - y + h : n, base = (y - h) * W;
    if (n === 11 && lo === 0 && hi === 11) {
      const k0 = k[0], k1 = k[1], k2 = k[2], k3 = k[3], k4 = k[4], k5 = k[5], k6 = k[6], k7 = k[7], k8 = k[8], k9 = k[9], k10 = k[10];
      const r0 = base, r1 = r0 + W, r2 = r1 + W, r3 = r2 + W, r4 = r3 + W, r5 = r4 + W, r6 = r5 + W, r7 = r6 + W, r8 = r7 + W, r9 = r8 + W, r10 = r9 + W;
      for (let x = 0; x < W; x++) {
        out[o + x] = 0 + k0 * src[r0 + x] + k1 * src[r1 + x] + k2 * src[r2 + x] + k3 * src[r3 + x] + k4 * src[r4 + x] + k5 * src[r5 + x] + k6 * src[r6 + x] + k7 * src[r7 + x] + k8 * src[r8 + x] + k9 * src[r9 + x] + k10 * src[r10 + x];
      }
      continue;
    }
    for (let x = 0; x < W; x++) {
      let acc = 0;
      for (let i = lo, j = base + lo * W + x; i < hi; i++, j += W) acc += k[i] * src[j];
      out[o + x] = acc;
    }
  }
}

const derivCache = new Map<number, { g: Float64Array; dg: Float64Array }>();

/** conv2(X, dx + i·dy, 'same') of the release's gauDerivative(sigma): separable, zero padding, true convolution. */
/** Work planes reused by every filtering of one image size (ix, iy and the magnitude are consumed before the next
 * call), so the ~50 filterings per image do not each page in fresh memory. */
type F64 = Float64Array<ArrayBuffer>;
interface DerivScratch { readonly t1: F64; readonly t2: F64; readonly ix: F64; readonly iy: F64; readonly gm: F64 }

function derivScratch(n: number): DerivScratch {
  return { t1: new Float64Array(n), t2: new Float64Array(n), ix: new Float64Array(n), iy: new Float64Array(n), gm: new Float64Array(n) };
}

function gaussianDerivatives(p: Plane, sigma: number, sc: DerivScratch = derivScratch(p.width * p.height)): { ix: Plane; iy: Plane } {
  let kk = derivCache.get(sigma);
  if (!kk) {
    const h = Math.ceil(3 * sigma), n = 2 * h + 1;
    const g = new Float64Array(n), dg = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const x = i - h;
      g[i] = Math.exp(-(x * x) / 2 / sigma / sigma);
      dg[i] = -x * g[i]; // convolution flips the kernel: x·exp(..) becomes −x·exp(..) as a correlation
    }
    derivCache.set(sigma, (kk = { g, dg }));
  }
  const W = p.width, H = p.height, N = W * H;
  const { t1, t2, ix, iy } = sc;
  if (ix.length !== N) throw expected('ilniqe', 'scratch size', String(N), String(ix.length));
  rowsZero(p.data, W, H, kk.dg, t1);
  colsZero(t1, W, H, kk.g, ix);
  rowsZero(p.data, W, H, kk.g, t2);
  colsZero(t2, W, H, kk.dg, iy);
  return { ix: makePlane(W, H, ix), iy: makePlane(W, H, iy) };
}

function magnitude(a: Plane, b: Plane, out = new Float64Array(a.data.length)): Plane {
  for (let i = 0; i < out.length; i++) out[i] = Math.sqrt(a.data[i] * a.data[i] + b.data[i] * b.data[i]) + EPS;
  return makePlane(a.width, a.height, out);
}

/** MATLAB-style frequency grids (Kovesi): x in [-1/2, 1/2) per axis, ifftshifted. */
function freqGrid(rows: number, cols: number): { radius: Float64Array; theta: Float64Array; rawRadius: Float64Array } {
  const range = (n: number) => Float64Array.from({ length: n }, (_, i) => (n % 2 ? (i - (n - 1) / 2) / (n - 1) : (i - n / 2) / n));
  const xr = range(cols), yr = range(rows);
  const radius = new Float64Array(rows * cols), theta = new Float64Array(rows * cols);
  // ifftshift: output (r, c) takes input ((r + floor(rows/2)) % rows, ...)
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) {
    const sr = (r + Math.floor(rows / 2)) % rows, sc = (c + Math.floor(cols / 2)) % cols;
    const x = xr[sc], y = yr[sr];
    radius[r * cols + c] = Math.sqrt(x * x + y * y);
    theta[r * cols + c] = Math.atan2(-y, x);
  }
  const rawRadius = Float64Array.from(radius);
  radius[0] = 1;
  return { radius, theta, rawRadius };
}

const lgCache = new Map<string, Float64Array[]>();

/** The 3x4 log-Gabor transfer functions (logGabors.m), index s*4 + o. */
function logGabors(rows: number, cols: number, minWaveLength: number): Float64Array[] {
  const key = `${rows}x${cols}@${minWaveLength}`;
  const hit = lgCache.get(key);
  if (hit) return hit;
  const { radius, theta, rawRadius } = freqGrid(rows, cols);
  const n = rows * cols;
  const lp = new Float64Array(n);
  for (let i = 0; i < n; i++) lp[i] = 1 / (1 + (rawRadius[i] / 0.45) ** 30); // lowpassfilter(0.45, 15)
  const thetaSigma = Math.PI / 4 / P.dThetaOnSigma;
  const sinT = theta.map(Math.sin), cosT = theta.map(Math.cos);
  const out: Float64Array[] = [];
  for (let s = 0; s < 3; s++) {
    const fo = 1 / (minWaveLength * P.mult ** s);
    const radial = new Float64Array(n);
    const l2 = 2 * Math.log(P.sigmaOnf) ** 2;
    for (let i = 0; i < n; i++) { const lr = Math.log(radius[i] / fo); radial[i] = Math.exp(-(lr * lr) / l2) * lp[i]; }
    radial[0] = 0;
    for (let o = 0; o < 4; o++) {
      const angl = (o * Math.PI) / 4, ca = Math.cos(angl), sa = Math.sin(angl);
      const f = new Float64Array(n);
      for (let i = 0; i < n; i++) {
        const st = sinT[i], ct = cosT[i];
        const dtheta = Math.abs(Math.atan2(st * ca - ct * sa, ct * ca + st * sa));
        f[i] = radial[i] * Math.exp(-(dtheta * dtheta) / (2 * thetaSigma * thetaSigma));
      }
      out.push(f);
    }
  }
  lgCache.set(key, out);
  return out;
}

/** imfilter(X, fspecial('gaussian', 6, 0.9), 'replicate') then X(1:2:end, 1:2:end). */
function downsample(p: Plane): Plane {
  const g = gaussian1d(Math.ceil(6 * P.sigmaDownsample), P.sigmaDownsample);
  const f = filterSeparable(p, g, g, 'same', 'replicate');
  const W = Math.ceil(p.width / 2), H = Math.ceil(p.height / 2), out = new Float64Array(W * H);
  for (let y = 0; y < H; y++) for (let x = 0; x < W; x++) out[y * W + x] = f.data[2 * y * p.width + 2 * x];
  return makePlane(W, H, out);
}

// ------------------------------------------------------------------------------------------- statistics

/** MATLAB `wblfit`: Weibull maximum-likelihood (scale a, shape b) of positive data. */
let wblScratch = new Float64Array(0);

export function wblfit(x: ArrayLike<number>, n = x.length): [number, number] {
  // log-samples in a reused scratch buffer (the fit runs ~2000 times per image)
  if (wblScratch.length < n) wblScratch = new Float64Array(n);
  const z = wblScratch;
  let zmax = -Infinity, zmean = 0;
  for (let i = 0; i < n; i++) {
    z[i] = Math.log(x[i]);
    zmax = Math.max(zmax, z[i]);
    zmean += z[i];
  }
  zmean /= n;
  if (!Number.isFinite(zmax)) return [NaN, NaN];
  let var_ = 0;
  for (let i = 0; i < n; i++) { const t = z[i] - zmean; var_ += t * t; }
  var_ /= n;
  if (!(var_ > 0)) return [Math.exp(zmean), Infinity];
  for (let i = 0; i < n; i++) z[i] -= zmax; // d = z − zmax from here on
  // g(b) = Σ w z / Σ w − 1/b − mean(z), w = exp(b (z − zmax)); increasing in b; root by safeguarded Newton
  let f = 0, df = 0;
  const g = (b: number): void => {
    let s0 = 0, s1 = 0, s2 = 0;
    for (let i = 0; i < n; i++) {
      const d = z[i], w = Math.exp(b * d), wd = w * d;
      s0 += w;
      s1 += wd;
      s2 += wd * d;
    }
    const m1 = s1 / s0, m2 = s2 / s0;
    f = m1 + zmax - 1 / b - zmean;
    df = m2 - m1 * m1 + 1 / (b * b);
  };
  let b = 1.2825498301618641 / Math.sqrt(var_); // pi/sqrt(6)/std(log x): the moment estimate
  let lo = 0, hi = Infinity;
  for (let it = 0; it < 100; it++) {
    g(b);
    if (f > 0) hi = Math.min(hi, b); else lo = Math.max(lo, b);
    let nb = b - f / df;
    if (!(nb > lo && nb < hi)) nb = Number.isFinite(hi) ? (lo + hi) / 2 : 2 * b;
    if (Math.abs(nb - b) <= 1e-13 * b) { b = nb; break; }
    b = nb;
  }
  let s = 0;
  for (let i = 0; i < n; i++) s += Math.exp(b * z[i]);
  const a = Math.exp(zmax + Math.log(s / n) / b);
  return [a, b];
}

function aggd2(v: Float64Array, out: Float64Array, o: number): void {
  const f = fitAggd(v);
  const k = Math.sqrt(gammaFn(1 / f.alpha) / gammaFn(3 / f.alpha));
  out[o] = f.alpha;
  out[o + 1] = (f.leftStd * k + f.rightStd * k) / 2;
}

function niqe18(block: Float64Array, b: number, pair: Float64Array, out: Float64Array, o: number): void {
  aggd2(block, out, o);
  const shifts = [[0, 1], [1, 0], [1, 1], [1, -1]];
  for (let s = 0; s < 4; s++) {
    const [dy, dx] = shifts[s];
    for (let y = 0; y < b; y++) {
      const sy = (y - dy + b) % b;
      for (let x = 0; x < b; x++) pair[y * b + x] = block[y * b + x] * block[sy * b + ((x - dx + b) % b)];
    }
    const f = fitAggd(pair);
    const k = Math.sqrt(gammaFn(1 / f.alpha) / gammaFn(3 / f.alpha));
    const bl = f.leftStd * k, br = f.rightStd * k, q = o + 2 + 4 * s;
    out[q] = f.alpha;
    out[q + 1] = (br - bl) * (gammaFn(2 / f.alpha) / gammaFn(1 / f.alpha));
    out[q + 2] = bl;
    out[q + 3] = br;
  }
}

// ------------------------------------------------------------------------------------------- features

export interface IlNiqeFeatures {
  readonly n: number;
  readonly d: number;
  /** n x 468, row-major; blocks in column-major order (MATLAB blockproc). */
  readonly data: Float64Array;
  /** Mean local sigma of each block's O3 MSCN at scale 1 (for the pristine selection). */
  readonly sharpness: Float64Array;
}

/** The 524x524 uint8-rounded RGB planes the release works on. */
function resizedRgb(img: Image): [Plane, Plane, Plane] {
  const planes = img.channels === 3 ? [channel(img, 0), channel(img, 1), channel(img, 2)] : [channel(img, 0), channel(img, 0), channel(img, 0)];
  const rs = planes.map((p) => imresize(p, { size: [P.width, P.width], uint8: true }));
  return [rs[0], rs[1], rs[2]];
}

function combine(r: Plane, g: Plane, b: Plane, wr: number, wg: number, wb: number): Plane {
  const out = new Float64Array(r.data.length);
  for (let i = 0; i < out.length; i++) out[i] = wr * r.data[i] + wg * g.data[i] + wb * b.data[i];
  return makePlane(r.width, r.height, out);
}

/** All 468 features of every 84x84 block (both scales). */
export function ilniqeFeatures(img: Image): IlNiqeFeatures {
  if (img.width < 2 || img.height < 2) throw new IqaError(`ilniqe: image size: expected at least 2x2, got ${img.width}x${img.height}`, 'E_SIZE');
  const [r0, g0, b0] = resizedRgb(img);
  const nb = Math.floor(P.width / P.patch), side = nb * P.patch;
  let R = cropPlane(r0, side, side), G = cropPlane(g0, side, side), B = cropPlane(b0, side, side);
  let O1 = combine(R, G, B, 0.3, 0.04, -0.35), O2 = combine(R, G, B, 0.34, -0.6, 0.17), O3 = combine(R, G, B, 0.06, 0.63, 0.27);
  const n = nb * nb, d = ILNIQE_FEATURES;
  const data = new Float64Array(n * d), sharpness = new Float64Array(n);
  for (let scale = 1; scale <= 2; scale++) {
    const bs = P.patch / scale, W = O3.width;
    const base = (scale - 1) * 234;
    const block = new Float64Array(bs * bs), pair = new Float64Array(bs * bs);
    // per-block helper: copies block k of plane p into `block`
    const blockOf = (p: Plane, k: number) => {
      const bx = Math.floor(k / nb), by = k % nb; // column-major block order
      for (let y = 0; y < bs; y++) {
        const row = (by * bs + y) * W + bx * bs;
        block.set(p.data.subarray(row, row + bs), y * bs);
      }
      return block;
    };
    const forBlocks = (p: Plane, fn: (blk: Float64Array, k: number) => void) => { for (let k = 0; k < n; k++) fn(blockOf(p, k), k); };
    // 1: MSCN of O3 (5x5, sigma 5/6)
    const { mscn: m, sigma } = mscn(O3, { size: 5, sigma: 5 / 6, pad: 'replicate', withSigma: scale === 1 });
    forBlocks(m, (blk, k) => niqe18(blk, bs, pair, data, k * d + base));
    if (sigma) forBlocks(sigma, (blk, k) => { let s = 0; for (const v of blk) s += v; sharpness[k] = s / blk.length; });
    // 2-4 (GM of O1..O3) and 8-13 (Ix, Iy of O1..O3)
    const sg = P.sigmaGauDer / scale ** P.scaleFactorGauDer;
    const sc = derivScratch(W * O3.height);
    [O1, O2, O3].forEach((o, c) => {
      const { ix, iy } = gaussianDerivatives(o, sg, sc);
      const gm = magnitude(ix, iy, sc.gm);
      forBlocks(gm, (blk, k) => { const [a, b] = wblfit(blk); data[k * d + base + 18 + 2 * c] = a; data[k * d + base + 19 + 2 * c] = b; });
      forBlocks(ix, (blk, k) => aggd2(blk, data, k * d + base + 30 + 4 * c));
      forBlocks(iy, (blk, k) => aggd2(blk, data, k * d + base + 32 + 4 * c));
    });
    // 5-7: log-opponent Intensity, BY, RG: mean and sample variance
    const logc = [R, G, B].map((p) => {
      const out = new Float64Array(p.data.length);
      let s = 0;
      for (let i = 0; i < out.length; i++) { out[i] = Math.log(p.data[i] + P.kLog); s += out[i]; }
      const mu = s / out.length;
      for (let i = 0; i < out.length; i++) out[i] -= mu;
      return out;
    });
    const opp = [
      logc[0].map((v, i) => (v + logc[1][i] + logc[2][i]) / Math.sqrt(3)),
      logc[0].map((v, i) => (v + logc[1][i] - 2 * logc[2][i]) / Math.sqrt(6)),
      logc[0].map((v, i) => (v - logc[1][i]) / Math.sqrt(2)),
    ];
    opp.forEach((o, c) => forBlocks(makePlane(W, W, o), (blk, k) => {
      let s = 0;
      for (const v of blk) s += v;
      const mu = s / blk.length;
      let q = 0;
      for (const v of blk) { const t = v - mu; q += t * t; }
      data[k * d + base + 24 + 2 * c] = mu;
      data[k * d + base + 25 + 2 * c] = q / (blk.length - 1);
    }));
    // 14-109: log-Gabor responses of O3, their derivatives and gradient magnitudes
    const H = O3.height, N = W * H;
    const fre = Float64Array.from(O3.data), fim = new Float64Array(N), lgRe = new Float64Array(N), lgIm = new Float64Array(N);
    fft2d(fre, fim, W, H);
    const filters = logGabors(H, W, P.minWaveLength / scale ** P.scaleFactorLoG);
    for (let s = 0; s < 3; s++) for (let o = 0; o < 4; o++) {
      const f = filters[s * 4 + o];
      const re = lgRe, im = lgIm;
      for (let i = 0; i < N; i++) { re[i] = f[i] * fre[i]; im[i] = f[i] * fim[i]; }
      fft2d(re, im, W, H, true);
      const parts = [makePlane(W, H, re), makePlane(W, H, im)];
      parts.forEach((part, ri) => {
        const lr = (s * 8 + o * 2 + ri); // logResponse index (0-based) -> channel 14 + lr
        forBlocks(part, (blk, k) => aggd2(blk, data, k * d + base + 30 + 12 + 2 * lr));
        const { ix, iy } = gaussianDerivatives(part, sg, sc);
        const pd = s * 16 + o * 4 + 2 * ri; // partialDer index -> channel 38 + pd
        forBlocks(ix, (blk, k) => aggd2(blk, data, k * d + base + 30 + 60 + 2 * pd));
        forBlocks(iy, (blk, k) => aggd2(blk, data, k * d + base + 30 + 60 + 2 * (pd + 1)));
        const gm = magnitude(ix, iy, sc.gm);
        forBlocks(gm, (blk, k) => { const [a, b] = wblfit(blk); data[k * d + base + 186 + 2 * lr] = a; data[k * d + base + 187 + 2 * lr] = b; });
      });
    }
    if (scale === 1) [O1, O2, O3, R, G, B] = [O1, O2, O3, R, G, B].map(downsample);
  }
  return { n, d, data, sharpness };
}

/** Infinite features -> infConst, then PCA coefficients (n x k). */
export function ilniqeProject(f: { n: number; data: Float64Array }, model: IlNiqeModel): Float64Array {
  const D = model.featDim, k = model.k, out = new Float64Array(f.n * k);
  const row = new Float64Array(D);
  for (let b = 0; b < f.n; b++) {
    for (let j = 0; j < D; j++) {
      const v = f.data[b * D + j];
      row[j] = (v === Infinity || v === -Infinity ? model.infConst : v) - model.meanOfSampleData[j];
    }
    for (let c = 0; c < k; c++) {
      let s = 0;
      for (let j = 0; j < D; j++) s += model.principleVectors[j * k + c] * row[j];
      out[b * k + c] = s;
    }
  }
  return out;
}

/** IL-NIQE score (lower is better). */
export function ilniqe(img: Image, opts: IlNiqeOptions = {}): MetricOutput {
  const model = opts.model ?? defaultIlNiqeModel();
  if (model.featDim !== ILNIQE_FEATURES) throw expected('ilniqe', 'model featDim', String(ILNIQE_FEATURES), String(model.featDim));
  const f = ilniqeFeatures(img);
  const k = model.k, coeffs = ilniqeProject(f, model);
  const rows = { n: f.n, d: k, data: coeffs };
  const mu = nanMean(rows), cov = nanCov(rows);
  for (let i = 0; i < k; i++) if (Number.isNaN(mu[i])) mu[i] = P.nanConst;
  for (let i = 0; i < k * k; i++) if (Number.isNaN(cov[i])) cov[i] = P.nanConst;
  const inv = pooledPinv(model.cov, cov, k);
  let total = 0;
  const v = new Float64Array(k);
  for (let b = 0; b < f.n; b++) {
    for (let c = 0; c < k; c++) {
      const x = coeffs[b * k + c];
      v[c] = (Number.isNaN(x) ? mu[c] : x) - model.mu[c];
    }
    let s = 0;
    for (let i = 0; i < k; i++) {
      let r = 0;
      for (let j = 0; j < k; j++) r += inv[i * k + j] * v[j];
      s += v[i] * r;
    }
    total += Math.sqrt(s);
  }
  return { score: total / f.n };
}

export const ilNiqeEntries: readonly MetricEntry[] = [
  classicNR(
    {
      name: 'ilniqe',
      lowerBetter: true,
      range: [0, Infinity],
      description: 'IL-NIQE (Zhang, Zhang, Bovik 2015), official algorithm; default template model fitted by the toolkit (official model not distributed)',
    },
    ilniqe,
    {} as IlNiqeOptions,
  ),
];
