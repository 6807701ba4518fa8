/**
 * MATLAB `imresize` (Image Processing Toolbox), exact port of its algorithm (conventions.md §1.8):
 * - kernels: 'bicubic' (Keys, a = -0.5, width 4; the default), 'bilinear' (triangle, width 2), 'box' (width 1);
 * - antialiasing on when downscaling: the kernel is h(x) = s·k(s·x) with width/s;
 * - sample positions u = x/s + 0.5·(1 − 1/s) (1-based x), taps from floor(u − width/2) + (0..ceil(width)+1),
 *   weights normalised to sum 1, out-of-range taps mirrored symmetrically (period 2n), all-zero taps dropped;
 * - output size ceil(s·n) for a scale, or the given size (then s = out/in per axis);
 * - dimensions processed in order of increasing scale (MATLAB `sort(scale)`, stable: rows first on ties);
 * - `uint8: true` rounds (half away from zero) and clamps the result to [0, 255], as MATLAB does for uint8 input.
 */
import { channel, makeImage, makePlane, type Image, type Plane } from '../tensor/image.js';
import { expected } from '../tensor/errors.js';
import { roundHalfAway } from '../color/index.js';

export type ResizeKernel = 'bicubic' | 'bilinear' | 'box';

export interface ImresizeOptions {
  /** A scale factor (both axes) or [rows, cols] output size. */
  scale?: number;
  size?: readonly [number, number];
  kernel?: ResizeKernel;
  antialias?: boolean;
  uint8?: boolean;
}

const KERNELS: Record<ResizeKernel, { f: (x: number) => number; width: number }> = {
  bicubic: {
    width: 4,
    f: (x) => {
      const a = Math.abs(x), a2 = a * a, a3 = a2 * a;
      if (a <= 1) return 1.5 * a3 - 2.5 * a2 + 1;
      if (a <= 2) return -0.5 * a3 + 2.5 * a2 - 4 * a + 2;
      return 0;
    },
  },
  bilinear: { width: 2, f: (x) => Math.max(0, 1 - Math.abs(x)) },
  box: { width: 1, f: (x) => (x >= -0.5 && x < 0.5 ? 1 : 0) },
};

interface Contributions {
  indices: Int32Array; // outLen * taps (0-based source indices)
  weights: Float64Array;
  taps: number;
}

/** MATLAB `contributions(in_length, out_length, scale, kernel, kernel_width, antialiasing)`. */
function contributions(inLen: number, outLen: number, scale: number, kernelName: ResizeKernel, antialias: boolean): Contributions {
  const { f, width: kw } = KERNELS[kernelName];
  let h = f, width = kw;
  if (scale < 1 && antialias) {
    h = (x) => scale * f(scale * x);
    width = kw / scale;
  }
  const P = Math.ceil(width) + 2;
  const allIdx = new Int32Array(outLen * P);
  const allW = new Float64Array(outLen * P);
  const keep = new Uint8Array(P); // columns with any non-zero weight
  for (let o = 0; o < outLen; o++) {
    const x = o + 1;
    const u = x / scale + 0.5 * (1 - 1 / scale);
    const left = Math.floor(u - width / 2);
    let sum = 0;
    for (let j = 0; j < P; j++) {
      const idx = left + j; // 1-based
      const w = h(u - idx);
      allW[o * P + j] = w;
      sum += w;
    }
    for (let j = 0; j < P; j++) {
      allW[o * P + j] /= sum;
      if (allW[o * P + j] !== 0) keep[j] = 1;
      // mirror: aux = [1:n, n:-1:1]; idx = aux(mod(idx-1, 2n) + 1)
      const i0 = left + j - 1;
      const p = 2 * inLen;
      const k = ((i0 % p) + p) % p;
      allIdx[o * P + j] = k < inLen ? k : p - 1 - k;
    }
  }
  const cols: number[] = [];
  for (let j = 0; j < P; j++) if (keep[j]) cols.push(j);
  const taps = cols.length;
  const indices = new Int32Array(outLen * taps), weights = new Float64Array(outLen * taps);
  for (let o = 0; o < outLen; o++) for (let t = 0; t < taps; t++) {
    indices[o * taps + t] = allIdx[o * P + cols[t]];
    weights[o * taps + t] = allW[o * P + cols[t]];
  }
  return { indices, weights, taps };
}

/**
 * Output row o of the vertical pass into `out` at `orow`: accumulated in tap order (0 + w0·r0 + w1·r1 + ...), the
 * order of MATLAB's sum over taps; 8 taps (bicubic at scale 0.5 with antialiasing, the NIQE/BRISQUE case) and
 * 4 taps (bicubic >= 1) are unrolled with the weights and row offsets held in locals.
 */
function verticalRow(s: Float64Array, W: number, c: Contributions, o: number, out: Float64Array, orow: number): void {
  const T = c.taps, cw = c.weights, ci = c.indices, b = o * T;
  if (T === 8) {
    const w0 = cw[b], w1 = cw[b + 1], w2 = cw[b + 2], w3 = cw[b + 3], w4 = cw[b + 4], w5 = cw[b + 5], w6 = cw[b + 6], w7 = cw[b + 7];
    const r0 = ci[b] * W, r1 = ci[b + 1] * W, r2 = ci[b + 2] * W, r3 = ci[b + 3] * W;
    const r4 = ci[b + 4] * W, r5 = ci[b + 5] * W, r6 = ci[b + 6] * W, r7 = ci[b + 7] * W;
    for (let x = 0; x < W; x++) {
      out[orow + x] = 0 + w0 * s[r0 + x] + w1 * s[r1 + x] + w2 * s[r2 + x] + w3 * s[r3 + x] + w4 * s[r4 + x] + w5 * s[r5 + x] + w6 * s[r6 + x] + w7 * s[r7 + x];
    }
  } else if (T === 4) {
    const w0 = cw[b], w1 = cw[b + 1], w2 = cw[b + 2], w3 = cw[b + 3];
    const r0 = ci[b] * W, r1 = ci[b + 1] * W, r2 = ci[b + 2] * W, r3 = ci[b + 3] * W;
    for (let x = 0; x < W; x++) out[orow + x] = 0 + w0 * s[r0 + x] + w1 * s[r1 + x] + w2 * s[r2 + x] + w3 * s[r3 + x];
  } else {
    out.fill(0, orow, orow + W);
    for (let t = 0; t < T; t++) {
      const w = cw[b + t], srow = ci[b + t] * W;
      for (let x = 0; x < W; x++) out[orow + x] += w * s[srow + x];
    }
  }
}

