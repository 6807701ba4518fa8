import { expected } from '../../tensor/errors.js';
import type { Tensor } from '../graph/graph.js';
import { broadcastShapes } from '../graph/shape.js';
import { apply1, defineOp, lift, sameFloatDtype } from './define.js';
import { refMap, type TensorLike } from './util.js';

/** cond ? a : b elementwise, broadcasting all three. ONNX: Where. The gradient goes to the chosen branch only. */
export const Where = defineOp({
  name: 'Where',
  arity: 3,
  shape: ([c, a, b]) => broadcastShapes('Where', broadcastShapes('Where', c.shape, a.shape), b.shape),
  dtype: ([c, a, b]) => {
    if (c.dtype !== 'bool') throw expected('Where', 'condition dtype', 'bool', c.dtype, 'E_DTYPE');
    return sameFloatDtype('Where', a, b);
  },
  onnx: (e, ins, outs) => e.node('Where', ins, outs),
  save: { inputs: [true, false, false] },
  vjp: ([g], { inputs: [c] }) => [null, where(c, g!, 0), where(c, 0, g!)],
  ref: (xs) => refMap(xs, (c, a, b) => (c ? a : b)),
});

export function where(cond: Tensor, a: TensorLike, b: TensorLike): Tensor {
  const like = typeof a === 'number' ? (typeof b === 'number' ? null : b) : a;
  if (!like) throw expected('where', 'branches', 'at least one tensor', 'two numbers');
  return apply1(Where, [cond, lift(a, like), lift(b, like)], {});
}
