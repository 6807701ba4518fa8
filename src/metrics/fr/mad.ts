/**
 * MAD: Most Apparent Distortion (Larson & Chandler, "Most apparent distortion: full-reference image quality
 * assessment and the role of strategy", J. Electronic Imaging 19(1):011006, 2010). Implemented from the authors'
 * MATLAB `MAD_index.m` (release 2011, "Fixed constant of 200 on d_detect") and its MEX helpers.
 *
 * Conventions that change numbers:
 * - input: grey = MATLAB `rgb2gray` rounded to uint8 (as `MAD_index_april_2010.m`; the 2011 `myrgb2gray` is not
 *   published); grey input as is; both strategies work on that grey image (0..255);
 * - detection ("hi", high quality): luminance LUT k·x^(2.2/3), k = 0.02874 (uint8 input: `LUT(img + 1)` saturates,
 *   so 255 takes the value of 254, as in MATLAB); CSF applied in the frequency domain
 *   (`make_csf(M, N, 32)'`: 2.6(0.0192 + 0.114f)exp(-(0.114f)^1.1), f scaled by the oblique-effect factor
 *   0.15cos4θ + 0.85, flat 0.9809 below f = 7.8909; sampled on the half-pixel-offset grid of the original, applied
 *   to `fftshift(fft2(·))`);
 *   local statistics (`ical_std`): 16x16 blocks at stride 4, each block's values written to its top-left 4x4
 *   cells; σ_err = std of the CSF-filtered error block (N-1), σ_ref = minimum of the std (N-1) of the four 8x8
 *   sub-blocks of the CSF-filtered reference, μ_ref = mean of the reference block [ASSUMPTION: `ical_std.c` is
 *   not in any source found; this follows the paper's "modified standard deviation" and the commented
 *   `stdmod` of the MATLAB file, with MATLAB `std`'s N-1];
 *   C_ref = ln(σ_ref/μ_ref), C_err = ln(σ_err/μ_ref) (-∞ where μ_ref < 0.5); masking thresholds -5 and slope 1;
 *   local MSE = 16x16 box mean of the squared pixel difference (`filter2(·, 'same')`);
 *   d_detect = 200·RMS(mask·lmse) over the map without a 16-pixel border (rows 17..end-17);
 * - appearance ("lo", low quality): log-Gabor bank (Kovesi `gaborconvolve` as altered by Larson: 5 scales
 *   (wavelengths 3, 9, 27, 81, 243), 4 orientations, σ/f 0.55, dθ/σ 1.5), on |EO| the per-block std (N-1),
 *   skewness and kurtosis (non-excess; `ical_stat`: 16x16 blocks, stride 4, top-left 4x4 cells);
 *   map = Σ_scale w_s Σ_orient (|Δstd| + 2|Δskew| + |Δkurt|), w = [0.5 0.75 1 5 6]/13.25; d_appear = RMS of the
 *   map without the 16-pixel border;
 * - blend: β1 = exp(-2.55/3.35), β2 = 1/(ln 10 · 3.35), α = 1/(1 + β1·d_detect^β2),
 *   MAD = d_appear^(1-α) · d_detect^α.
 * - Order matters: (distorted, reference) (masking and the CSF-filtered statistics use the reference).
 * - Quality map (not in the paper's score): (200·hi map)^α · (lo map)^(1-α), full image size, 0 where a map is 0.
 * Pyiqa's MAD values (conventions.md §2.13) are its own port's outputs, not MATLAB's, and differ by design (see
 * the golden test). Minimum size 48x48 (a 16-pixel border is dropped on each side of 16x16-block statistics).
 */
import type { Image, Plane } from '../../tensor/image.js';
import { makePlane } from '../../tensor/image.js';
import { IqaError } from '../../tensor/errors.js';
import { rgb2grayMatlab } from '../../color/index.js';
import { fft2dReal, fftshift, getFft2Plan } from '../../signal/fft.js';
import { filterSeparable } from '../../signal/filter.js';
import { classicFR, type MetricEntry, type MetricOutput } from '../types.js';

