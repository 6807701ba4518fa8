/**
 * Composites over the engine's primitives (no gradient code: autodiff differentiates through them).
 * Where the composition decides a gradient at a kink, a comment says which.
 */
import { expected } from '../tensor/errors.js';
import type { Tensor } from '../engine/graph/graph.js';
import { normAxis } from '../engine/graph/shape.js';
import {
  add, avgPool2d, cast, constant, conv2d, div, expand, matmul, mul, reshape, sqrt, sub, sum, transpose,
} from '../engine/ops/index.js';
import { ndarray } from '../tensor/ndarray.js';
import type { Rng } from '../engine/rng.js';

/** Mean over `axes`. */
export function mean(x: Tensor, axes?: readonly number[], keepdims = false): Tensor {
  const ax = (axes ?? x.shape.map((_, i) => i)).map((a) => normAxis('mean', a, x.rank));
  const n = ax.reduce((p, a) => p * x.shape[a], 1);
  return mul(sum(x, ax, keepdims), 1 / n);
}

/** Biased variance over `axes` (what normalisation layers use), and the mean. */
export function moments(x: Tensor, axes: readonly number[]): { mean: Tensor; variance: Tensor } {
  const m = mean(x, axes, true);
  const xc = sub(x, m);
  return { mean: m, variance: mean(mul(xc, xc), axes, true) };
}

/** Channel-wise shape [1, C, 1, 1] view of a [C] vector. */
export const perChannel = (v: Tensor, rank: number): Tensor => reshape(v, [1, v.shape[0], ...new Array<number>(rank - 2).fill(1)]);

/** Reference composite of train-mode batch norm (tests compare the BatchNormTrain primitive with it). */
export function batchNormTrainComposite(x: Tensor, weight: Tensor, bias: Tensor, eps: number): { y: Tensor; mean: Tensor; variance: Tensor } {
  const axes = x.shape.map((_, i) => i).filter((i) => i !== 1);
  const { mean: m, variance: v } = moments(x, axes);
  const invstd = div(1, sqrt(add(v, eps)));
  const y = add(mul(sub(x, m), mul(invstd, perChannel(weight, x.rank))), perChannel(bias, x.rank));
  return { y, mean: reshape(m, [x.shape[1]]), variance: reshape(v, [x.shape[1]]) };
}

/** Layer norm over the last axis (PyTorch F.layer_norm with normalized_shape = [D]). */
export function layerNorm(x: Tensor, weight: Tensor | null, bias: Tensor | null, eps = 1e-5): Tensor {
  const { mean: m, variance: v } = moments(x, [x.rank - 1]);
  let y = div(sub(x, m), sqrt(add(v, eps)));
  if (weight) y = mul(y, weight);
  if (bias) y = add(y, bias);
  return y;
}

/** Global average pool [N, C, H, W] -> [N, C, 1, 1]. */
export const globalAvgPool = (x: Tensor): Tensor => mean(x, [2, 3], true);

/** Row-stochastic [out, in] matrix of PyTorch's adaptive average pooling along one axis. */
function adaptiveMatrix(inSize: number, outSize: number): Float64Array {
  const m = new Float64Array(outSize * inSize);
  for (let i = 0; i < outSize; i++) {
    const s = Math.floor((i * inSize) / outSize);
    const e = Math.ceil(((i + 1) * inSize) / outSize);
    for (let j = s; j < e; j++) m[i * inSize + j] = 1 / (e - s);
  }
  return m;
}

/** Adaptive average pooling (PyTorch F.adaptive_avg_pool2d): AveragePool when sizes divide, else two MatMuls. */
export function adaptiveAvgPool2d(x: Tensor, out: readonly [number, number]): Tensor {
  const [, , h, w] = x.shape;
  if (h % out[0] === 0 && w % out[1] === 0) return avgPool2d(x, { kernel: [h / out[0], w / out[1]] });
  const ah = constant(x.graph, [out[0], h], adaptiveMatrix(h, out[0]), x.dtype);
  const aw = constant(x.graph, [out[1], w], adaptiveMatrix(w, out[1]), x.dtype);
  return matmul(matmul(ah, x), transpose(aw, [1, 0]));
}

