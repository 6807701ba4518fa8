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
import { filter2, filterSeparable, kernel, padPlane, subsample, type Kernel } from '../../signal/filter.js';
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

function downsample(J: Plane): Plane {
  return subsample(filterSeparable(J, F, F, 'same', 'symmetric'), 2);
}

/** `upsample(I, odd, filter)` of laplacian_pyramid_s: back to outW x outH. */
function upsample(I: Plane, outW: number, outH: number): Plane {
  const P = padPlane(I, 1, 1, 1, 1, 'replicate');
  const r = 2 * P.height, c = 2 * P.width;
  const R = new Float64Array(r * c);
  for (let y = 0; y < P.height; y++) for (let x = 0; x < P.width; x++) R[2 * y * c + 2 * x] = 4 * P.data[y * P.width + x];
  const Rf = filterSeparable(makePlane(c, r, R), F, F, 'same', 'zero');
  const out = new Float64Array(outW * outH);
  for (let y = 0; y < outH; y++) out.set(Rf.data.subarray((y + 2) * c + 2, (y + 2) * c + 2 + outW), y * outW);
  return makePlane(outW, outH, out);
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
    const abs = makePlane(lap.width, lap.height, lap.data.map(Math.abs));
    const A2 = filter2(abs, DN_ROT[l], 'same', 'zero');
    const z = new Float64Array(lap.data.length);
    for (let i = 0; i < z.length; i++) z[i] = lap.data[i] / (SIGMAS[l] + A2.data[i]);
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
