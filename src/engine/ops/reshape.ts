import { expected } from '../../tensor/errors.js';
import { numel } from '../../tensor/ndarray.js';
import type { Tensor } from '../graph/graph.js';
import { shapeStr, type Shape } from '../graph/shape.js';
import { apply1, defineOp } from './define.js';

/** Same data, new shape (row-major). ONNX: Reshape. One -1 entry is inferred when the node is built. */
export const Reshape = defineOp<{ shape: Shape }>({
  name: 'Reshape',
  arity: 1,
  shape: ([x], { shape }) => {
    if (numel(shape) !== x.size) throw expected('Reshape', 'shape', `${x.size} elements like ${shapeStr(x.shape)}`, shapeStr(shape), 'E_SHAPE');
    return shape;
  },
  dtype: ([x]) => x.dtype,
  onnx: (e, ins, outs, { shape }) => e.node('Reshape', [ins[0], e.ints(shape)], outs),
  save: {},
  vjp: ([g], { inputs: [x] }) => [reshape(g!, x.shape)],
  ref: ([x], { shape }) => ({ data: x.data, shape }),
});

export function reshape(x: Tensor, shape: readonly number[]): Tensor {
  const known = shape.reduce((a, d) => (d === -1 ? a : a * d), 1);
  const s = shape.map((d) => (d === -1 ? x.size / known : d));
  if (shape.filter((d) => d === -1).length > 1 || s.some((d) => !Number.isInteger(d) || d < 0)) {
    throw expected('reshape', 'shape', `at most one -1 and a size dividing ${x.size}`, shapeStr(shape), 'E_SHAPE');
  }
  return x.rank === s.length && x.shape.every((d, i) => d === s[i]) ? x : apply1(Reshape, [x], { shape: s });
}
