import type { Tensor } from '../graph/graph.js';
import { broadcastShapes } from '../graph/shape.js';
import { apply1, defineOp, sameFloatDtype } from './define.js';
import { mul } from './mul.js';
import { neg } from './neg.js';
import { pair, refMap, type TensorLike } from './util.js';

/** a / b with NumPy broadcasting. ONNX: Div. */
export const Div = defineOp({
  name: 'Div',
  arity: 2,
  shape: ([a, b]) => broadcastShapes('Div', a.shape, b.shape),
  dtype: ([a, b]) => sameFloatDtype('Div', a, b),
  onnx: (e, ins, outs) => e.node('Div', ins, outs),
  save: { inputs: [false, true], outputs: [true] },
  vjp: ([g], { inputs: [, b], outputs: [y] }) => [div(g!, b), neg(div(mul(g!, y), b))], // d/db a/b = -y/b
  ref: (xs) => refMap(xs, (a, b) => a / b),
});

export const div = (a: TensorLike, b: TensorLike): Tensor => apply1(Div, pair('div', a, b), {});
