import type { Tensor } from '../graph/graph.js';
import { broadcastShapes } from '../graph/shape.js';
import { apply1, defineOp, sameFloatDtype } from './define.js';
import { pair, refMap, type TensorLike } from './util.js';

/** a * b with NumPy broadcasting. ONNX: Mul. */
export const Mul = defineOp({
  name: 'Mul',
  arity: 2,
  shape: ([a, b]) => broadcastShapes('Mul', a.shape, b.shape),
  dtype: ([a, b]) => sameFloatDtype('Mul', a, b),
  onnx: (e, ins, outs) => e.node('Mul', ins, outs),
  save: { inputs: [true, true] },
  vjp: ([g], { inputs: [a, b] }) => [mul(g!, b), mul(g!, a)],
  ref: (xs) => refMap(xs, (a, b) => a * b),
});

export const mul = (a: TensorLike, b: TensorLike): Tensor => apply1(Mul, pair('mul', a, b), {});
