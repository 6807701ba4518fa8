/**
 * Simoncelli's spatial-domain steerable pyramid as matlabPyrTools `buildSpyr` (Simoncelli & Freeman, ICIP 1995;
 * filters: Karasaridis & Simoncelli, ICASSP 1996), with the published `sp5Filters` taps (6 orientations, order 5).
 * matlabPyrTools (LabForComputationalVision, MIT licence) is the reference; the taps below are its data.
 *
 * - `corrDn(im, filt, step, start)`: correlation (not convolution, §1.7) with the filter origin at
 *   (floor(kh/2), floor(kw/2)), subsampled at start, start+step, ... (MEX `corrDn.c`/`convolve.c`).
 * - Edges: `'reflect1'` (reflection through the edge pixel, "... c b | a b c ..."). The MEX code folds the filter
 *   taps that hang over the edge back onto the image (`edges.c`, REDUCE branch: tap at -i lands on +i); that equals
 *   padding the image by reflection without repeating the edge pixel (numpy/torch 'reflect', conventions.md §1.6),
 *   which is what is done here.
 * - `buildSpyr(im, ht)`: hi0 = corrDn(im, hi0filt); lo0 = corrDn(im, lo0filt); per level: 6 bands
 *   corrDn(lo, bfilt_b), then lo = corrDn(lo, lofilt, step 2, start 1); the last lo is the residual lowpass.
 */
import { makePlane, type Plane } from '../tensor/image.js';
import { expected } from '../tensor/errors.js';
import { padPlane, kernel, type Kernel } from './filter.js';