export interface MadOutput extends MetricOutput {
  /** d_detect (the high-quality, detection-based index). */
  readonly hi: number;
  /** d_appear (the low-quality, appearance-based index). */
  readonly lo: number;
  /** Blend weight α of d_detect. */
  readonly alpha: number;
}

export interface MadOptions {
  /** Blend thresholds [thresh1, thresh2] (default [2.55, 3.35]). */
  thresh?: readonly [number, number];
}

const BSIZE = 16;
export const MAD_MIN_SIZE = 48;

/** Nearest integer as MATLAB `round` (half away from zero) for non-negative x. */
const mround = (x: number) => Math.round(x);

/** `make_csf(M, N, 32)'` as an M x N row-major array (rows = image rows). */
function makeCsf(M: number, N: number, nfreq: number): Float64Array {
  const out = new Float64Array(M * N);
  for (let r = 0; r < M; r++) {
    const xv = r - M / 2 + 0.5;
    for (let c = 0; c < N; c++) {
      const yv = c - N / 2 + 0.5;
      const px = (xv / N) * 2 * nfreq, py = (yv / N) * 2 * nfreq;
      let f = Math.hypot(px, py);
      const s = ((1 - 0.7) / 2) * Math.cos(4 * Math.atan2(py, px)) + (1 + 0.7) / 2;
      f /= s;
      out[r * N + c] = f < 7.8909 ? 0.9809 : 2.6 * (0.0192 + 0.114 * f) * Math.exp(-((0.114 * f) ** 1.1));
    }
  }
  return out;
}

const csfCache = new Map<string, Float64Array>();

/** ifftshift(make_csf(H, W, 32)'), cached per size: the CSF with its origin at the corner, as fft2's output. */
function csfUnshifted(W: number, H: number): Float64Array {
  const key = `${W}x${H}`;
  let c = csfCache.get(key);
  if (!c) {
    if (csfCache.size >= 8) csfCache.clear();
    csfCache.set(key, (c = fftshift(makeCsf(H, W, 32), W, H, true)));
  }
  return c;
}

/** real(ifft2(ifftshift(fftshift(fft2(x)) .* csf))) = real(ifft2(fft2(x) .* ifftshift(csf))) (same products). */
function applyCsf(x: Float64Array, W: number, H: number, csfU: Float64Array): Float64Array {
  const [re, im] = fft2dReal(x, W, H);
  getFft2Plan(W, H).inverseOfProduct(re, im, csfU, re, im);
  return re;
}

/**
 * `ical_std.c`: σ_err = std (N-1) of the 16x16 error block, μ_ref = mean of the 16x16 reference block; σ_ref =
 * "modified std": the std (N-1) of the 8x8 reference block at each block origin, then the minimum of that value
 * at the origin and at the pixel 5 right / 5 down / both (which lies in the cell of the 8x8 block 4 pixels
 * further), each candidate used only when its position is < size - 15, as in the C code.
 */
