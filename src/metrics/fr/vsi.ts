/**
 * VSI: visual saliency-induced index.
 * Paper: L. Zhang, Y. Shen, H. Li, "VSI: A Visual Saliency-Induced Index for Perceptual Image Quality Assessment",
 * IEEE TIP 23(10):4270-4281, 2014. Saliency: L. Zhang, Z. Gu, H. Li, "SDSP: a novel saliency detection method by
 * combining simple priors", ICIP 2013.
 * Matches the authors' `VSI.m` (Lin Zhang, 2013). Conventions that change numbers (conventions.md §2.11):
 * - SDSP on the full-size RGB image: each channel `imresize(·, [256 256], 'bilinear')` (MATLAB, antialiased),
 *   SDSP's own RGB2Lab (sRGB → XYZ, **D50** white 0.9642/1/0.8251, ε = 0.008856, κ = 903.3; not MATLAB rgb2lab),
 *   log-Gabor ω0 = 0.021, σF = 1.34 (zero outside radius 0.5), centre prior σD = 145 around (rows/2, cols/2)
 *   (1-based), warm-colour prior σC = 0.001 on min-max normalised a, b; map resized back with
 *   `imresize(·, [H W], 'bilinear')` then `mat2gray`;
 * - LMN on 0..255 (L = .06R+.63G+.27B, M = .30R+.04G−.35B, N = .34R−.60G+.17B);
 * - pre-scaling of L, M, N and both saliency maps: F = max(1, round(min(H,W)/256)) with
 *   `conv2(X, ones(F)/F², 'same')` and `X(1:F:end, 1:F:end)` — MATLAB anchoring (§1.5; piq's replicate pad before
 *   is the Octave-like anchoring, offered as variant 'piq');
 * - Scharr gradient of L, conv2 'same'; C1 = 1.27, C2 = 386, C3 = 130, α = 0.40, β = 0.02;
 * - chroma factor real((S_M·S_N)^β) (MATLAB principal power).
 * Golden values: piq asserts 0.96405 as MATLAB's VSI on I01 (allclose, rtol 1e-5). The code as published gives
 * 0.963951 (relative 1.03e-4, absolute 9.9e-5 below it); of that, about 6e-5 is the conv2 'same' anchoring
 * (Octave-like anchoring with MATLAB imresize gives 0.964010) and the rest the SDSP resizes. piq's conventions
 * (option `variant: 'piq'`) give 0.964055, i.e. the asserted value; which of the two MATLAB actually produced
 * cannot be settled without MATLAB, so the default stays the published code. pyiqa's TID "official" VSI values come
 * from IQA-Optimization (not MATLAB; different Lab and downsampling): matched only at pyiqa's tolerance (1e-2).
 * Grey input is replicated to RGB. Argument order (distorted, reference); symmetric.
 * Flat (constant) images: NaN, as VSI.m (SDSP's min-max normalisations divide 0 by 0).
 * Map: S·VS_m / mean(VS_m) at the pre-scaled size (its mean is the score).
 */
import type { Image, Plane } from '../../tensor/image.js';
import { channel, makePlane, assertMinSize } from '../../tensor/image.js';
import { autoDownsampleFactor, padPlane } from '../../signal/filter.js';
import { imresize } from '../../signal/imresize.js';
import { fftshift } from '../../signal/fft.js';
import { getFft2Plan } from '../../signal/fft-plan.js';
import { downsampleConv2Same, mat2gray, scharrMagnitude } from '../../signal/conv2.js';
import { classicFR, type MetricEntry, type MetricOutput } from '../types.js';

export interface VsiOptions {
  /** Pre-scaling factor; default MATLAB's automatic F = max(1, round(min(H,W)/256)). */
  downsample?: number;
  /**
   * 'matlab' (default): VSI.m as published (conv2 'same' pre-scaling, MATLAB imresize 'bilinear' in SDSP).
   * 'piq': piq's conventions (replicate pad ⌊F/2⌋ before and ⌊(F−1)/2⌋ after then F×F block means, i.e. the
   * Octave-like anchoring; SDSP down-resize bilinear without antialiasing, up-resize bilinear with aligned
   * corners). It reproduces the value piq asserts as MATLAB's on I01 (0.96405) to 5e-6; see the header.
   */
  variant?: 'matlab' | 'piq';
}

const C_VS = 1.27, C_GM = 386, C_CHROM = 130, ALPHA = 0.4, LAMBDA = 0.02;
const SIGMA_F = 1.34, OMEGA0 = 0.021, SIGMA_D = 145, SIGMA_C = 0.001;
const SDSP_SIZE = 256;

function rgbPlanes(img: Image): [Float64Array, Float64Array, Float64Array] {
  if (img.channels === 1) {
    const g = channel(img, 0).data;
    return [g, g, g];
  }
  return [channel(img, 0).data, channel(img, 1).data, channel(img, 2).data];
}

