import type { Tensor } from '../graph/graph.js';
import { broadcastShapes } from '../graph/shape.js';
import { apply1, defineOp, sameFloatDtype } from './define.js';
import { neg } from './neg.js';
import { pair, refMap, type TensorLike } from './util.js';

/** a - b with NumPy broadcasting. ONNX: Sub. */
export const Sub = defineOp({
  name: 'Sub',
  arity: 2,
  shape: ([a, b]) => broadcastShapes('Sub', a.shape, b.shape),
  dtype: ([a, b]) => sameFloatDtype('Sub', a, b),
  onnx: (e, ins, outs) => e.node('Sub', ins, outs),
  save: {},
  vjp: ([g]) => [g, neg(g!)],
  ref: (xs) => refMap(xs, (a, b) => a - b),
});

export const sub = (a: TensorLike, b: TensorLike): Tensor => apply1(Sub, pair('sub', a, b), {});