/** Interpolation matrix [out, in] along one axis, PyTorch F.interpolate semantics. */
export function resizeMatrix(inSize: number, outSize: number, mode: 'bilinear' | 'bicubic', alignCorners: boolean): Float64Array {
  const m = new Float64Array(outSize * inSize);
  const scale = alignCorners ? (outSize > 1 ? (inSize - 1) / (outSize - 1) : 0) : inSize / outSize;
  const at = (i: number, j: number, v: number) => (m[i * inSize + Math.min(inSize - 1, Math.max(0, j))] += v);
  for (let i = 0; i < outSize; i++) {
    let src = alignCorners ? i * scale : (i + 0.5) * scale - 0.5;
    if (mode === 'bilinear') {
      if (!alignCorners && src < 0) src = 0; // PyTorch clamps linear source indices at 0
      const i0 = Math.floor(src);
      const l = src - i0;
      at(i, i0, 1 - l);
      at(i, Math.min(i0 + 1, inSize - 1), l);
    } else {
      // Keys cubic convolution with A = -0.75 (PyTorch upsample_bicubic2d), taps clamped to the border
      const i0 = Math.floor(src);
      const t = src - i0;
      const A = -0.75;
      const c1 = (u: number) => ((A + 2) * u - (A + 3)) * u * u + 1;
      const c2 = (u: number) => ((A * u - 5 * A) * u + 8 * A) * u - 4 * A;
      [c2(t + 1), c1(t), c1(1 - t), c2(2 - t)].forEach((wgt, k) => at(i, i0 - 1 + k, wgt));
    }
  }
  return m;
}

/** Resize [N, C, H, W] to `size` (PyTorch F.interpolate, bilinear/bicubic, antialias false) as separable MatMuls. */
export function resize(x: Tensor, size: readonly [number, number], mode: 'bilinear' | 'bicubic' = 'bilinear', alignCorners = false): Tensor {
  if (x.rank !== 4) throw expected('resize', 'input', 'rank 4 [N, C, H, W]', `rank ${x.rank}`, 'E_SHAPE');
  const [, , h, w] = x.shape;
  const rh = constant(x.graph, [size[0], h], resizeMatrix(h, size[0], mode, alignCorners), x.dtype);
  const rw = constant(x.graph, [size[1], w], resizeMatrix(w, size[1], mode, alignCorners), x.dtype);
  return matmul(matmul(rh, x), transpose(rw, [1, 0]));
}

/**
 * Inverted dropout: x * mask / (1 - p), the mask drawn per run from the compiled graph's seeded generator.
 * `perSample` draws one value per batch item (drop-path / stochastic depth).
 */
export function dropout(x: Tensor, p: number, perSample = false): Tensor {
  if (!(p >= 0 && p < 1)) throw expected('dropout', 'p', 'in [0, 1)', String(p));
  if (p === 0) return x;
  const shape = perSample ? [x.shape[0], ...new Array<number>(x.rank - 1).fill(1)] : [...x.shape];
  const keep = 1 - p;
  const mask = x.graph.randomInput(shape, (rng: Pick<Rng, 'uniform'>) => {
    const n = shape.reduce((a, b) => a * b, 1);
    const d = new Float32Array(n);
    for (let i = 0; i < n; i++) d[i] = rng.uniform() < keep ? 1 / keep : 0;
    return ndarray('float32', shape, d);
  }, perSample ? 'droppath' : 'dropout');
  return mul(x, cast(mask, x.dtype));
}

/** PyTorch F.unfold: [N, C, H, W] -> [N, C*k*k, L] columns (im2col via a Conv with one-hot kernels). */
export function unfold(x: Tensor, kernel: number, stride = 1, padding = 0): Tensor {
  const [n, c, h, w] = x.shape;
  const k2 = kernel * kernel;
  const eye = new Float64Array(k2 * k2);
  for (let i = 0; i < k2; i++) eye[i * k2 + i] = 1;
  const cols = conv2d(reshape(x, [n * c, 1, h, w]), constant(x.graph, [k2, 1, kernel, kernel], eye, x.dtype), null, { stride, padding });
  return reshape(cols, [n, c * k2, cols.shape[2] * cols.shape[3]]);
}

/** [B, H, W, C] -> [B * nW, wh * ww, C] non-overlapping windows (Swin), row-major over windows; ws square or [wh, ww]. */
export function windowPartition(x: Tensor, ws: number | readonly [number, number]): Tensor {
  const [wh, ww] = typeof ws === 'number' ? [ws, ws] : ws;
  const [b, h, w, c] = x.shape;
  if (h % wh || w % ww) throw expected('windowPartition', 'H and W', `multiples of ${wh}x${ww}`, `${h}x${w}`, 'E_SHAPE');
  const t = transpose(reshape(x, [b, h / wh, wh, w / ww, ww, c]), [0, 1, 3, 2, 4, 5]);
  return reshape(t, [(b * h * w) / (wh * ww), wh * ww, c]);
}

/** Inverse of `windowPartition`. */
export function windowReverse(x: Tensor, ws: number | readonly [number, number], h: number, w: number): Tensor {
  const [wh, ww] = typeof ws === 'number' ? [ws, ws] : ws;
  const c = x.shape[2];
  const b = x.shape[0] / ((h / wh) * (w / ww));
  return reshape(transpose(reshape(x, [b, h / wh, w / ww, wh, ww, c]), [0, 1, 3, 2, 4, 5]), [b, h, w, c]);
}

export { expand };