/** SDSP's `logGabor(rows, cols, omega0, sigmaF)` (origin at the corner). */
function logGaborSdsp(rows: number, cols: number): Float64Array {
  const n = rows * cols;
  const u1 = new Float64Array(n), u2 = new Float64Array(n);
  const cx = Math.trunc(cols / 2) + 1, cy = Math.trunc(rows / 2) + 1;
  for (let y = 0; y < rows; y++) for (let x = 0; x < cols; x++) {
    const a = (x + 1 - cx) / (cols - (cols % 2)), b = (y + 1 - cy) / (rows - (rows % 2));
    const keep = a * a + b * b > 0.25 ? 0 : 1;
    u1[y * cols + x] = a * keep;
    u2[y * cols + x] = b * keep;
  }
  const s1 = fftshift(u1, cols, rows, true), s2 = fftshift(u2, cols, rows, true);
  const lg = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const r = i === 0 ? 1 : Math.sqrt(s1[i] * s1[i] + s2[i] * s2[i]);
    lg[i] = Math.exp(-(Math.log(r / OMEGA0) ** 2) / (2 * SIGMA_F * SIGMA_F));
  }
  lg[0] = 0;
  return lg;
}

let lgCache: Float64Array | null = null;

/** SDSP's RGB2Lab (D50 reference white). */
function rgb2LabSdsp(r: Float64Array, g: Float64Array, b: Float64Array): [Float64Array, Float64Array, Float64Array] {
  const n = r.length;
  const L = new Float64Array(n), A = new Float64Array(n), B = new Float64Array(n);
  const lin = (v: number) => {
    const c = v / 255;
    return c <= 0.04045 ? c / 12.92 : Math.pow((c + 0.055) / 1.055, 2.4);
  };
  const f = (t: number) => (t > 0.008856 ? Math.pow(t, 1 / 3) : (903.3 * t + 16) / 116);
  for (let i = 0; i < n; i++) {
    const R = lin(r[i]), G = lin(g[i]), Bl = lin(b[i]);
    const X = R * 0.4124564 + G * 0.3575761 + Bl * 0.1804375;
    const Y = R * 0.2126729 + G * 0.7151522 + Bl * 0.072175;
    const Z = R * 0.0193339 + G * 0.119192 + Bl * 0.9503041;
    const fx = f(X / 0.9642), fy = f(Y / 1.0), fz = f(Z / 0.8251);
    L[i] = 116 * fy - 16;
    A[i] = 500 * (fx - fy);
    B[i] = 200 * (fy - fz);
  }
  return [L, A, B];
}