function icalStd(err: Float64Array, ref: Float64Array, W: number, H: number): [Float64Array, Float64Array, Float64Array] {
  const sErr = new Float64Array(W * H), sRef = new Float64Array(W * H), mRef = new Float64Array(W * H);
  const tmp = new Float64Array(W * H);
  const fill = (a: Float64Array, by: number, bx: number, v: number) => {
    for (let y = by; y < by + 4; y++) a.fill(v, y * W + bx, y * W + bx + 4);
  };
  for (let by = 0; by + BSIZE <= H; by += 4) {
    for (let bx = 0; bx + BSIZE <= W; bx += 4) {
      let me = 0, mr = 0;
      for (let y = by; y < by + BSIZE; y++) {
        const o = y * W;
        for (let x = bx; x < bx + BSIZE; x++) {
          me += err[o + x];
          mr += ref[o + x];
        }
      }
      me /= 256;
      mr /= 256;
      let ve = 0;
      for (let y = by; y < by + BSIZE; y++) {
        const o = y * W;
        for (let x = bx; x < bx + BSIZE; x++) {
          const d = err[o + x] - me;
          ve += d * d;
        }
      }
      let m8 = 0;
      for (let y = by; y < by + 8; y++) for (let x = bx; x < bx + 8; x++) m8 += ref[y * W + x];
      m8 /= 64;
      let v8 = 0;
      for (let y = by; y < by + 8; y++) for (let x = bx; x < bx + 8; x++) {
        const d = ref[y * W + x] - m8;
        v8 += d * d;
      }
      fill(sErr, by, bx, Math.sqrt(ve / 255));
      fill(mRef, by, bx, mr);
      fill(tmp, by, bx, Math.sqrt(v8 / 63));
    }
  }
  for (let by = 0; by + BSIZE <= H; by += 4) {
    for (let bx = 0; bx + BSIZE <= W; bx += 4) {
      let m = tmp[by * W + bx];
      for (let y = by; y < by + 8; y += 5) for (let x = bx; x < bx + 8; x += 5) {
        if (y < H - 15 && x < W - 15 && m > tmp[y * W + x]) m = tmp[y * W + x];
      }
      fill(sRef, by, bx, m);
    }
  }
  return [sErr, sRef, mRef];
}

/** Central-moment sums (mean, M2, M3, M4) of equal-count groups, merged pairwise (Pébay 2008, equal n). */
interface Moments { mean: Float64Array; m2: Float64Array; m3: Float64Array; m4: Float64Array }

function moments(len: number): Moments {
  return { mean: new Float64Array(len), m2: new Float64Array(len), m3: new Float64Array(len), m4: new Float64Array(len) };
}

let momentsCache: Moments[] = [];
/** The five Moments buffers of icalStat for nc cells, reused across its 40 calls per image pair (every entry that
 * icalStat reads is written first in the same call). */
function momentsWork(nc: number): Moments[] {
  if (momentsCache.length === 0 || momentsCache[0].mean.length !== nc) momentsCache = Array.from({ length: 5 }, () => moments(nc));
  return momentsCache;
}

/** out[i] = merge(a[i], a[i + off]) for groups of h samples each (numerically stable, no raw power sums). */
function mergeInto(out: Moments, a: Moments, i: number, j: number, h: number): void {
  const ma = a.mean[i], mb = a.mean[j], d = mb - ma, d2 = d * d;
  const m2a = a.m2[i], m2b = a.m2[j], m3a = a.m3[i], m3b = a.m3[j];
  out.mean[i] = (ma + mb) / 2;
  out.m2[i] = m2a + m2b + (d2 * h) / 2;
  out.m3[i] = m3a + m3b + (3 * d * (m2b - m2a)) / 2;
  out.m4[i] = a.m4[i] + a.m4[j] + (d2 * d2 * h) / 8 + 1.5 * d2 * (m2a + m2b) + 2 * d * (m3b - m3a);
}

/**
 * `ical_stat.c`: per 16x16 block (stride 4) std (N-1), skewness and kurtosis (1/N moments, non-excess), written to
 * the block's top-left 4x4 cells. Each block is the union of 4x4 cells of 4x4 pixels: cell moments are merged
 * (1x2, 1x4, 2x4, 4x4 cells) instead of revisiting each pixel in the 16 blocks that contain it.
 */
