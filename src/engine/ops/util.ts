/** Helpers shared by primitive records: broadcasting reference kernels and number-or-tensor arguments. */
import { IqaError } from '../../tensor/errors.js';
import { numel } from '../../tensor/ndarray.js';
import type { RefArray, Tensor } from '../graph/graph.js';
import { Tensor as TensorClass } from '../graph/graph.js';
import { broadcastShapes, strides } from '../graph/shape.js';
import type { Shape } from '../graph/shape.js';
import { lift } from './define.js';

export type TensorLike = Tensor | number;

/** Two operands where at least one is a tensor; numbers become constants of the tensor's dtype. */
export function pair(op: string, a: TensorLike, b: TensorLike): [Tensor, Tensor] {
  const like = a instanceof TensorClass ? a : b instanceof TensorClass ? b : null;
  if (!like) throw new IqaError(`${op}: operands: expected at least one tensor, got two numbers`, 'E_ARG');
  return [lift(a, like), lift(b, like)];
}

export const refArray = (shape: Shape, data?: Float64Array): RefArray => ({ shape: [...shape], data: data ?? new Float64Array(numel(shape)) });

/** Maps output index -> input index for broadcasting `inShape` to `outShape`. */
export function broadcastIndex(inShape: Shape, outShape: Shape): Int32Array {
  const n = numel(outShape);
  const idx = new Int32Array(n);
  const r = outShape.length;
  const padded = [...new Array<number>(r - inShape.length).fill(1), ...inShape];
  const inStr = strides(padded);
  const outStr = strides(outShape);
  for (let o = 0; o < n; o++) {
    let rem = o;
    let i = 0;
    for (let d = 0; d < r; d++) {
      const c = Math.floor(rem / outStr[d]);
      rem -= c * outStr[d];
      if (padded[d] !== 1) i += c * inStr[d];
    }
    idx[o] = i;
  }
  return idx;
}

/** Broadcasting elementwise reference over any number of inputs. */
export function refMap(xs: readonly RefArray[], f: (...v: number[]) => number): RefArray {
  const shape = xs.map((x) => x.shape).reduce((a, b) => broadcastShapes('ref', a, b));
  const out = refArray(shape);
  const idx = xs.map((x) => broadcastIndex(x.shape, shape));
  const v = new Array<number>(xs.length);
  for (let o = 0; o < out.data.length; o++) {
    for (let k = 0; k < xs.length; k++) v[k] = xs[k].data[idx[k][o]];
    out.data[o] = f(...v);
  }
  return out;
}