function minMaxNorm(a: Float64Array): Float64Array {
  let lo = Infinity, hi = -Infinity;
  for (const v of a) {
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  const out = new Float64Array(a.length);
  for (let i = 0; i < a.length; i++) out[i] = (a[i] - lo) / (hi - lo); // 0/0 = NaN on a flat channel, as MATLAB
  return out;
}

/** SDSP saliency map of an RGB image (0..255), at the image's size, in [0, 1]. */
/** `variant` 'piq' changes only the two resizes (see VsiOptions). */
export function sdspSaliency(img: Image, variant: 'matlab' | 'piq' = 'matlab'): Plane {
  const W = img.width, H = img.height, S = SDSP_SIZE, n = S * S;
  const small = rgbPlanes(img).map((d) => imresize(makePlane(W, H, d), { size: [S, S], kernel: 'bilinear', antialias: variant === 'matlab' }).data);
  const lab = rgb2LabSdsp(small[0], small[1], small[2]);
  const lg = (lgCache ??= logGaborSdsp(S, S));
  const sf = new Float64Array(n);
  const re = new Float64Array(n), im = new Float64Array(n);
  const plan = getFft2Plan(S, S);
  for (const ch of lab) {
    re.set(ch);
    im.fill(0);
    plan.run(re, im);
    for (let i = 0; i < n; i++) {
      re[i] *= lg[i];
      im[i] *= lg[i];
    }
    plan.run(re, im, true);
    for (let i = 0; i < n; i++) sf[i] += re[i] * re[i];
  }
  const na = minMaxNorm(lab[1]), nb = minMaxNorm(lab[2]);
  const vs = new Float64Array(n);
  const cy = S / 2, cx = S / 2;
  for (let y = 0; y < S; y++) for (let x = 0; x < S; x++) {
    const i = y * S + x;
    const sd = Math.exp(-((y + 1 - cy) ** 2 + (x + 1 - cx) ** 2) / (SIGMA_D * SIGMA_D));
    const sc = 1 - Math.exp(-(na[i] * na[i] + nb[i] * nb[i]) / (SIGMA_C * SIGMA_C));
    vs[i] = Math.sqrt(sf[i]) * sd * sc;
  }
  return mat2gray(variant === 'piq' ? alignCorners(makePlane(S, S, vs), W, H) : imresize(makePlane(S, S, vs), { size: [H, W], kernel: 'bilinear' }));
}

/** Bilinear resize with aligned corners (PyTorch `interpolate(..., align_corners=True)`), piq variant only. */
function alignCorners(p: Plane, W: number, H: number): Plane {
  const out = new Float64Array(W * H);
  for (let y = 0; y < H; y++) for (let x = 0; x < W; x++) {
    const sy = (y * (p.height - 1)) / (H - 1), sx = (x * (p.width - 1)) / (W - 1);
    const y0 = Math.floor(sy), x0 = Math.floor(sx), y1 = Math.min(y0 + 1, p.height - 1), x1 = Math.min(x0 + 1, p.width - 1);
    const fy = sy - y0, fx = sx - x0;
    const d = p.data, w = p.width;
    out[y * W + x] = (1 - fy) * ((1 - fx) * d[y0 * w + x0] + fx * d[y0 * w + x1]) + fy * ((1 - fx) * d[y1 * w + x0] + fx * d[y1 * w + x1]);
  }
  return makePlane(W, H, out);
}
/** Replicate pad ⌊f/2⌋ before, ⌊(f−1)/2⌋ after, then f×f block means (piq's VSI pre-scaling), piq variant only. */
function dsOct(p: Plane, f: number): Plane {
  if (f <= 1) return p;
  const pp = padPlane(p, f >> 1, (f - 1) >> 1, f >> 1, (f - 1) >> 1, 'replicate');
  const W = Math.floor(pp.width / f), H = Math.floor(pp.height / f);
  const out = new Float64Array(W * H);
  for (let y = 0; y < H; y++) for (let x = 0; x < W; x++) {
    let s = 0;
    for (let j = 0; j < f; j++) for (let i = 0; i < f; i++) s += pp.data[(y * f + j) * pp.width + x * f + i];
    out[y * W + x] = s / (f * f);
  }
  return makePlane(W, H, out);
}
const sim = (a: number, b: number, c: number) => (2 * a * b + c) / (a * a + b * b + c);

function lmn(img: Image): [Plane, Plane, Plane] {
  const [r, g, b] = rgbPlanes(img);
  const n = r.length;
  const L = new Float64Array(n), M = new Float64Array(n), N = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    L[i] = 0.06 * r[i] + 0.63 * g[i] + 0.27 * b[i];
    M[i] = 0.3 * r[i] + 0.04 * g[i] - 0.35 * b[i];
    N[i] = 0.34 * r[i] - 0.6 * g[i] + 0.17 * b[i];
  }
  return [L, M, N].map((d) => makePlane(img.width, img.height, d)) as [Plane, Plane, Plane];
}

/** VSI (distorted, reference). */
export function vsi(dist: Image, ref: Image, opts: VsiOptions = {}): MetricOutput {
  const f = opts.downsample ?? autoDownsampleFactor(ref.width, ref.height);
  assertMinSize('vsi', { width: Math.ceil(ref.width / f), height: Math.ceil(ref.height / f) }, 3);
  const variant = opts.variant ?? 'matlab';
  const ds = variant === 'piq' ? dsOct : downsampleConv2Same;
  const vs1 = ds(sdspSaliency(ref, variant), f).data, vs2 = ds(sdspSaliency(dist, variant), f).data;
  const [L1, M1, N1] = lmn(ref).map((p) => ds(p, f));
  const [L2, M2, N2] = lmn(dist).map((p) => ds(p, f));
  const g1 = scharrMagnitude(L1).data, g2 = scharrMagnitude(L2).data;
  const n = vs1.length;
  const map = new Float64Array(n);
  let num = 0, den = 0;
  for (let i = 0; i < n; i++) {
    const w = Math.max(vs1[i], vs2[i]);
    const c = sim(M1.data[i], M2.data[i], C_CHROM) * sim(N1.data[i], N2.data[i], C_CHROM);
    const cp = c >= 0 ? Math.pow(c, LAMBDA) : Math.pow(-c, LAMBDA) * Math.cos(LAMBDA * Math.PI);
    const s = Math.pow(sim(g1[i], g2[i], C_GM), ALPHA) * sim(vs1[i], vs2[i], C_VS) * cp * w;
    map[i] = s;
    num += s;
    den += w;
  }
  const mw = den / n;
  for (let i = 0; i < n; i++) map[i] /= mw;
  return { score: num / den, map: makePlane(L1.width, L1.height, map) };
}

export const vsiEntries: readonly MetricEntry[] = [
  classicFR({ name: 'vsi', lowerBetter: false, range: [0, 1], description: 'VSI with SDSP saliency (VSI.m, Zhang et al. 2014)' }, vsi, {} as VsiOptions),
];
