/**
 * NLPD: Normalized Laplacian Pyramid Distance (Laparra, Ballé, Berardino & Simoncelli, "Perceptual image quality
 * assessment using a normalized Laplacian pyramid", Electronic Imaging 2016). Matches the authors' MATLAB
 * `NLP_dist.m` (https://www.cns.nyu.edu/~lcv/NLPyr/), whose outputs are pyiqa's official TID values.
 *
 * Conventions that change numbers:
 * - input: grey on [0, 1]: MATLAB `rgb2gray` rounded to uint8, /255 (current official values); option
 *   `luma: 'ycbcr'`: Y of MATLAB `rgb2ycbcr` on double input, NOT rounded (16..235)/255: the 2022-era official
 *   values are then matched within 1.2e-3 relative only (rounded Y gives exactly 0 on I04/I06 where the reference
 *   does not; the remaining gap is unexplained: probably an earlier release of NLP_dist.m); grey as is;
 * - Laplacian pyramid of 6 levels (`laplacian_pyramid_s`): 5x5 filter f'f, f = [.05 .25 .4 .25 .05];
 *   downsampling = `imfilter(·, f'f, 'symmetric')` then (1:2:end); upsampling = replicate-pad 1, zero-interleave
 *   ×4, `imfilter` with zero padding, crop (3 : end-2-odd);
 * - divisive normalisation per level: z = c ./ (σ_k + conv2(|c|, F_k, 'same')) with the published σ and 5x5 F_k
 *   (`DN_filters`; note level 1 has a 0.0072 tap two columns right of the centre), conv2 = convolution: the
 *   kernel is rotated 180° (conventions.md §1.7), zero padding;
 * - NLPD = mean over the 6 levels of the RMS difference of the normalised coefficients. Symmetric in its
 *   arguments. No minimum size beyond 1 pixel per level; images below 32x32 are refused (level 6 would be 1x1).
 */
import type { Image, Plane } from '../../tensor/image.js';
import { makePlane } from '../../tensor/image.js';
import { IqaError } from '../../tensor/errors.js';
import { rgb2grayMatlab, rgbToYBt601Matlab } from '../../color/index.js';
import { kernel, padPlane, type Kernel } from '../../signal/filter.js';
import { classicFR, type MetricEntry, type MetricOutput } from '../types.js';

export interface NlpdOptions {
  /** Luma of RGB input: 'rgb2gray' (default; current official values) or 'ycbcr' (Y of rgb2ycbcr, 2022-era). */
  luma?: 'rgb2gray' | 'ycbcr';
}

const LEVELS = 6;
export const NLPD_MIN_SIZE = 32;
const F = [0.05, 0.25, 0.4, 0.25, 0.05];
const SIGMAS = [0.0248, 0.0185, 0.0179, 0.0191, 0.022, 0.2782];
/** `DN_filters` F2 (5x5, row-major) as published. */
const DN: number[][] = [
  [0, 0, 0, 0, 0, 0, 0, 0.1011, 0, 0, 0, 0.1493, 0, 0.146, 0.0072, 0, 0, 0.1015, 0, 0, 0, 0, 0, 0, 0],
  [0, 0, 0, 0, 0, 0, 0, 0.0757, 0, 0, 0, 0.1986, 0, 0.1846, 0, 0, 0, 0.0837, 0, 0, 0, 0, 0, 0, 0],
  [0, 0, 0, 0, 0, 0, 0, 0.0477, 0, 0, 0, 0.2138, 0, 0.2243, 0, 0, 0, 0.0467, 0, 0, 0, 0, 0, 0, 0],
  [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0.2503, 0, 0.2616, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0],
  [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0.2598, 0, 0.2552, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0],
  [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0.2215, 0, 0.0717, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0],
];
/** conv2 convolves: correlate with the kernel rotated by 180°. */
const DN_ROT: Kernel[] = DN.map((k) => kernel(5, 5, [...k].reverse()));

/**
 * `imfilter(J, f'f, 'symmetric')` then (1:2:end), computing only the kept samples: the same products summed in the
 * same order as `subsample(filterSeparable(J, F, F, 'same', 'symmetric'), 2)`, so bit-identical, 4x less work.
 */
function downsample(J: Plane): Plane {
  const src = padPlane(J, 2, 2, 2, 2, 'symmetric');
  const sw = src.width, sh = src.height, s = src.data;
  const W = Math.ceil(J.width / 2), H = Math.ceil(J.height / 2);
  const tmp = new Float64Array(sh * W); // horizontal pass at the kept columns, all source rows
  for (let y = 0; y < sh; y++) {
    const row = y * sw;
    for (let x = 0; x < W; x++) {
      let acc = 0;
      for (let i = 0; i < 5; i++) acc += F[i] * s[row + 2 * x + i];
      tmp[y * W + x] = acc;
    }
  }
  const out = new Float64Array(W * H);
  for (let y = 0; y < H; y++) {
    const orow = y * W;
    for (let j = 0; j < 5; j++) {
      const c = F[j], trow = (2 * y + j) * W;
      for (let x = 0; x < W; x++) out[orow + x] += c * tmp[trow + x];
    }
  }
  return makePlane(W, H, out);
}

