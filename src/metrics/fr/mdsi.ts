/**
 * MDSI: mean deviation similarity index.
 * Paper: H. Z. Nafchi, A. Shahkolaei, R. Hedjam, M. Cheriet, "Mean Deviation Similarity Index: Efficient and
 * Reliable Full-Reference Image Quality Evaluator", IEEE Access 4:5579-5590, 2016.
 * Matches the authors' `MDSI.m` (`MDSI(Ref, Dist, combMethod)`, MATLAB File Exchange 59809). Conventions that
 * change numbers (conventions.md §2.15):
 * - RGB on 0..255; each of R, G, B pre-scaled by F = max(1, round(min(H,W)/256)) with
 *   `conv2(X, ones(F)/F², 'same')` and `X(1:F:end, 1:F:end)` (MATLAB anchoring, zero padding), before the LHM
 *   transform (L = .2989R+.587G+.114B, H = .30R+.04G−.35B, M = .34R−.60G+.17B); grey input is replicated to RGB;
 * - Prewitt/3 gradient magnitudes of L_ref, L_dist and the fused F = (L_ref + L_dist)/2, conv2 'same';
 * - C1 = 140, C2 = 55, C3 = 550; GS = GS(ref,dist; C1) + GS(dist,F; C2) − GS(ref,F; C2);
 *   CS = (2(H1H2 + M1M2) + C3)/(H1² + H2² + M1² + M2² + C3);
 * - 'sum' (`mdsi`): GCS = 0.6·GS + 0.4·CS; 'mult' (`mdsi_mult`): GCS = GS^0.2 · CS^0.1 (MATLAB principal complex
 *   powers where GS or CS is negative);
 * - deviation pooling `mad((GCS.^0.5).^0.5)^0.25` with MATLAB `mad` = mean absolute deviation, over complex values
 *   (|z − mean(z)|).
 * Argument order (distorted, reference); MDSI.m takes (Ref, Dist). **Not symmetric**: GS12 and CS are, but
 * GS23 − GS13 changes sign when the images are swapped (goldhill: 0.3959 vs 0.3566 swapped).
 * Flat images: identical ones give 0 (GCS = 1 everywhere).
 * Map: GCS (real part; a similarity, higher is better) at the pre-scaled size.
 */
import type { Image, Plane } from '../../tensor/image.js';
import { channel, makePlane, assertMinSize } from '../../tensor/image.js';
import { autoDownsampleFactor } from '../../signal/filter.js';
import { downsampleConv2Same, prewittMagnitude } from '../../signal/conv2.js';
import { classicFR, type MetricEntry, type MetricOutput } from '../types.js';

export interface MdsiOptions {
  /** Pre-scaling factor; default MATLAB's automatic F = max(1, round(min(H,W)/256)). */
  downsample?: number;
}

const C1 = 140, C2 = 55, C3 = 550;

function rgb(img: Image): Plane[] {
  if (img.channels === 1) {
    const g = channel(img, 0);
    return [g, g, g];
  }
  return [channel(img, 0), channel(img, 1), channel(img, 2)];
}

const sim = (a: number, b: number, c: number) => (2 * a * b + c) / (a * a + b * b + c);

function mdsiCore(dist: Image, ref: Image, comb: 'sum' | 'mult', opts: MdsiOptions): MetricOutput {
  const f = opts.downsample ?? autoDownsampleFactor(ref.width, ref.height);
  assertMinSize(comb === 'sum' ? 'mdsi' : 'mdsi_mult', { width: Math.ceil(ref.width / f), height: Math.ceil(ref.height / f) }, 3);
  const [R1, G1, B1] = rgb(ref).map((p) => downsampleConv2Same(p, f).data);
  const [R2, G2, B2] = rgb(dist).map((p) => downsampleConv2Same(p, f).data);
  const W = Math.ceil(ref.width / f), H = Math.ceil(ref.height / f), n = W * H;
  const L1 = new Float64Array(n), L2 = new Float64Array(n), Fu = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    L1[i] = 0.2989 * R1[i] + 0.587 * G1[i] + 0.114 * B1[i];
    L2[i] = 0.2989 * R2[i] + 0.587 * G2[i] + 0.114 * B2[i];
    Fu[i] = 0.5 * (L1[i] + L2[i]);
  }
  const gR = prewittMagnitude(makePlane(W, H, L1)).data;
  const gD = prewittMagnitude(makePlane(W, H, L2)).data;
  const gF = prewittMagnitude(makePlane(W, H, Fu)).data;
  // GCS^(1/4) as complex numbers (principal branch), and the GCS map
  const zr = new Float64Array(n), zi = new Float64Array(n), map = new Float64Array(n);
  let mr = 0, mi = 0;
  for (let i = 0; i < n; i++) {
    const gs = sim(gR[i], gD[i], C1) + sim(gD[i], gF[i], C2) - sim(gR[i], gF[i], C2);
    const H1 = 0.3 * R1[i] + 0.04 * G1[i] - 0.35 * B1[i], H2 = 0.3 * R2[i] + 0.04 * G2[i] - 0.35 * B2[i];
    const M1 = 0.34 * R1[i] - 0.6 * G1[i] + 0.17 * B1[i], M2 = 0.34 * R2[i] - 0.6 * G2[i] + 0.17 * B2[i];
    const cs = (2 * (H1 * H2 + M1 * M2) + C3) / (H1 * H1 + H2 * H2 + M1 * M1 + M2 * M2 + C3);
    let mod: number, arg: number;
    if (comb === 'sum') {
      const g = 0.6 * gs + 0.4 * cs;
      mod = Math.abs(g);
      arg = g < 0 ? Math.PI : 0;
      map[i] = g;
    } else {
      // GS^0.2 · CS^0.1 with principal powers of real numbers
      mod = Math.pow(Math.abs(gs), 0.2) * Math.pow(Math.abs(cs), 0.1);
      arg = (gs < 0 ? 0.2 * Math.PI : 0) + (cs < 0 ? 0.1 * Math.PI : 0);
      map[i] = mod * Math.cos(arg);
    }
    // (z.^0.5).^0.5 = |z|^0.25·e^{i·arg/4} for arg in (−π, π]
    const m4 = Math.pow(mod, 0.25), a4 = arg / 4;
    zr[i] = m4 * Math.cos(a4);
    zi[i] = m4 * Math.sin(a4);
    mr += zr[i];
    mi += zi[i];
  }
  mr /= n;
  mi /= n;
  let dev = 0;
  for (let i = 0; i < n; i++) dev += Math.hypot(zr[i] - mr, zi[i] - mi);
  return { score: Math.pow(dev / n, 0.25), map: makePlane(W, H, map) };
}

/** MDSI with the 'sum' combination (MDSI.m default). */
export function mdsi(dist: Image, ref: Image, opts: MdsiOptions = {}): MetricOutput {
  return mdsiCore(dist, ref, 'sum', opts);
}

/** MDSI with the 'mult' combination. */
export function mdsiMult(dist: Image, ref: Image, opts: MdsiOptions = {}): MetricOutput {
  return mdsiCore(dist, ref, 'mult', opts);
}

export const mdsiEntries: readonly MetricEntry[] = [
  classicFR({ name: 'mdsi', lowerBetter: true, range: [0, Infinity], description: "MDSI, 'sum' combination (MDSI.m, Nafchi et al. 2016)" }, mdsi, {} as MdsiOptions),
  classicFR({ name: 'mdsi_mult', lowerBetter: true, range: [0, Infinity], description: "MDSI, 'mult' combination (MDSI.m, Nafchi et al. 2016)" }, mdsiMult, {} as MdsiOptions),
];
