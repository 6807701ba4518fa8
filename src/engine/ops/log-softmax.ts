import type { Tensor } from '../graph/graph.js';
import { normAxis } from '../graph/shape.js';
import { apply1, defineOp, sameFloatDtype } from './define.js';
import { exp } from './exp.js';
import { mul } from './mul.js';
import { sum } from './reduce-sum.js';
import { refSoftmax } from './softmax.js';
import { sub } from './sub.js';

/** x - log sum e^x along `axis`. ONNX: LogSoftmax. Gradient g - e^y sum(g). */
export const LogSoftmax = defineOp<{ axis: number }>({
  name: 'LogSoftmax',
  arity: 1,
  shape: ([x]) => x.shape,
  dtype: ([x]) => sameFloatDtype('LogSoftmax', x),
  onnx: (e, ins, outs, { axis }) => e.node('LogSoftmax', ins, outs, { axis }),
  save: { outputs: [true] },
  vjp: ([g], { outputs: [y], attrs: { axis } }) => [sub(g!, mul(exp(y), sum(g!, [axis], true)))],
  ref: ([x], { axis }) => refSoftmax(x, axis, true),
});

export const logSoftmax = (x: Tensor, axis = -1): Tensor => apply1(LogSoftmax, [x], { axis: normAxis('logSoftmax', axis, x.rank) });
