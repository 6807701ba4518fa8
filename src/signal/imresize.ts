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

function resizeRows(p: Plane, outH: number, c: Contributions): Plane {
  const W = p.width, out = new Float64Array(outH * W);
  for (let o = 0; o < outH; o++) {
    const orow = o * W;
    for (let t = 0; t < c.taps; t++) {
      const w = c.weights[o * c.taps + t], srow = c.indices[o * c.taps + t] * W;
      for (let x = 0; x < W; x++) out[orow + x] += w * p.data[srow + x];
    }
  }
  return makePlane(W, outH, out);
}

function resizeCols(p: Plane, outW: number, c: Contributions): Plane {
  const H = p.height, W = p.width, out = new Float64Array(H * outW);
  for (let y = 0; y < H; y++) {
    const srow = y * W, orow = y * outW;
    for (let o = 0; o < outW; o++) {
      let acc = 0;
      for (let t = 0; t < c.taps; t++) acc += c.weights[o * c.taps + t] * p.data[srow + c.indices[o * c.taps + t]];
      out[orow + o] = acc;
    }
  }
  return makePlane(outW, H, out);
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
  let q = p;
  const rowsFirst = scaleR <= scaleC; // MATLAB: sort(scale) ascending, stable
  for (const dim of rowsFirst ? ['r', 'c'] : ['c', 'r']) {
    if (dim === 'r') q = resizeRows(q, outH, contributions(p.height, outH, scaleR, kernelName, antialias));
    else q = resizeCols(q, outW, contributions(p.width, outW, scaleC, kernelName, antialias));
  }
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
