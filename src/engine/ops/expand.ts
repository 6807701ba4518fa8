import type { Tensor } from '../graph/graph.js';
import { broadcastShapes, sameShape, shapeStr, type Shape } from '../graph/shape.js';
import { expected } from '../../tensor/errors.js';
import { apply1, defineOp } from './define.js';
import { sumTo } from './reduce-sum.js';
import { refMap } from './util.js';

/** Broadcasts x to `shape` (NumPy rules). ONNX: Expand. Gradient: sum back over the broadcast axes. */
export const Expand = defineOp<{ shape: Shape }>({
  name: 'Expand',
  arity: 1,
  shape: ([x], { shape }) => {
    const s = broadcastShapes('Expand', x.shape, shape);
    if (!sameShape(s, shape)) throw expected('Expand', 'target shape', `a shape ${shapeStr(x.shape)} broadcasts to`, shapeStr(shape), 'E_SHAPE');
    return s;
  },
  dtype: ([x]) => x.dtype,
  onnx: (e, ins, outs, { shape }) => e.node('Expand', [ins[0], e.ints(shape)], outs),
  save: {},
  vjp: ([g], { inputs: [x] }) => [sumTo(g!, x.shape)],
  ref: ([x], { shape }) => refMap([x, { data: new Float64Array(shape.reduce((a, b) => a * b, 1)), shape }], (v) => v),
});

export const expand = (x: Tensor, shape: Shape): Tensor => (sameShape(x.shape, shape) ? x : apply1(Expand, [x], { shape: [...shape] }));
