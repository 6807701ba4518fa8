/**
 * The 25 KADID-10k distortion types, 5 levels each: one record per type with its parameter table.
 * Source of the tables: the KADID-10k generator `imdist_generator.m` (H. Lin, V. Hosu, D. Saupe, "KADID-10k: A
 * Large-scale Artificially Distorted IQA Database", QoMEX 2019; the same code generated KADIS-700k).
 * `fidelity` says how close our implementation is: 'kadid' follows the MATLAB source step by step (up to MATLAB's
 * own codecs/filters), 'reconstructed' follows the paper and public ports where the MATLAB source was not
 * available to us, 'substitute' replaces a component we cannot run (see `note`). docs/synthetic-data.md has more.
 */
import { expected } from '../../tensor/errors.js';
import type { Image } from '../../tensor/image.js';
import { gaussianBlur, lensBlur, motionBlur } from './blur.js';
import { brighten, darken, meanShift } from './brightness.js';
import { colourDiffusion, colourQuantisation, colourShift, saturationHsv, saturationLab } from './colour.js';
import { jpeg, jpeg2000 } from './compression.js';
import { denoise, impulseNoise, multiplicativeNoise, whiteNoise, whiteNoiseYcbcr } from './noise.js';
import { makeRng } from './rng.js';
import { highSharpen, contrastChange } from './sharpness.js';
import { colourBlock, jitter, nonEccentricityPatch, pixelate, quantisation } from './spatial.js';
import type { Codecs, DistortionContext } from './unit.js';

export type DistortionFamily = 'blur' | 'colour' | 'compression' | 'noise' | 'brightness' | 'spatial' | 'sharpness';

export interface DistortionType {
  /** KADID-10k type number (1..25), also the `dist_type` of kadid10k_mos_by_type_level.csv. */
  readonly id: number;
  /** Our name (the CSV `type` column and the CLI `--types` value). */
  readonly name: string;
  /** The KADID-10k label-file name (`dis_type` column). */
  readonly kadidLabel: string;
  readonly family: DistortionFamily;
  /** The parameter for levels 1..5 (KADID's table). */
  readonly params: readonly [number, number, number, number, number];
  /** What the parameter means. */
  readonly param: string;
  /** Whether the result depends on the random seed. */
  readonly random: boolean;
  readonly fidelity: 'kadid' | 'reconstructed' | 'substitute';
  readonly note?: string;
  readonly apply: (img: Image, param: number, ctx: DistortionContext) => Image | Promise<Image>;
}