const HI0 = [
  -0.00033429, -0.00113093, -0.00171484, -0.00133542, -0.00080639, -0.00133542, -0.00171484, -0.00113093, -0.00033429,
  -0.00113093, -0.00350017, -0.00243812, 0.00631653, 0.01261227, 0.00631653, -0.00243812, -0.00350017, -0.00113093,
  -0.00171484, -0.00243812, -0.00290081, -0.00673482, -0.00981051, -0.00673482, -0.00290081, -0.00243812, -0.00171484,
  -0.00133542, 0.00631653, -0.00673482, -0.07027679, -0.11435863, -0.07027679, -0.00673482, 0.00631653, -0.00133542,
  -0.00080639, 0.01261227, -0.00981051, -0.11435863, 0.813802, -0.11435863, -0.00981051, 0.01261227, -0.00080639,
  -0.00133542, 0.00631653, -0.00673482, -0.07027679, -0.11435863, -0.07027679, -0.00673482, 0.00631653, -0.00133542,
  -0.00171484, -0.00243812, -0.00290081, -0.00673482, -0.00981051, -0.00673482, -0.00290081, -0.00243812, -0.00171484,
  -0.00113093, -0.00350017, -0.00243812, 0.00631653, 0.01261227, 0.00631653, -0.00243812, -0.00350017, -0.00113093,
  -0.00033429, -0.00113093, -0.00171484, -0.00133542, -0.00080639, -0.00133542, -0.00171484, -0.00113093, -0.00033429,
];
const LO0 = [
  0.00341614, -0.01551246, -0.03848215, -0.01551246, 0.00341614,
  -0.01551246, 0.05586982, 0.1592557, 0.05586982, -0.01551246,
  -0.03848215, 0.1592557, 0.40304148, 0.1592557, -0.03848215,
  -0.01551246, 0.05586982, 0.1592557, 0.05586982, -0.01551246,
  0.00341614, -0.01551246, -0.03848215, -0.01551246, 0.00341614,
];
/** sp5Filters.m writes `lofilt = 2*[...]`: these are the bracketed taps; the factor 2 is applied below. */
const LO_HALF = [
  0.00085404, -0.00244917, -0.00387812, -0.00944432, -0.00962054, -0.00944432, -0.00387812, -0.00244917, 0.00085404,
  -0.00244917, -0.00523281, -0.00661117, 0.004106, 0.01002988, 0.004106, -0.00661117, -0.00523281, -0.00244917,
  -0.00387812, -0.00661117, 0.01396746, 0.03277038, 0.03981393, 0.03277038, 0.01396746, -0.00661117, -0.00387812,
  -0.00944432, 0.004106, 0.03277038, 0.06426333, 0.08169618, 0.06426333, 0.03277038, 0.004106, -0.00944432,
  -0.00962054, 0.01002988, 0.03981393, 0.08169618, 0.1009654, 0.08169618, 0.03981393, 0.01002988, -0.00962054,
  -0.00944432, 0.004106, 0.03277038, 0.06426333, 0.08169618, 0.06426333, 0.03277038, 0.004106, -0.00944432,
  -0.00387812, -0.00661117, 0.01396746, 0.03277038, 0.03981393, 0.03277038, 0.01396746, -0.00661117, -0.00387812,
  -0.00244917, -0.00523281, -0.00661117, 0.004106, 0.01002988, 0.004106, -0.00661117, -0.00523281, -0.00244917,
  0.00085404, -0.00244917, -0.00387812, -0.00944432, -0.00962054, -0.00944432, -0.00387812, -0.00244917, 0.00085404,
];
/** The six 7x7 band filters, row-major (sp5Filters.m lists each one column-major; reshaped here). */
const BANDS = [
  [
    0.00277643, -0.00986904, -0.01021852, 0, 0.01021852, 0.00986904, -0.00277643,
    0.00496194, -0.00893064, -0.03075356, 0, 0.03075356, 0.00893064, -0.00496194,
    0.01026699, 0.01189859, -0.08226445, 0, 0.08226445, -0.01189859, -0.01026699,
    0.01455399, 0.02755155, -0.11732297, 0, 0.11732297, -0.02755155, -0.01455399,
    0.01026699, 0.01189859, -0.08226445, 0, 0.08226445, -0.01189859, -0.01026699,
    0.00496194, -0.00893064, -0.03075356, 0, 0.03075356, 0.00893064, -0.00496194,
    0.00277643, -0.00986904, -0.01021852, 0, 0.01021852, 0.00986904, -0.00277643,
  ],
  [
    -0.00343249, -0.00358461, 0.01047717, 0.00790407, 0.00459034, -0.00128, -0.01166982,
    -0.00640815, -0.01977507, 0.01486305, 0.04435647, -0.00853965, -0.01161195, -0.00285723,
    -0.00073141, -0.04084211, -0.04819057, 0.09454202, 0.05394139, -0.03930573, -0.00182078,
    0.01124321, -0.00228219, -0.1222723, 0, 0.1222723, 0.00228219, -0.01124321,
    0.00182078, 0.03930573, -0.05394139, -0.09454202, 0.04819057, 0.04084211, 0.00073141,
    0.00285723, 0.01161195, 0.00853965, -0.04435647, -0.01486305, 0.01977507, 0.00640815,
    0.01166982, 0.00128, -0.00459034, -0.00790407, -0.01047717, 0.00358461, 0.00343249,
  ],
  [
    0.00343249, 0.00640815, 0.00073141, -0.01124321, -0.00182078, -0.00285723, -0.01166982,
    0.00358461, 0.01977507, 0.04084211, 0.00228219, -0.03930573, -0.01161195, -0.00128,
    -0.01047717, -0.01486305, 0.04819057, 0.1222723, 0.05394139, -0.00853965, 0.00459034,
    -0.00790407, -0.04435647, -0.09454202, 0, 0.09454202, 0.04435647, 0.00790407,
    -0.00459034, 0.00853965, -0.05394139, -0.1222723, -0.04819057, 0.01486305, 0.01047717,
    0.00128, 0.01161195, 0.03930573, -0.00228219, -0.04084211, -0.01977507, -0.00358461,
    0.01166982, 0.00285723, 0.00182078, 0.01124321, -0.00073141, -0.00640815, -0.00343249,
  ],
  [
    -0.00277643, -0.00496194, -0.01026699, -0.01455399, -0.01026699, -0.00496194, -0.00277643,
    0.00986904, 0.00893064, -0.01189859, -0.02755155, -0.01189859, 0.00893064, 0.00986904,
    0.01021852, 0.03075356, 0.08226445, 0.11732297, 0.08226445, 0.03075356, 0.01021852,
    0, 0, 0, 0, 0, 0, 0,
    -0.01021852, -0.03075356, -0.08226445, -0.11732297, -0.08226445, -0.03075356, -0.01021852,
    -0.00986904, -0.00893064, 0.01189859, 0.02755155, 0.01189859, -0.00893064, -0.00986904,
    0.00277643, 0.00496194, 0.01026699, 0.01455399, 0.01026699, 0.00496194, 0.00277643,
  ],
  [
    -0.01166982, -0.00285723, -0.00182078, -0.01124321, 0.00073141, 0.00640815, 0.00343249,
    -0.00128, -0.01161195, -0.03930573, 0.00228219, 0.04084211, 0.01977507, 0.00358461,
    0.00459034, -0.00853965, 0.05394139, 0.1222723, 0.04819057, -0.01486305, -0.01047717,
    0.00790407, 0.04435647, 0.09454202, 0, -0.09454202, -0.04435647, -0.00790407,
    0.01047717, 0.01486305, -0.04819057, -0.1222723, -0.05394139, 0.00853965, -0.00459034,
    -0.00358461, -0.01977507, -0.04084211, -0.00228219, 0.03930573, 0.01161195, 0.00128,
    -0.00343249, -0.00640815, -0.00073141, 0.01124321, 0.00182078, 0.00285723, 0.01166982,
  ],
  [
    -0.01166982, -0.00128, 0.00459034, 0.00790407, 0.01047717, -0.00358461, -0.00343249,
    -0.00285723, -0.01161195, -0.00853965, 0.04435647, 0.01486305, -0.01977507, -0.00640815,
    -0.00182078, -0.03930573, 0.05394139, 0.09454202, -0.04819057, -0.04084211, -0.00073141,
    -0.01124321, 0.00228219, 0.1222723, 0, -0.1222723, -0.00228219, 0.01124321,
    0.00073141, 0.04084211, 0.04819057, -0.09454202, -0.05394139, 0.03930573, 0.00182078,
    0.00640815, 0.01977507, -0.01486305, -0.04435647, 0.00853965, 0.01161195, 0.00285723,
    0.00343249, 0.00358461, -0.01047717, -0.00790407, -0.00459034, 0.00128, 0.01166982,
  ],
];