/**
 * `upsample(I, odd, filter)` of laplacian_pyramid_s: back to outW x outH. Replicate-pad 1, zero-interleave ×4,
 * `imfilter` (zero padding) with f'f, crop (3 : end-2-odd): out[y][x] = Σ_j F_j Σ_i F_i R[y+j][x+i] over the
 * interleaved R. Only its non-zero (even, even) samples are visited: dropping exact +0 terms from the sums in
 * `filterSeparable`'s order changes nothing, so bit-identical, ~4x less work.
 */
function upsample(I: Plane, outW: number, outH: number): Plane {
  const P = padPlane(I, 1, 1, 1, 1, 'replicate');
  const pw = P.width, ph = P.height, c = 2 * pw, r = 2 * ph, pd = P.data;
  // horizontal pass on the even rows of R (the odd ones are zero)
  const tmp = new Float64Array(ph * outW);
  for (let yp = 0; yp < ph; yp++) {
    const prow = yp * pw, trow = yp * outW;
    for (let x = 0; x < outW; x++) {
      let acc = 0;
      for (let i = (x & 1); i < 5; i += 2) {
        const X = x + i;
        if (X < c) acc += F[i] * (4 * pd[prow + (X >> 1)]);
      }
      tmp[trow + x] = acc;
    }
  }
  const out = new Float64Array(outW * outH);
  for (let y = 0; y < outH; y++) {
    const orow = y * outW;
    for (let j = (y & 1); j < 5; j += 2) {
      const Y = y + j;
      if (Y >= r) continue;
      const cj = F[j], trow = (Y >> 1) * outW;
      for (let x = 0; x < outW; x++) out[orow + x] += cj * tmp[trow + x];
    }
  }
  return makePlane(outW, outH, out);
}

/** conv2(|c|, F_k, 'same') with zero padding, visiting only the non-zero taps (in filter2's order: bit-identical). */
function dnFilter(abs: Float64Array, W: number, H: number, k: Kernel): Float64Array {
  const taps: [number, number, number][] = [];
  for (let j = 0; j < 5; j++) for (let i = 0; i < 5; i++) if (k.data[j * 5 + i] !== 0) taps.push([j - 2, i - 2, k.data[j * 5 + i]]);
  const out = new Float64Array(W * H);
  for (let y = 0; y < H; y++) {
    for (let x = 0; x < W; x++) {
      let acc = 0;
      for (const [dy, dx, c] of taps) {
        const yy = y + dy, xx = x + dx;
        if (yy >= 0 && yy < H && xx >= 0 && xx < W) acc += c * abs[yy * W + xx];
      }
      out[y * W + x] = acc;
    }
  }
  return out;
}

/** The normalised Laplacian pyramid (`NLP`): 6 planes, finest first. */
export function normalizedLaplacianPyramid(im: Plane): Plane[] {
  const out: Plane[] = [];
  let J = im;
  for (let l = 0; l < LEVELS; l++) {
    let lap: Plane;
    if (l < LEVELS - 1) {
      const I = downsample(J);
      const up = upsample(I, J.width, J.height);
      const d = new Float64Array(J.data.length);
      for (let i = 0; i < d.length; i++) d[i] = J.data[i] - up.data[i];
      lap = makePlane(J.width, J.height, d);
      J = I;
    } else lap = J;
    const abs = new Float64Array(lap.data.length);
    for (let i = 0; i < abs.length; i++) abs[i] = Math.abs(lap.data[i]);
    const A2 = dnFilter(abs, lap.width, lap.height, DN_ROT[l]);
    const z = new Float64Array(lap.data.length);
    for (let i = 0; i < z.length; i++) z[i] = lap.data[i] / (SIGMAS[l] + A2[i]);
    out.push(makePlane(lap.width, lap.height, z));
  }
  return out;
}

function greyUnit(img: Image, opts: NlpdOptions): Plane {
  const p = img.channels === 1 || (opts.luma ?? 'rgb2gray') === 'rgb2gray'
    ? rgb2grayMatlab(img)
    : rgbToYBt601Matlab(img, { uint8: false });
  const d = new Float64Array(p.data.length);
  for (let i = 0; i < d.length; i++) d[i] = p.data[i] / 255;
  return makePlane(p.width, p.height, d);
}

/** NLPD between `dist` and `ref` (lower is better, 0 for identical images). */
export function nlpd(dist: Image, ref: Image, opts: NlpdOptions = {}): MetricOutput {
  if (ref.width < NLPD_MIN_SIZE || ref.height < NLPD_MIN_SIZE) {
    throw new IqaError(`nlpd: image size: expected at least ${NLPD_MIN_SIZE}x${NLPD_MIN_SIZE} (6 pyramid levels), got ${ref.width}x${ref.height}`, 'E_SIZE');
  }
  const a = normalizedLaplacianPyramid(greyUnit(ref, opts)), b = normalizedLaplacianPyramid(greyUnit(dist, opts));
  let total = 0;
  for (let l = 0; l < LEVELS; l++) {
    const x = a[l].data, y = b[l].data;
    let s = 0;
    for (let i = 0; i < x.length; i++) s += (x[i] - y[i]) ** 2;
    total += Math.sqrt(s / x.length);
  }
  return { score: total / LEVELS };
}

export const nlpdEntries: readonly MetricEntry[] = [
  classicFR(
    { name: 'nlpd', lowerBetter: true, range: [0, 1], description: 'Normalized Laplacian pyramid distance (Laparra et al. 2016, official NLP_dist.m)' },
    nlpd,
    {} as NlpdOptions,
  ),
];
