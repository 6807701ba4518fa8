/**
 * PIQE: Perception-based Image Quality Evaluator. N. Venkatanath, D. Praneeth, M. C. Bh, S. S. Channappayya,
 * S. S. Medasani, "Blind image quality evaluation using perception based features", NCC 2015. Matches MATLAB
 * `piqe` (Image Processing Toolbox; conventions.md §2.21):
 * - the RGB image is padded ('replicate', post) to a multiple of 16, converted with `rgb2gray` (uint8, rounded) and
 *   scaled to round(255·im2double) (a no-op for 8-bit input);
 * - MSCN with `imgaussfilt` (sigma 7/6, 7x7, replicate), C = 1;
 * - 16x16 blocks; a block is active when the sample variance of its MSCN exceeds 0.1;
 * - noticeable artifact: any of the 11 sliding 6-sample segments along the 4 block edges has a sample std < 0.1;
 * - noise: sigma > 2·beta with beta = |sigma − r|/max(sigma, r), r = std(centre)/std(surround); the centre is the
 *   block's columns 8 and 9 (1-based) and the surround is the block without columns 8 and 10 — MATLAB's code deletes
 *   column 8 and then column 9 of the already shortened block, and we keep that behaviour;
 * - score = 100·(1 + Σ_active [artifact]·(1 − var) + [noise]·var)/(1 + #active).
 * `map`: each active block's distortion contribution ([artifact]·(1 − var) + [noise]·var) over its pixels, 0
 * elsewhere, cropped to the input size. `piqeMasks` returns MATLAB's three masks.
 */
import { makePlane, type Image, type Plane } from '../../tensor/image.js';
import { IqaError } from '../../tensor/errors.js';
import { roundClampU8, roundHalfAway } from '../../color/index.js';
import { mscnRows } from '../../signal/nss.js';
import { classicNR, type MetricEntry, type MetricOutput } from '../types.js';

const B = 16, ACTIVITY = 0.1, IMPAIRED = 0.1, WIN = 6;

export interface PiqeResult extends MetricOutput {
  readonly map: Plane;
  /** MATLAB's masks (1 = true), each the input's size. */
  readonly activityMask: Plane;
  readonly noticeableArtifactsMask: Plane;
  readonly noiseMask: Plane;
}

/** Grey, padded ('replicate', post), rounded plane as MATLAB piqe prepares it, in one pass. */
function piqeInput(img: Image): Plane {
  const w = img.width, h = img.height, n = w * h;
  const W = w + ((B - (w % B)) % B), H = h + ((B - (h % B)) % B);
  const out = new Float64Array(W * H), d = img.data, rgb = img.channels === 3, clamp = img.bitDepth === 8 || !rgb;
  const cr = 0.298936021293775, cg = 0.587043074451121, cb = 0.114020904255103; // MATLAB rgb2gray
  for (let y = 0; y < h; y++) {
    const o = y * W, i0 = y * w;
    // rgb2gray of uint8 rounds to uint8, then round(255·im2double(.)) is the same integer
    if (rgb && clamp) for (let x = 0, i = i0; x < w; x++, i++) out[o + x] = roundClampU8(cr * d[i] + cg * d[n + i] + cb * d[2 * n + i]);
    else if (rgb) for (let x = 0, i = i0; x < w; x++, i++) out[o + x] = roundHalfAway(cr * d[i] + cg * d[n + i] + cb * d[2 * n + i]);
    else for (let x = 0; x < w; x++) out[o + x] = roundClampU8(d[i0 + x]);
    out.fill(out[o + w - 1], o + w, o + W);
  }
  for (let y = h; y < H; y++) out.copyWithin(y * W, (h - 1) * W, h * W);
  return makePlane(W, H, out);
}

interface PiqeAcc {
  dist: number;
  nActive: number;
  readonly map: Float64Array;
  readonly act: Float64Array | null;
  readonly art: Float64Array | null;
  readonly noi: Float64Array | null;
}

/** True when any of the 11 sliding 6-sample segments of the 16 samples d[o], d[o + step], ... has std < 0.1. */
function edgeImpaired(d: Float64Array, o: number, step: number): boolean {
  for (let s = 0, k = o; s + WIN <= B; s++, k += step) {
    // std6: mean, then squared deviations, in sample order (MATLAB std)
    const e0 = d[k], e1 = d[k + step], e2 = d[k + 2 * step], e3 = d[k + 3 * step], e4 = d[k + 4 * step], e5 = d[k + 5 * step];
    const m = (e0 + e1 + e2 + e3 + e4 + e5) / WIN;
    const t0 = e0 - m, t1 = e1 - m, t2 = e2 - m, t3 = e3 - m, t4 = e4 - m, t5 = e5 - m;
    if (Math.sqrt((t0 * t0 + t1 * t1 + t2 * t2 + t3 * t3 + t4 * t4 + t5 * t5) / (WIN - 1)) < IMPAIRED) return true;
  }
  return false;
}