export interface SpyrFilters {
  readonly hi0: Kernel;
  readonly lo0: Kernel;
  readonly lo: Kernel;
  readonly bands: readonly Kernel[];
}

let sp5Cache: SpyrFilters | undefined;
/** matlabPyrTools `sp5Filters` (6 orientation bands). */
export function sp5Filters(): SpyrFilters {
  if (!sp5Cache) {
    const flat = (rows: number[][] | number[]) => (rows as number[]).flat();
    sp5Cache = {
      hi0: kernel(9, 9, flat(HI0)),
      lo0: kernel(5, 5, flat(LO0)),
      lo: kernel(9, 9, LO_HALF.flat().map((v) => 2 * v)),
      bands: BANDS.map((b) => kernel(7, 7, b.flat())),
    };
  }
  return sp5Cache;
}

/**
 * matlabPyrTools `corrDn(im, filt, 'reflect1', [step step], [start+1 start+1])`: correlation with origin
 * floor(k/2), reflect1 edges, samples start, start+step, ... < size (0-based `start`).
 */
export function corrDn(p: Plane, k: Kernel, step = 1, start = 0, stopX = p.width, stopY = p.height): Plane {
  const ax = Math.floor(k.width / 2), ay = Math.floor(k.height / 2);
  if (ax >= p.width || ay >= p.height) {
    throw expected('corrDn', 'image size', `larger than half the ${k.width}x${k.height} filter`, `${p.width}x${p.height}`, 'E_SIZE');
  }
  const src = padPlane(p, ay, k.height - 1 - ay, ax, k.width - 1 - ax, 'reflect');
  const W = Math.floor((stopX - start + step - 1) / step), H = Math.floor((stopY - start + step - 1) / step);
  const out = new Float64Array(W * H);
  const sw = src.width, s = src.data, kd = k.data, kw = k.width, kh = k.height;
  if (step === 1) {
    // Row-wise accumulation (one tap times one shifted source row), skipping zero taps. Point-symmetric and
    // antisymmetric kernels (every sp5 filter is one or the other) pair tap t with its mirror kd.length-1-t,
    // halving the multiplications.
    const n = kd.length, sgn = pointSymmetry(kd);
    const last = sgn === 0 ? n : Math.ceil(n / 2);
    // per tap: coefficient, offset of its source row/column, offset of its mirror tap (-1: unpaired)
    const taps: number[] = [], offs: number[] = [], mirr: number[] = [];
    for (let t = 0; t < last; t++) {
      if (kd[t] === 0) continue;
      const m = n - 1 - t;
      taps.push(kd[t]);
      offs.push(Math.floor(t / kw) * sw + (t % kw));
      mirr.push(sgn === 0 || m === t ? -1 : Math.floor(m / kw) * sw + (m % kw));
    }
    const acc = new Float64Array(W);
    for (let oy = 0; oy < H; oy++) {
      acc.fill(0);
      const base = (start + oy) * sw + start;
      for (let k = 0; k < taps.length; k++) {
        const c = taps[k], b = base + offs[k];
        if (mirr[k] < 0) {
          for (let x = 0; x < W; x++) acc[x] += c * s[b + x];
        } else {
          const bm = base + mirr[k];
          if (sgn > 0) for (let x = 0; x < W; x++) acc[x] += c * (s[b + x] + s[bm + x]);
          else for (let x = 0; x < W; x++) acc[x] += c * (s[b + x] - s[bm + x]);
        }
      }
      out.set(acc, oy * W);
    }
    return makePlane(W, H, out);
  }
  for (let oy = 0; oy < H; oy++) {
    const y = start + oy * step;
    for (let ox = 0; ox < W; ox++) {
      const x = start + ox * step;
      let acc = 0;
      for (let j = 0; j < kh; j++) {
        const row = (y + j) * sw + x, kr = j * kw;
        for (let i = 0; i < kw; i++) acc += kd[kr + i] * s[row + i];
      }
      out[oy * W + ox] = acc;
    }
  }
  return makePlane(W, H, out);
}

