import type { Tensor } from '../graph/graph.js';
import { broadcastShapes } from '../graph/shape.js';
import { apply1, defineOp, sameFloatDtype } from './define.js';
import { pair, refMap, type TensorLike } from './util.js';

/** a + b with NumPy broadcasting. ONNX: Add. */
export const Add = defineOp({
  name: 'Add',
  arity: 2,
  shape: ([a, b]) => broadcastShapes('Add', a.shape, b.shape),
  dtype: ([a, b]) => sameFloatDtype('Add', a, b),
  onnx: (e, ins, outs) => e.node('Add', ins, outs),
  save: {},
  vjp: ([g]) => [g, g], // autodiff sums over broadcast axes, not the rule
  ref: (xs) => refMap(xs, (a, b) => a + b),
});

export const add = (a: TensorLike, b: TensorLike): Tensor => apply1(Add, pair('add', a, b), {});
