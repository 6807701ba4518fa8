/**
 * CPBD: Cumulative Probability of Blur Detection. N. D. Narvekar, L. J. Karam, "A No-Reference Image Blur Metric
 * Based on the Cumulative Probability of Blur Detection (CPBD)", IEEE TIP 20(9), 2011. Implemented from the paper
 * and the authors' MATLAB release (`CPBD_compute.m`, IVU Lab, 2009; read, not copied). No reference implementation
 * could be run here (the `cpbd` PyPI port is not in the local index, and it departs from MATLAB's Sobel/Canny
 * anyway), so the tests are properties and hand-computed cases, not golden values. Conventions:
 * - grey: MATLAB `rgb2gray` of the uint8 image (rounded); grey input used as is; double, 0..255;
 * - block classification: MATLAB `edge(I, 'canny')` (the R2011a+ algorithm: sigma √2 Gaussian and its normalised
 *   derivative, 13 taps, 'conv' with replicate borders; magnitude scaled by its maximum; high threshold from a 64-bin
 *   `imhist` at 70 % non-edge pixels, low = 0.4·high; non-maximum suppression with the 4-sector interpolation of
 *   `cannyFindLocalMaxima`, border pixels excluded; hysteresis = 8-connected `bwselect` from the strong pixels).
 *   The 2009 release ran on the older `edge.m`, whose extra `bwmorph(.., 'thin')` pass only changes the edge-pixel
 *   count used by the edge-block test below;
 * - edge widths: `edge(I, 'Sobel', 2, 'vertical')` as in the release: bx = |imfilter(I, [1 0 -1; 2 0 -2; 1 0 -1]/8,
 *   'replicate')|, an edge where bx² > 2² and bx is a horizontal local maximum (left < b >= right; border pixels
 *   excluded), then Marziliano's width along the row: gradient angle from MATLAB `gradient` (atan2(Gy, Gx) in
 *   degrees, 0 where Gx = 0), quantised to 45°; at 0° and ±180° the width is the count of samples to the local
 *   extrema on each side (at most 101 per side); other angles give no width;
 * - 64x64 blocks (whole blocks only, from the top left); an edge block has more than 0.002·4096 Canny edge pixels;
 *   block contrast = max − min of the grey block; JNB width 5 for contrast <= 50, else 3 (widthjnb = [5·ones(1,51)
 *   3·ones(1,205)]; a fractional contrast is floored, as NTIA's port does for non-integer input);
 * - P(blur) = 1 − exp(−|w/w_JNB|^β), β = 3.6, binned by round(100·P); CPBD = fraction of edges with bin <= 63
 *   (P < 0.635), 0 when there are none. Higher = sharper, in [0, 1].
 * `map`: the edge-width map (0 where no width was measured).
 */
import { channel, makePlane, type Image, type Plane } from '../../tensor/image.js';
import { IqaError } from '../../tensor/errors.js';
import { rgb2grayMatlab, roundHalfAway } from '../../color/index.js';
import { classicNR, type MetricEntry, type MetricOutput } from '../types.js';

const BLOCK = 64, THRESHOLD = 0.002, BETA = 3.6, SOBEL_THRESH = 2, MAX_SIDE = 100;
export const CPBD_MIN_SIZE = BLOCK;

/** Grey plane as the release reads it: rgb2gray of uint8 (rounded), grey as is. */
export function cpbdGrey(img: Image): Plane {
  if (img.channels === 1) return makePlane(img.width, img.height, Float64Array.from(channel(img, 0).data));
  return rgb2grayMatlab(img, { uint8: true });
}

// ------------------------------------------------------------------------------------------- Canny

/** MATLAB `imfilter(I, k, 'conv', 'replicate')` with a 1-D odd kernel along x (horizontal) or y. */
function convReplicate(src: Float64Array, W: number, H: number, k: Float64Array, horizontal: boolean): Float64Array {
  const n = k.length, h = (n - 1) >> 1, out = new Float64Array(W * H);
  // convolution: out[i] = Σ_j k[j]·I[i + h − j], taps in kernel order
  if (horizontal) {
    const buf = new Float64Array(W + 2 * h); // the row, replicate-padded by h on each side
    for (let y = 0; y < H; y++) {
      const o = y * W;
      for (let t = 0; t < buf.length; t++) buf[t] = src[o + Math.min(W - 1, Math.max(0, t - h))];
      for (let x = 0; x < W; x++) {
        let acc = 0;
        for (let j = 0, t = x + 2 * h; j < n; j++, t--) acc += k[j] * buf[t];
        out[o + x] = acc;
      }
    }
  } else {
    for (let y = 0; y < H; y++) {
      const o = y * W;
      for (let j = 0; j < n; j++) {
        const c = k[j], so = Math.min(H - 1, Math.max(0, y + h - j)) * W;
        for (let x = 0; x < W; x++) out[o + x] += c * src[so + x];
      }
    }
  }
  return out;
}