/** +1 if k[t] = k[n-1-t] for all t (point-symmetric), -1 if k[t] = -k[n-1-t] (antisymmetric), else 0. */
function pointSymmetry(k: Float64Array): number {
  const n = k.length;
  let sym = true, anti = true;
  for (let t = 0; t < n; t++) {
    if (k[t] !== k[n - 1 - t]) sym = false;
    if (k[t] !== -k[n - 1 - t]) anti = false;
  }
  return sym ? 1 : anti ? -1 : 0;
}

/** A steerable pyramid: the high-pass residual, `levels[l][b]` (finest level first), the low-pass residual. */
export interface SteerablePyramid {
  readonly highpass: Plane;
  readonly levels: readonly (readonly Plane[])[];
  readonly lowpass: Plane;
}

/** matlabPyrTools `maxPyrHt(size, filtsize)`. */
export function maxPyrHeight(width: number, height: number, filtSize: number): number {
  let h = 0;
  while (width >= filtSize && height >= filtSize) {
    h++;
    width = Math.floor(width / 2);
    height = Math.floor(height / 2);
  }
  return h;
}

/** matlabPyrTools `buildSpyr(im, ht, 'sp5Filters', 'reflect1')`. */
export function buildSpyr(im: Plane, ht: number, filters: SpyrFilters = sp5Filters()): SteerablePyramid {
  const maxHt = maxPyrHeight(im.width, im.height, filters.lo.width);
  if (ht > maxHt) {
    throw expected('buildSpyr', `pyramid height for a ${im.width}x${im.height} image`, `at most ${maxHt}`, String(ht), 'E_SIZE');
  }
  const highpass = corrDn(im, filters.hi0);
  let lo = corrDn(im, filters.lo0);
  const levels: Plane[][] = [];
  for (let l = 0; l < ht; l++) {
    levels.push(filters.bands.map((b) => corrDn(lo, b)));
    lo = corrDn(lo, filters.lo, 2, 0);
  }
  return { highpass, levels, lowpass: lo };
}

/** `corrDn` with the separable filter ky ⊗ kx (same origin, edges and sampling), in two 1-D passes. */
export function corrDnSeparable(p: Plane, kx: ArrayLike<number>, ky: ArrayLike<number>, step = 1, start = 0, stopX = p.width, stopY = p.height): Plane {
  const ax = Math.floor(kx.length / 2), ay = Math.floor(ky.length / 2);
  if (ax >= p.width || ay >= p.height) {
    throw expected('corrDn', 'image size', `larger than half the ${kx.length}x${ky.length} filter`, `${p.width}x${p.height}`, 'E_SIZE');
  }
  const src = padPlane(p, ay, ky.length - 1 - ay, ax, kx.length - 1 - ax, 'reflect');
  const W = Math.floor((stopX - start + step - 1) / step), H = Math.floor((stopY - start + step - 1) / step);
  const sw = src.width, s = src.data, nx = kx.length, ny = ky.length;
  const tmp = new Float64Array(src.height * W);
  for (let y = 0; y < src.height; y++) {
    const row = y * sw;
    for (let ox = 0; ox < W; ox++) {
      const x = row + start + ox * step;
      let acc = 0;
      for (let i = 0; i < nx; i++) acc += kx[i] * s[x + i];
      tmp[y * W + ox] = acc;
    }
  }
  const out = new Float64Array(W * H);
  for (let oy = 0; oy < H; oy++) {
    const y = start + oy * step, orow = oy * W;
    for (let j = 0; j < ny; j++) {
      const c = ky[j], trow = (y + j) * W;
      for (let x = 0; x < W; x++) out[orow + x] += c * tmp[trow + x];
    }
  }
  return makePlane(W, H, out);
}