function icalStat(x: Float64Array, W: number, H: number, out: [Float64Array, Float64Array, Float64Array]): void {
  const [oStd, oSkw, oKrt] = out;
  const CW = Math.floor(W / 4), CH = Math.floor(H / 4), nc = CW * CH;
  if (CW < 4 || CH < 4) return;
  const [c, h2, h4, v8, b] = momentsWork(nc);
  for (let cy = 0; cy < CH; cy++) for (let cx = 0; cx < CW; cx++) {
    const o = 4 * cy * W + 4 * cx;
    let m = 0;
    for (let y = 0; y < 4; y++) for (let xx = 0; xx < 4; xx++) m += x[o + y * W + xx];
    m /= 16;
    let s2 = 0, s3 = 0, s4 = 0;
    for (let y = 0; y < 4; y++) for (let xx = 0; xx < 4; xx++) {
      const d = x[o + y * W + xx] - m, d2 = d * d;
      s2 += d2;
      s3 += d2 * d;
      s4 += d2 * d2;
    }
    const i = cy * CW + cx;
    c.mean[i] = m;
    c.m2[i] = s2;
    c.m3[i] = s3;
    c.m4[i] = s4;
  }
  for (let cy = 0; cy < CH; cy++) {
    for (let cx = 0; cx + 1 < CW; cx++) mergeInto(h2, c, cy * CW + cx, cy * CW + cx + 1, 16);
    for (let cx = 0; cx + 3 < CW; cx++) mergeInto(h4, h2, cy * CW + cx, cy * CW + cx + 2, 32);
  }
  for (let cy = 0; cy + 1 < CH; cy++) for (let cx = 0; cx + 3 < CW; cx++) mergeInto(v8, h4, cy * CW + cx, (cy + 1) * CW + cx, 64);
  for (let cy = 0; cy + 3 < CH; cy++) for (let cx = 0; cx + 3 < CW; cx++) mergeInto(b, v8, cy * CW + cx, (cy + 2) * CW + cx, 128);
  for (let cy = 0; cy + 3 < CH; cy++) {
    for (let cx = 0; cx + 3 < CW; cx++) {
      const i = cy * CW + cx;
      const s2 = b.m2[i];
      const stmp = Math.sqrt(s2 / 256);
      const sd = Math.sqrt(s2 / 255);
      let skw = 0, krt = 0;
      if (stmp !== 0) {
        skw = b.m3[i] / 256 / (stmp * stmp * stmp);
        krt = b.m4[i] / 256 / (stmp * stmp * stmp * stmp);
      }
      for (let y = 4 * cy; y < 4 * cy + 4; y++) {
        const r = y * W + 4 * cx;
        oStd[r] = oStd[r + 1] = oStd[r + 2] = oStd[r + 3] = sd;
        oSkw[r] = oSkw[r + 1] = oSkw[r + 2] = oSkw[r + 3] = skw;
        oKrt[r] = oKrt[r + 1] = oKrt[r + 2] = oKrt[r + 3] = krt;
      }
    }
  }
}

/** RMS of `mp(BSIZE+1:end-BSIZE-1, BSIZE+1:end-BSIZE-1)` (MATLAB 1-based), i.e. rows/cols 16 .. size-18. */
function rmsInner(mp: Float64Array, W: number, H: number): number {
  let s = 0, n = 0;
  for (let y = BSIZE; y <= H - BSIZE - 2; y++) for (let x = BSIZE; x <= W - BSIZE - 2; x++) {
    const v = mp[y * W + x];
    s += v * v;
    n++;
  }
  return Math.sqrt(s / n);
}