export const DISTORTIONS: readonly DistortionType[] = [
  { id: 1, name: 'gaussian_blur', kadidLabel: 'GBLUR', family: 'blur', params: [0.1, 0.5, 1, 2, 5], param: 'Gaussian sigma (px)', random: false, fidelity: 'kadid', apply: (i, p) => gaussianBlur(i, p) },
  { id: 2, name: 'lens_blur', kadidLabel: 'Lens_Blur', family: 'blur', params: [1, 2, 4, 6, 8], param: 'disk radius (px)', random: false, fidelity: 'kadid', note: 'fspecial disk integrated by 16x16 supersampling', apply: (i, p) => lensBlur(i, p) },
  { id: 3, name: 'motion_blur', kadidLabel: 'Motion_Blur', family: 'blur', params: [1, 2, 4, 6, 10], param: 'line length (px), random angle', random: true, fidelity: 'reconstructed', note: 'fspecial motion kernel, direction uniform in [0, 360)', apply: (i, p, c) => motionBlur(i, p, c) },
  { id: 4, name: 'colour_diffusion', kadidLabel: 'Color_Diffusion', family: 'colour', params: [1, 3, 6, 8, 12], param: 'amount: a*b* blur sigma 1.5*amount+2, gain amount', random: false, fidelity: 'kadid', apply: (i, p) => colourDiffusion(i, p) },
  { id: 5, name: 'colour_shift', kadidLabel: 'Color_Shift', family: 'colour', params: [1, 3, 6, 8, 12], param: 'green-plane shift (px), edge-weighted', random: true, fidelity: 'kadid', apply: (i, p, c) => colourShift(i, p, c) },
  { id: 6, name: 'colour_quantisation', kadidLabel: 'Color_Quantization', family: 'colour', params: [64, 48, 32, 16, 8], param: 'palette size (colours), Floyd-Steinberg dither', random: false, fidelity: 'kadid', note: 'minimum-variance palette by greedy box splitting, not MATLAB rgb2ind bit for bit', apply: (i, p) => colourQuantisation(i, p) },
  { id: 7, name: 'colour_saturation_hsv', kadidLabel: 'Saturation_Dist._HSV', family: 'colour', params: [0.4, 0.2, 0.1, 0, -0.4], param: 'HSV saturation factor', random: false, fidelity: 'kadid', apply: (i, p) => saturationHsv(i, p) },
  { id: 8, name: 'colour_saturation_lab', kadidLabel: 'Saturation_Dist._Lab', family: 'colour', params: [1, 2, 3, 6, 9], param: 'CIELAB a*b* factor', random: false, fidelity: 'kadid', apply: (i, p) => saturationLab(i, p) },
  { id: 9, name: 'jpeg2000', kadidLabel: 'JP2K', family: 'compression', params: [16, 32, 45, 120, 400], param: 'compression ratio', random: false, fidelity: 'kadid', note: 'OpenJPEG (WebAssembly) instead of MATLAB imwrite; same ratio semantics', apply: (i, p, c) => jpeg2000(i, p, c) },
  { id: 10, name: 'jpeg', kadidLabel: 'JPEG', family: 'compression', params: [43, 36, 24, 7, 4], param: 'IJG quality', random: false, fidelity: 'kadid', note: 'libjpeg via sharp, 4:2:0 chroma, standard tables', apply: (i, p, c) => jpeg(i, p, c) },
  { id: 11, name: 'white_noise', kadidLabel: 'AWGN', family: 'noise', params: [0.001, 0.002, 0.003, 0.005, 0.01], param: 'variance (unit range), RGB', random: true, fidelity: 'kadid', apply: (i, p, c) => whiteNoise(i, p, c) },
  { id: 12, name: 'white_noise_ycbcr', kadidLabel: 'AWGN_YCbCr', family: 'noise', params: [0.0001, 0.0005, 0.001, 0.002, 0.003], param: "variance (unit range), Y'CbCr", random: true, fidelity: 'kadid', apply: (i, p, c) => whiteNoiseYcbcr(i, p, c) },
  { id: 13, name: 'impulse_noise', kadidLabel: 'Impulse_Noise', family: 'noise', params: [0.001, 0.005, 0.01, 0.02, 0.03], param: 'salt & pepper density', random: true, fidelity: 'kadid', apply: (i, p, c) => impulseNoise(i, p, c) },
  { id: 14, name: 'multiplicative_noise', kadidLabel: 'Multiplicative_Noise', family: 'noise', params: [0.001, 0.005, 0.01, 0.02, 0.05], param: 'speckle variance', random: true, fidelity: 'kadid', apply: (i, p, c) => multiplicativeNoise(i, p, c) },
  { id: 15, name: 'denoise', kadidLabel: 'Denoising', family: 'noise', params: [0.01, 0.03, 0.05, 0.1, 0.15], param: 'noise variance before denoising', random: true, fidelity: 'substitute', note: 'adaptive Wiener filter instead of DnCNN', apply: (i, p, c) => denoise(i, p, c) },
  { id: 16, name: 'brighten', kadidLabel: 'Brighten', family: 'brightness', params: [0.1, 0.2, 0.4, 0.7, 1.1], param: 'tone-curve amount', random: false, fidelity: 'kadid', apply: (i, p) => brighten(i, p) },
  { id: 17, name: 'darken', kadidLabel: 'Darken', family: 'brightness', params: [0.05, 0.1, 0.2, 0.4, 0.8], param: 'tone-curve amount', random: false, fidelity: 'reconstructed', note: 'mirror of brighten', apply: (i, p) => darken(i, p) },
  { id: 18, name: 'mean_shift', kadidLabel: 'Mean_Shift', family: 'brightness', params: [0.15, 0.08, 0, -0.08, -0.15], param: 'added offset (unit range)', random: false, fidelity: 'reconstructed', note: 'level 3 is the identity; no final min-max stretch (see docs)', apply: (i, p) => meanShift(i, p) },
  { id: 19, name: 'jitter', kadidLabel: 'Jitter', family: 'spatial', params: [0.05, 0.1, 0.2, 0.5, 1], param: 'displacement sd (px), 5 rounds', random: true, fidelity: 'kadid', apply: (i, p, c) => jitter(i, p, c) },
  { id: 20, name: 'non_eccentricity_patch', kadidLabel: 'Non-eccentricity_patch', family: 'spatial', params: [20, 40, 60, 80, 100], param: 'number of displaced 16x16 patches', random: true, fidelity: 'reconstructed', apply: (i, p, c) => nonEccentricityPatch(i, p, c) },
  { id: 21, name: 'pixelate', kadidLabel: 'Pixelate', family: 'spatial', params: [0.01, 0.05, 0.1, 0.2, 0.5], param: 'strength s, scale 0.95 - s^0.6', random: false, fidelity: 'kadid', apply: (i, p) => pixelate(i, p) },
  { id: 22, name: 'quantisation', kadidLabel: 'Quantization', family: 'spatial', params: [20, 16, 13, 10, 7], param: 'number of thresholds', random: false, fidelity: 'kadid', note: 'multi-level Otsu by Lloyd-Max iterations', apply: (i, p) => quantisation(i, p) },
  { id: 23, name: 'colour_block', kadidLabel: 'Color_Block', family: 'spatial', params: [2, 4, 6, 8, 10], param: 'number of 32x32 random-colour blocks', random: true, fidelity: 'reconstructed', apply: (i, p, c) => colourBlock(i, p, c) },
  { id: 24, name: 'high_sharpen', kadidLabel: 'High_Sharpen', family: 'sharpness', params: [1, 2, 3, 6, 12], param: 'unsharp-mask amount (radius 3, on L*)', random: false, fidelity: 'kadid', apply: (i, p) => highSharpen(i, p) },
  { id: 25, name: 'contrast_change', kadidLabel: 'Contrast Dist.', family: 'sharpness', params: [0.3, 0.15, 0, -0.4, -0.6], param: 'tone-curve amount (>0 more, <0 less contrast)', random: false, fidelity: 'kadid', apply: (i, p) => contrastChange(i, p) },
];