/** Outputs whose taps are consecutive source samples (no mirroring): 1 where index(o, t) = index(o, 0) + t. */
function consecutive(c: Contributions, outLen: number): Uint8Array {
  const T = c.taps, ci = c.indices, run = new Uint8Array(outLen);
  for (let o = 0; o < outLen; o++) {
    let ok = 1;
    for (let t = 1; t < T; t++) if (ci[o * T + t] !== ci[o * T] + t) ok = 0;
    run[o] = ok;
  }
  return run;
}

/** One row of the horizontal pass (source row at `srow`, output row at `orow`), same tap order; 8 consecutive
 * taps (every interior output at scale 0.5) unrolled. */
function horizontalRow(s: Float64Array, srow: number, outW: number, c: Contributions, run: Uint8Array, out: Float64Array, orow: number): void {
  const T = c.taps, cw = c.weights, ci = c.indices;
  for (let o = 0; o < outW; o++) {
    const b = o * T;
    if (T === 8 && run[o] === 1) {
      const k = srow + ci[b];
      out[orow + o] = 0 + cw[b] * s[k] + cw[b + 1] * s[k + 1] + cw[b + 2] * s[k + 2] + cw[b + 3] * s[k + 3] + cw[b + 4] * s[k + 4] + cw[b + 5] * s[k + 5] + cw[b + 6] * s[k + 6] + cw[b + 7] * s[k + 7];
    } else {
      let acc = 0;
      for (let t = 0; t < T; t++) acc += cw[b + t] * s[srow + ci[b + t]];
      out[orow + o] = acc;
    }
  }
}

function resizeRows(p: Plane, outH: number, c: Contributions): Plane {
  const W = p.width, out = new Float64Array(outH * W);
  for (let o = 0; o < outH; o++) verticalRow(p.data, W, c, o, out, o * W);
  return makePlane(W, outH, out);
}

function resizeCols(p: Plane, outW: number, c: Contributions): Plane {
  const H = p.height, W = p.width, out = new Float64Array(H * outW), run = consecutive(c, outW);
  for (let y = 0; y < H; y++) horizontalRow(p.data, y * W, outW, c, run, out, y * outW);
  return makePlane(outW, H, out);
}

/** Rows then columns, one output row at a time through a single-row buffer (no intermediate plane); the same
 * arithmetic as `resizeCols(resizeRows(p))`. */
function resizeRowsThenCols(p: Plane, outH: number, outW: number, cr: Contributions, cc: Contributions): Plane {
  const W = p.width, out = new Float64Array(outH * outW), row = new Float64Array(W), run = consecutive(cc, outW);
  for (let o = 0; o < outH; o++) {
    verticalRow(p.data, W, cr, o, row, 0);
    horizontalRow(row, 0, outW, cc, run, out, o * outW);
  }
  return makePlane(outW, outH, out);
}

/** Resizes one plane exactly as MATLAB `imresize`. */
export function imresize(p: Plane, opts: ImresizeOptions): Plane {
  const kernelName = opts.kernel ?? 'bicubic';
  const antialias = opts.antialias ?? true;
  let scaleR: number, scaleC: number, outH: number, outW: number;
  if (opts.size) {
    [outH, outW] = opts.size;
    scaleR = outH / p.height;
    scaleC = outW / p.width;
  } else if (opts.scale !== undefined && opts.scale > 0) {
    scaleR = scaleC = opts.scale;
    outH = Math.ceil(opts.scale * p.height);
    outW = Math.ceil(opts.scale * p.width);
  } else {
    throw expected('imresize', 'options', 'a positive scale or an output size', JSON.stringify(opts));
  }
  if (!(outH >= 1 && outW >= 1)) throw expected('imresize', 'output size', 'at least 1x1', `${outW}x${outH}`, 'E_SIZE');
  const rowsFirst = scaleR <= scaleC; // MATLAB: sort(scale) ascending, stable
  const cr = contributions(p.height, outH, scaleR, kernelName, antialias);
  const cc = contributions(p.width, outW, scaleC, kernelName, antialias);
  const q = rowsFirst ? resizeRowsThenCols(p, outH, outW, cr, cc) : resizeRows(resizeCols(p, outW, cc), outH, cr);
  if (opts.uint8) for (let i = 0; i < q.data.length; i++) q.data[i] = Math.min(255, Math.max(0, roundHalfAway(q.data[i])));
  return q;
}

/** Resizes every channel of an image to width x height with MATLAB `imresize` (bicubic, antialiased). */
export function imresizeImage(img: Image, width: number, height: number, opts: Omit<ImresizeOptions, 'scale' | 'size'> = {}): Image {
  const planes = Array.from({ length: img.channels }, (_, c) => imresize(channel(img, c), { ...opts, size: [height, width] }));
  const data = new Float64Array(img.channels * width * height);
  planes.forEach((p, c) => data.set(p.data, c * width * height));
  return makeImage(width, height, img.channels, data, img.bitDepth);
}