/** `hi_index`: d_detect and its map. `ref`, `dst`: uint8-valued grey planes. */
function hiIndex(ref: Plane, dst: Plane, uint8: boolean): [number, Float64Array] {
  const W = ref.width, H = ref.height, n = W * H;
  const k = 0.02874, G = 0.5, Cslope = 1, CiThr = -5, CdThr = -5;
  // MATLAB `LUT(img + 1)` on uint8 saturates 255 + 1 to 255: a pixel of 255 gets the luminance of 254.
  const lum = (v: number) => k * (uint8 && v === 255 ? 254 : v) ** (2.2 / 3);
  const lr = new Float64Array(n), ld = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    lr[i] = lum(ref.data[i]);
    ld[i] = lum(dst.data[i]);
  }
  const csf = csfUnshifted(W, H);
  const fr = applyCsf(lr, W, H, csf), fd = applyCsf(ld, W, H, csf);
  const err = new Float64Array(n);
  for (let i = 0; i < n; i++) err[i] = fd[i] - fr[i];
  const [std2, std1, m1] = icalStd(err, fr, W, H);
  const d2 = new Float64Array(n);
  for (let i = 0; i < n; i++) d2[i] = (ref.data[i] - dst.data[i]) ** 2;
  const box = new Float64Array(BSIZE).fill(1 / BSIZE);
  const lmse = filterSeparable(makePlane(W, H, d2), box, box, 'same', 'zero').data;
  const mp = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const ciRef = Math.log(std1[i] / m1[i]);
    const ciDst = m1[i] < G ? -Infinity : Math.log(std2[i] / m1[i]);
    let msk = 0;
    if (ciRef > CiThr && ciDst > Cslope * (ciRef - CiThr) + CdThr) msk = ciDst - (Cslope * (ciRef - CiThr) + CdThr);
    else if (ciRef <= CiThr && ciDst > CdThr) msk = ciDst - CdThr;
    mp[i] = msk * lmse[i];
  }
  return [rmsInner(mp, W, H) * 200, mp];
}

interface GaborBank {
  /** filters[s][o]: the fftshift-ed transfer function (real), row-major H x W. */
  filters: Float64Array[][];
}
const bankCache = new Map<string, GaborBank>();

/** Larson's `gaborconvolve` filters for an H x W image. */
function gaborBank(W: number, H: number): GaborBank {
  const key = `${W}x${H}`;
  const hit = bankCache.get(key);
  if (hit) return hit;
  const nscale = 5, norient = 4, minWave = 3, mult = 3, sigmaOnf = 0.55, dThetaOnSigma = 1.5;
  const n = W * H;
  const logr = new Float64Array(n), sinT = new Float64Array(n), cosT = new Float64Array(n);
  const rc = mround(H / 2 + 1) - 1, cc = mround(W / 2 + 1) - 1;
  for (let r = 0; r < H; r++) {
    const y = (-H / 2 + r) / (H / 2);
    for (let c = 0; c < W; c++) {
      const x = (-W / 2 + c) / (W / 2);
      const i = r * W + c;
      logr[i] = r === rc && c === cc ? 0 : Math.log(Math.sqrt(x * x + y * y));
      const th = Math.atan2(-y, x);
      sinT[i] = Math.sin(th);
      cosT[i] = Math.cos(th);
    }
  }
  const thetaSigma = Math.PI / norient / dThetaOnSigma;
  const logGabors: Float64Array[] = [];
  for (let s = 0; s < nscale; s++) {
    const rfo = 1 / (minWave * mult ** s) / 0.5;
    const tmp = -(2 * Math.log(sigmaOnf) ** 2), tmp2 = Math.log(rfo);
    const g = new Float64Array(n);
    for (let i = 0; i < n; i++) g[i] = Math.exp((logr[i] - tmp2) ** 2 / tmp);
    g[rc * W + cc] = 0;
    logGabors.push(g);
  }
  const filters: Float64Array[][] = logGabors.map(() => []);
  for (let o = 0; o < norient; o++) {
    const angl = (o * Math.PI) / norient;
    const ca = Math.cos(angl), sa = Math.sin(angl);
    const spread = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const ds = sinT[i] * ca - cosT[i] * sa, dc = cosT[i] * ca + sinT[i] * sa;
      const dth = Math.abs(Math.atan2(ds, dc));
      spread[i] = Math.exp(-(dth * dth) / (2 * thetaSigma * thetaSigma));
    }
    for (let s = 0; s < nscale; s++) {
      const f = new Float64Array(n);
      for (let i = 0; i < n; i++) f[i] = logGabors[s][i] * spread[i];
      filters[s][o] = fftshift(f, W, H);
    }
  }
  const bank = { filters };
  bankCache.set(key, bank);
  return bank;
}