/** Scores the blocks of one block row from its MSCN strip `d` (16 rows of width W), in MATLAB's block order. */
function blockRow(d: Float64Array, W: number, by: number, w0: number, h0: number, st: PiqeAcc): void {
  const { map, act, art, noi } = st;
  let dist = st.dist, nActive = st.nActive;
  for (let bx = 0; bx < W; bx += B) {
    // block variance: mean, then squared deviations, row-major (MATLAB var of the block's samples)
    let s = 0;
    for (let y = 0, k = bx; y < B; y++, k += W) for (let x = 0; x < B; x++) s += d[k + x];
    const mu = s / (B * B);
    let dev = 0;
    for (let y = 0, k = bx; y < B; y++, k += W) for (let x = 0; x < B; x++) { const t = d[k + x] - mu; dev += t * t; }
    const v = dev / (B * B - 1);
    if (!(v > ACTIVITY)) continue;
    nActive++;
    // noticeable artifacts: edges top, right, bottom, left; 11 sliding segments of 6 samples each
    const impaired = edgeImpaired(d, bx, 1) || edgeImpaired(d, bx + B - 1, W) || edgeImpaired(d, (B - 1) * W + bx, 1) || edgeImpaired(d, bx, W);
    // noise: centre columns 7, 8 (0-based), sample variance row-major; surround without columns 7 and 9 (MATLAB's
    // deletion order), two passes in MATLAB's column-major order
    let cs = 0;
    for (let y = 0, k = bx + 7; y < B; y++, k += W) cs = cs + d[k] + d[k + 1];
    const cm = cs / (2 * B);
    let cq = 0;
    for (let y = 0, k = bx + 7; y < B; y++, k += W) {
      const t0 = d[k] - cm, t1 = d[k + 1] - cm;
      cq = cq + t0 * t0 + t1 * t1;
    }
    const cen = cq / (2 * B - 1);
    const si = B * (B - 2);
    let ss = 0;
    for (let x = 0; x < B; x++) {
      if (x === 7 || x === 9) continue;
      for (let y = 0, k = bx + x; y < B; y++, k += W) ss += d[k];
    }
    const sm = ss / si;
    let sq = 0;
    for (let x = 0; x < B; x++) {
      if (x === 7 || x === 9) continue;
      for (let y = 0, k = bx + x; y < B; y++, k += W) { const t = d[k] - sm; sq += t * t; }
    }
    const sigma = Math.sqrt(v);
    let r = Math.sqrt(cen) / Math.sqrt(sq / (si - 1));
    if (Number.isNaN(r)) r = 0;
    const beta = Math.abs(sigma - r) / Math.max(sigma, r);
    const noisy = sigma > 2 * beta;
    const contrib = (impaired ? 1 - v : 0) + (noisy ? v : 0);
    dist += contrib;
    const yEnd = Math.min(by + B, h0), xEnd = Math.min(bx + B, w0);
    if (contrib !== 0) for (let y = by; y < yEnd; y++) for (let k = y * w0 + bx, e = y * w0 + xEnd; k < e; k++) map[k] = contrib;
    if (act && art && noi) for (let y = by; y < yEnd; y++) {
      act.fill(1, y * w0 + bx, y * w0 + xEnd);
      if (impaired) art.fill(1, y * w0 + bx, y * w0 + xEnd);
      if (noisy) noi.fill(1, y * w0 + bx, y * w0 + xEnd);
    }
  }
  st.dist = dist;
  st.nActive = nActive;
}

/** PIQE score, distortion map and MATLAB's masks. */
export function piqeMasks(img: Image): PiqeResult {
  return piqeRun(img, true) as PiqeResult;
}

function piqeRun(img: Image, masks: boolean): MetricOutput & Partial<PiqeResult> {
  if (img.width < 1 || img.height < 1) throw new IqaError(`piqe: image size: expected at least 1x1, got ${img.width}x${img.height}`, 'E_SIZE');
  const p = piqeInput(img);
  const W = p.width;
  const w0 = img.width, h0 = img.height;
  const map = new Float64Array(w0 * h0);
  const act = masks ? new Float64Array(w0 * h0) : null, art = masks ? new Float64Array(w0 * h0) : null, noi = masks ? new Float64Array(w0 * h0) : null;
  // the MSCN is streamed into a strip of 16 rows; each block row is scored as soon as its strip is complete
  const d = new Float64Array(B * W);
  const st: PiqeAcc = { dist: 0, nActive: 0, map, act, art, noi };
  mscnRows(p, { size: 7, sigma: 7 / 6, pad: 'replicate' }, {
    out: d,
    sig: null,
    offset: (y) => (y % B) * W,
    done: (y) => {
      if (y % B === B - 1) blockRow(d, W, y - (B - 1), w0, h0, st);
    },
  });
  const score = ((st.dist + 1) / (1 + st.nActive)) * 100;
  if (!act || !art || !noi) return { score, map: makePlane(w0, h0, map) };
  return {
    score,
    map: makePlane(w0, h0, map),
    activityMask: makePlane(w0, h0, act),
    noticeableArtifactsMask: makePlane(w0, h0, art),
    noiseMask: makePlane(w0, h0, noi),
  };
}

/** PIQE (lower is better, 0..100) with its block distortion map. */
export function piqe(img: Image): MetricOutput {
  const r = piqeRun(img, false);
  return { score: r.score, map: r.map };
}

export const piqeEntries: readonly MetricEntry[] = [
  classicNR({ name: 'piqe', lowerBetter: true, range: [0, 100], description: 'PIQE (Venkatanath 2015), as MATLAB piqe; map = block distortion scores' }, (img) => piqe(img), {}),
];