/** MATLAB `gradient` of a vector: central differences inside, one-sided at the ends. */
function gradient1d(v: Float64Array): Float64Array {
  const n = v.length, g = new Float64Array(n);
  if (n < 2) return g;
  g[0] = v[1] - v[0];
  g[n - 1] = v[n - 1] - v[n - 2];
  for (let i = 1; i < n - 1; i++) g[i] = (v[i + 1] - v[i - 1]) / 2;
  return g;
}

/** edge.m `smoothGradient(I, sqrt(2))`: the Gaussian and its derivative, each normalised as MATLAB does. */
function cannyKernels(sigma: number): { gauss: Float64Array; deriv: Float64Array } {
  const ext = Math.ceil(4 * sigma), n = 2 * ext + 1;
  const gauss = new Float64Array(n);
  let s = 0;
  for (let i = 0; i < n; i++) {
    const x = i - ext;
    gauss[i] = Math.exp(-(x * x) / (2 * sigma * sigma)) / (Math.sqrt(2 * Math.PI) * sigma);
    s += gauss[i];
  }
  for (let i = 0; i < n; i++) gauss[i] /= s;
  const deriv = gradient1d(gauss);
  let sp = 0, sn = 0;
  for (const v of deriv) if (v > 0) sp += v; else if (v < 0) sn += v;
  for (let i = 0; i < n; i++) deriv[i] = deriv[i] > 0 ? deriv[i] / sp : deriv[i] < 0 ? deriv[i] / Math.abs(sn) : 0;
  return { gauss, deriv };
}

/** MATLAB `edge(I, 'canny')` with the default thresholds and sigma (see the header). 1 = edge. */
export function cannyMatlab(p: Plane): Uint8Array {
  const W = p.width, H = p.height, N = W * H;
  const { gauss, deriv } = cannyKernels(Math.SQRT2);
  const dx = convReplicate(convReplicate(p.data, W, H, gauss, false), W, H, deriv, true);
  const dy = convReplicate(convReplicate(p.data, W, H, gauss, true), W, H, deriv, false);
  const mag = new Float64Array(N);
  let mx = 0;
  for (let i = 0; i < N; i++) { mag[i] = Math.hypot(dx[i], dy[i]); if (mag[i] > mx) mx = mag[i]; }
  if (mx > 0) for (let i = 0; i < N; i++) mag[i] /= mx;
  // thresholds: imhist(mag, 64) puts x in bin round(63·x); high = first bin (1-based) whose cumulative count
  // exceeds 70 % of the pixels, divided by 64
  const counts = new Float64Array(64);
  for (let i = 0; i < N; i++) counts[Math.min(63, Math.max(0, Math.floor(mag[i] * 63 + 0.5)))]++;
  let cum = 0, bin = 64;
  for (let k = 0; k < 64; k++) { cum += counts[k]; if (cum > 0.7 * N) { bin = k + 1; break; } }
  const high = bin / 64, low = 0.4 * high;
  // non-maximum suppression (cannyFindLocalMaxima): interior pixels, 4 direction sectors, union over sectors
  const E = new Uint8Array(N);
  const m = (y: number, x: number) => mag[y * W + x];
  for (let y = 1; y < H - 1; y++) for (let x = 1; x < W - 1; x++) {
    const i = y * W + x, ix = dx[i], iy = dy[i], g = mag[i];
    if (!(g > low)) continue;
    let on = false;
    if ((iy <= 0 && ix > -iy) || (iy >= 0 && ix < -iy)) {
      const d = Math.abs(iy / ix);
      on ||= g >= m(y, x + 1) * (1 - d) + m(y - 1, x + 1) * d && g >= m(y, x - 1) * (1 - d) + m(y + 1, x - 1) * d;
    }
    if ((ix > 0 && -iy >= ix) || (ix < 0 && -iy <= ix)) {
      const d = Math.abs(ix / iy);
      on ||= g >= m(y - 1, x) * (1 - d) + m(y - 1, x + 1) * d && g >= m(y + 1, x) * (1 - d) + m(y + 1, x - 1) * d;
    }
    if ((ix <= 0 && ix > iy) || (ix >= 0 && ix < iy)) {
      const d = Math.abs(ix / iy);
      on ||= g >= m(y - 1, x) * (1 - d) + m(y - 1, x - 1) * d && g >= m(y + 1, x) * (1 - d) + m(y + 1, x + 1) * d;
    }
    if ((iy < 0 && ix <= iy) || (iy > 0 && ix >= iy)) {
      const d = Math.abs(iy / ix);
      on ||= g >= m(y, x - 1) * (1 - d) + m(y - 1, x - 1) * d && g >= m(y, x + 1) * (1 - d) + m(y + 1, x + 1) * d;
    }
    if (on) E[i] = 1;
  }
  // hysteresis: keep the 8-connected components of E that hold a strong pixel (bwselect(E, c, r, 8))
  const out = new Uint8Array(N), stack: number[] = [];
  for (let i = 0; i < N; i++) if (E[i] && mag[i] > high && !out[i]) {
    out[i] = 1;
    stack.push(i);
    while (stack.length) {
      const j = stack.pop()!, jy = Math.floor(j / W), jx = j - jy * W;
      for (let ny = Math.max(0, jy - 1); ny <= Math.min(H - 1, jy + 1); ny++) for (let nx = Math.max(0, jx - 1); nx <= Math.min(W - 1, jx + 1); nx++) {
        const k = ny * W + nx;
        if (E[k] && !out[k]) { out[k] = 1; stack.push(k); }
      }
    }
  }
  return out;
}

