/** Attribute handling shared by Conv2d, ConvTranspose2d and the pools, plus the im2col used by their weight gradients. */
import { expected } from '../../tensor/errors.js';
import type { Tensor } from '../graph/graph.js';
import { shapeStr } from '../graph/shape.js';
import { constant } from './define.js';

export interface Conv2dAttrs {
  /** [sh, sw] */
  stride: readonly [number, number];
  /** [top, left, bottom, right] (ONNX order) */
  pads: readonly [number, number, number, number];
  dilation: readonly [number, number];
  groups: number;
}

export interface Conv2dOptions {
  stride?: number | readonly [number, number];
  /** one value, [ph, pw] (symmetric) or [top, left, bottom, right] */
  padding?: number | readonly number[];
  dilation?: number | readonly [number, number];
  groups?: number;
}

const two = (op: string, what: string, v: number | readonly number[]): [number, number] => {
  const r = typeof v === 'number' ? [v, v] : [...v];
  if (r.length !== 2 || r.some((d) => !Number.isInteger(d) || d < 1)) throw expected(op, what, 'a positive integer or two', JSON.stringify(v));
  return r as [number, number];
};

export function convAttrs(op: string, o: Conv2dOptions): Conv2dAttrs {
  const p = o.padding ?? 0;
  const pads = typeof p === 'number' ? [p, p, p, p] : p.length === 2 ? [p[0], p[1], p[0], p[1]] : [...p];
  if (pads.length !== 4 || pads.some((d) => !Number.isInteger(d) || d < 0)) throw expected(op, 'padding', 'non-negative integers (1, 2 or 4 of them)', JSON.stringify(p));
  const groups = o.groups ?? 1;
  if (!Number.isInteger(groups) || groups < 1) throw expected(op, 'groups', 'a positive integer', String(groups));
  return { stride: two(op, 'stride', o.stride ?? 1), pads: pads as [number, number, number, number], dilation: two(op, 'dilation', o.dilation ?? 1), groups };
}

export const onnxConvAttrs = (a: Conv2dAttrs) => ({ strides: a.stride, pads: a.pads, dilations: a.dilation, group: a.groups });

export function checkNchw(op: string, x: Tensor): void {
  if (x.rank !== 4) throw expected(op, 'input', 'rank 4 [N, C, H, W]', shapeStr(x.shape), 'E_SHAPE');
}

/** One-hot kernels [kh*kw, 1, kh, kw]: a Conv with them is im2col (engine-notes §2.2, "dW by im2col + MatMul"). */
export function oneHotKernels(like: Tensor, kh: number, kw: number): Tensor {
  const k = kh * kw;
  const d = new Float64Array(k * k);
  for (let m = 0; m < k; m++) d[m * k + m] = 1;
  return constant(like.graph, [k, 1, kh, kw], d, like.dtype);
}
