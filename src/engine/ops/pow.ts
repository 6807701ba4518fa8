import type { Tensor } from '../graph/graph.js';
import { broadcastShapes } from '../graph/shape.js';
import { apply1, defineOp, sameFloatDtype } from './define.js';
import { log } from './log.js';
import { mul } from './mul.js';
import { sub } from './sub.js';
import { pair, refMap, type TensorLike } from './util.js';

/** a^b with NumPy broadcasting. ONNX: Pow. The exponent's gradient y*log(a) is only defined for a > 0. */
export const Pow = defineOp({
  name: 'Pow',
  arity: 2,
  shape: ([a, b]) => broadcastShapes('Pow', a.shape, b.shape),
  dtype: ([a, b]) => sameFloatDtype('Pow', a, b),
  onnx: (e, ins, outs) => e.node('Pow', ins, outs),
  save: { inputs: [true, true], outputs: [true] },
  vjp: ([g], { inputs: [a, b], outputs: [y] }) => [mul(g!, mul(b, pow(a, sub(b, 1)))), mul(g!, mul(y, log(a)))],
  ref: (xs) => refMap(xs, (a, b) => Math.pow(a, b)),
});

export const pow = (a: TensorLike, b: TensorLike): Tensor => apply1(Pow, pair('pow', a, b), {});