// ------------------------------------------------------------------------------------------- Sobel + widths

/** `edge(I, 'Sobel', 2, 'vertical')`: thinned vertical-edge map (1 = edge). */
export function sobelVerticalMatlab(p: Plane, thresh = SOBEL_THRESH): Uint8Array {
  const W = p.width, H = p.height, d = p.data, b = new Float64Array(W * H), e = new Uint8Array(W * H);
  const at = (y: number, x: number) => d[Math.min(H - 1, Math.max(0, y)) * W + Math.min(W - 1, Math.max(0, x))];
  for (let y = 0; y < H; y++) for (let x = 0; x < W; x++) {
    // correlation with op' = [1 0 -1; 2 0 -2; 1 0 -1]/8, replicate borders
    const v = (at(y - 1, x - 1) - at(y - 1, x + 1) + 2 * (at(y, x - 1) - at(y, x + 1)) + at(y + 1, x - 1) - at(y + 1, x + 1)) / 8;
    b[y * W + x] = v * v;
  }
  const cutoff = thresh * thresh;
  for (let y = 1; y < H - 1; y++) for (let x = 1; x < W - 1; x++) {
    const i = y * W + x;
    if (b[i] > cutoff && b[i - 1] < b[i] && b[i] >= b[i + 1]) e[i] = 1;
  }
  return e;
}

