import { expected } from '../../tensor/errors.js';
import type { Tensor } from '../graph/graph.js';
import { broadcastShapes, normAxis, shapeStr, strides, type Shape } from '../graph/shape.js';
import { apply1, defineOp, isFloat } from './define.js';
import { expand } from './expand.js';
import { reshape } from './reshape.js';
import { refArray } from './util.js';

export interface ReduceAttrs {
  axes: readonly number[];
  keepdims: boolean;
}

export const reducedShape = (s: Shape, { axes, keepdims }: ReduceAttrs): number[] =>
  keepdims ? s.map((d, i) => (axes.includes(i) ? 1 : d)) : s.filter((_, i) => !axes.includes(i));

/** Reference reduction with a fold function. */
export function refReduce(x: { data: Float64Array; shape: Shape }, a: ReduceAttrs, init: number, f: (acc: number, v: number) => number) {
  const kshape = x.shape.map((d, i) => (a.axes.includes(i) ? 1 : d));
  const out = refArray(reducedShape(x.shape, a));
  out.data.fill(init);
  const xs = strides(x.shape);
  const ks = strides(kshape);
  for (let i = 0; i < x.data.length; i++) {
    let rem = i;
    let o = 0;
    for (let d = 0; d < x.shape.length; d++) {
      const c = Math.floor(rem / xs[d]);
      rem -= c * xs[d];
      if (kshape[d] !== 1) o += c * ks[d];
    }
    out.data[o] = f(out.data[o], x.data[i]);
  }
  return out;
}

export function checkReduce(op: string, x: Tensor): void {
  if (!isFloat(x.dtype)) throw expected(op, 'dtype', 'float32 or float64', x.dtype, 'E_DTYPE');
}

/** Sum over `axes`. ONNX: ReduceSum. Gradient: g broadcast back over the reduced axes. */
export const ReduceSum = defineOp<ReduceAttrs>({
  name: 'ReduceSum',
  arity: 1,
  shape: ([x], a) => (checkReduce('ReduceSum', x), reducedShape(x.shape, a)),
  dtype: ([x]) => x.dtype,
  onnx: (e, ins, outs, { axes, keepdims }) => e.node('ReduceSum', [ins[0], e.ints(axes)], outs, { keepdims: keepdims ? 1 : 0 }),
  save: {},
  vjp: ([g], { inputs: [x], attrs }) => [expand(reshape(g!, reducedShape(x.shape, { ...attrs, keepdims: true })), x.shape)],
  ref: ([x], a) => refReduce(x, a, 0, (s, v) => s + v),
});

const normAxes = (op: string, axes: readonly number[], rank: number): number[] => [...new Set(axes.map((a) => normAxis(op, a, rank)))].sort((a, b) => a - b);

/** Sum over `axes` (all axes when omitted). */
export function sum(x: Tensor, axes?: readonly number[], keepdims = false): Tensor {
  const ax = normAxes('sum', axes ?? x.shape.map((_, i) => i), x.rank);
  return ax.length === 0 ? x : apply1(ReduceSum, [x], { axes: ax, keepdims });
}

/** Sums a broadcast gradient back to `shape` (the inverse of NumPy broadcasting). */
export function sumTo(g: Tensor, shape: Shape): Tensor {
  if (g.rank === shape.length && g.shape.every((d, i) => d === shape[i])) return g;
  if (broadcastShapes('sumTo', g.shape, shape).some((d, i) => d !== g.shape[i])) throw expected('sumTo', 'shape', `broadcastable to ${shapeStr(g.shape)}`, shapeStr(shape), 'E_SHAPE');
  const lead = g.rank - shape.length;
  const axes = g.shape.map((_, i) => i).filter((i) => i < lead || (shape[i - lead] === 1 && g.shape[i] !== 1));
  return reshape(sum(g, axes, true), shape);
}

export { normAxes };