/** `lo_index`: d_appear and its map. */
function loIndex(ref: Plane, dst: Plane): [number, Float64Array] {
  const W = ref.width, H = ref.height, n = W * H;
  const { filters } = gaborBank(W, H);
  const spec = (p: Plane) => {
    const [re, im] = fft2dReal(p.data, W, H);
    return [re, im] as const;
  };
  const [rRe, rIm] = spec(ref), [dRe, dIm] = spec(dst);
  const weights = [0.5, 0.75, 1, 5, 6].map((w) => w / 13.25);
  const mp = new Float64Array(n);
  const statsR: [Float64Array, Float64Array, Float64Array] = [new Float64Array(n), new Float64Array(n), new Float64Array(n)];
  const statsD: [Float64Array, Float64Array, Float64Array] = [new Float64Array(n), new Float64Array(n), new Float64Array(n)];
  const re = new Float64Array(n), im = new Float64Array(n), mag = new Float64Array(n);
  /** |ifft2(spectrum .* filter)| into `mag` (one buffer for all 40 bands: icalStat consumes it at once). */
  const plan = getFft2Plan(W, H);
  const magOf = (sRe: Float64Array, sIm: Float64Array, f: Float64Array) => {
    plan.inverseOfProduct(sRe, sIm, f, re, im);
    for (let i = 0; i < n; i++) mag[i] = Math.sqrt(re[i] * re[i] + im[i] * im[i]);
    return mag;
  };
  for (let s = 0; s < filters.length; s++) {
    for (let o = 0; o < filters[s].length; o++) {
      icalStat(magOf(rRe, rIm, filters[s][o]), W, H, statsR);
      icalStat(magOf(dRe, dIm, filters[s][o]), W, H, statsD);
      const w = weights[s];
      for (let i = 0; i < n; i++) {
        mp[i] += w * (Math.abs(statsR[0][i] - statsD[0][i]) + 2 * Math.abs(statsR[1][i] - statsD[1][i]) + Math.abs(statsR[2][i] - statsD[2][i]));
      }
    }
  }
  return [rmsInner(mp, W, H), mp];
}

/** True when every sample is an integer in 0..255 (MATLAB would hold the grey image as uint8). */
function isUint8(p: Plane): boolean {
  for (const v of p.data) if (!(Number.isInteger(v) && v >= 0 && v <= 255)) return false;
  return true;
}

/** MAD of `dist` against `ref` (lower is better, 0 for identical images), with d_detect, d_appear and a map. */
export function mad(dist: Image, ref: Image, opts: MadOptions = {}): MadOutput {
  if (ref.width < MAD_MIN_SIZE || ref.height < MAD_MIN_SIZE) {
    throw new IqaError(`mad: image size: expected at least ${MAD_MIN_SIZE}x${MAD_MIN_SIZE} (16x16-block statistics without a 16-pixel border), got ${ref.width}x${ref.height}`, 'E_SIZE');
  }
  const r = rgb2grayMatlab(ref, { uint8: true }), d = rgb2grayMatlab(dist, { uint8: true });
  const [hi, hiMap] = hiIndex(r, d, isUint8(r) && isUint8(d));
  const [lo, loMap] = loIndex(r, d);
  const [t1, t2] = opts.thresh ?? [2.55, 3.35];
  const b1 = Math.exp(-t1 / t2), b2 = 1 / (Math.log(10) * t2);
  const alpha = 1 / (1 + b1 * hi ** b2);
  const score = lo ** (1 - alpha) * hi ** alpha;
  const map = new Float64Array(hiMap.length);
  for (let i = 0; i < map.length; i++) map[i] = (200 * hiMap[i]) ** alpha * loMap[i] ** (1 - alpha);
  return { score, hi, lo, alpha, map: makePlane(ref.width, ref.height, map) };
}

export const madEntries: readonly MetricEntry[] = [
  classicFR(
    { name: 'mad', lowerBetter: true, range: [0, Infinity], description: 'Most apparent distortion (Larson & Chandler 2010, MAD_index.m)' },
    mad,
    {} as MadOptions,
  ),
];