export type DistortionName = (typeof DISTORTIONS)[number]['name'];

/** Looks a type up by name (`gaussian_blur`), KADID label (`GBLUR`) or number (1..25, also as a string). */
export function distortionType(key: string | number): DistortionType {
  const k = typeof key === 'string' ? key.trim() : key;
  const byId = typeof k === 'number' ? k : /^\d+$/.test(k) ? Number(k) : NaN;
  const t = Number.isNaN(byId)
    ? DISTORTIONS.find((d) => d.name === String(k).toLowerCase() || d.kadidLabel.toLowerCase() === String(k).toLowerCase())
    : DISTORTIONS.find((d) => d.id === byId);
  if (!t) throw expected('distortionType', 'distortion type', `a name (${DISTORTIONS.map((d) => d.name).join(', ')}) or a number 1..25`, JSON.stringify(key));
  return t;
}

export interface DistortOptions {
  /** Seed of the random choices (default 0). */
  seed?: number;
  codecs?: Codecs;
}

/** Applies one KADID type at one level (1..5) to `img`; the output is 3-channel, same width and height. */
export async function distort(img: Image, type: string | number, level: number, opts: DistortOptions = {}): Promise<Image> {
  const t = distortionType(type);
  if (!Number.isInteger(level) || level < 1 || level > 5) throw expected('distort', 'level', 'an integer 1..5', String(level));
  return t.apply(img, t.params[level - 1], { rng: makeRng(opts.seed ?? 0), codecs: opts.codecs });
}