/** Marziliano et al.'s edge widths along rows at the edge pixels E (the release's `marziliano_method`). */
export function marzilianoWidths(E: Uint8Array, p: Plane): Float64Array {
  const W = p.width, H = p.height, A = p.data, widths = new Float64Array(W * H);
  const gx = (y: number, x: number) => (W < 2 ? 0 : x === 0 ? A[y * W + 1] - A[y * W] : x === W - 1 ? A[y * W + x] - A[y * W + x - 1] : (A[y * W + x + 1] - A[y * W + x - 1]) / 2);
  const gy = (y: number, x: number) => (H < 2 ? 0 : y === 0 ? A[W + x] - A[x] : y === H - 1 ? A[y * W + x] - A[(y - 1) * W + x] : (A[(y + 1) * W + x] - A[(y - 1) * W + x]) / 2);
  for (let y = 1; y < H - 1; y++) for (let x = 1; x < W - 1; x++) {
    if (!E[y * W + x]) continue;
    const Gx = gx(y, x), Gy = gy(y, x);
    // angle in degrees; Gx = 0 leaves MATLAB's angle_A at 0 (Gy = π/2 would give 90, i.e. no width)
    const ang = Gx !== 0 ? (Math.atan2(Gy, Gx) * 180) / Math.PI : Gy === Math.PI / 2 ? 90 : 0;
    const q = 45 * roundHalfAway(ang / 45);
    const row = y * W;
    let side1 = 0, side2 = 0; // samples to the extremum on each side (the release's width_count_side1/2)
    if (q === 180 || q === -180) {
      // intensity falls left to right: to the left it keeps rising, to the right it keeps falling
      let k = 0;
      for (; k <= MAX_SIDE; k++) { const o2 = x - 2 - k; if (o2 < 0 || A[row + o2] - A[row + o2 + 1] <= 0) break; }
      side1 = Math.min(k, MAX_SIDE) + 1;
      for (k = 0; k <= MAX_SIDE; k++) { const o2 = x + 2 + k; if (o2 > W - 1 || A[row + o2] - A[row + o2 - 1] >= 0) break; }
      side2 = Math.min(k, MAX_SIDE) + 1;
    } else if (q === 0) {
      let k = 0;
      for (; k <= MAX_SIDE; k++) { const o2 = x + 2 + k; if (o2 > W - 1 || A[row + o2] - A[row + o2 - 1] <= 0) break; }
      side1 = Math.min(k, MAX_SIDE) + 1;
      for (k = 0; k <= MAX_SIDE; k++) { const o2 = x - 2 - k; if (o2 < 0 || A[row + o2] - A[row + o2 + 1] >= 0) break; }
      side2 = Math.min(k, MAX_SIDE) + 1;
    } else continue;
    widths[row + x] = side1 + side2;
  }
  return widths;
}

// ------------------------------------------------------------------------------------------- pooling

/** The probability-of-blur histogram pooling over the edge blocks (CPBD_compute.m's block loop). */
export function cpbdPool(grey: Plane, canny: Uint8Array, widths: Float64Array): number {
  const W = grey.width, H = grey.height, d = grey.data;
  let total = 0, sharp = 0;
  for (let by = 0; by + BLOCK <= H; by += BLOCK) for (let bx = 0; bx + BLOCK <= W; bx += BLOCK) {
    let edges = 0, lo = Infinity, hi = -Infinity;
    for (let y = by; y < by + BLOCK; y++) for (let x = bx; x < bx + BLOCK; x++) {
      edges += canny[y * W + x];
      const v = d[y * W + x];
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
    if (!(edges > BLOCK * BLOCK * THRESHOLD)) continue;
    const jnb = Math.floor(hi - lo) <= 50 ? 5 : 3; // widthjnb(contrast + 1)
    for (let y = by; y < by + BLOCK; y++) for (let x = bx; x < bx + BLOCK; x++) {
      const w = widths[y * W + x];
      if (w === 0) continue;
      const p = 1 - Math.exp(-(Math.abs(w / jnb) ** BETA));
      total++;
      if (roundHalfAway(p * 100) <= 63) sharp++; // sum(hist_pblur(1:64))
    }
  }
  return total > 0 ? sharp / total : 0;
}

/** CPBD sharpness (higher = sharper, 0..1) with the edge-width map. */
export function cpbd(img: Image): MetricOutput {
  if (img.width < CPBD_MIN_SIZE || img.height < CPBD_MIN_SIZE) {
    throw new IqaError(`cpbd: image size: expected at least ${CPBD_MIN_SIZE}x${CPBD_MIN_SIZE}, got ${img.width}x${img.height}`, 'E_SIZE');
  }
  const g = cpbdGrey(img);
  const widths = marzilianoWidths(sobelVerticalMatlab(g), g);
  return { score: cpbdPool(g, cannyMatlab(g), widths), map: makePlane(g.width, g.height, widths) };
}

export const cpbdEntries: readonly MetricEntry[] = [
  classicNR(
    {
      name: 'cpbd',
      lowerBetter: false,
      range: [0, 1],
      description: 'CPBD sharpness (Narvekar & Karam 2011), from the paper and the authors\' MATLAB release (MATLAB Canny/Sobel conventions); map = edge widths',
    },
    (img) => cpbd(img),
    {},
  ),
];
