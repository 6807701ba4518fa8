import type { Tensor } from '../graph/graph.js';
import { apply1 } from './define.js';
import { cast } from './cast.js';
import { greater } from './greater.js';
import { mul } from './mul.js';
import { unaryOp } from './unary.js';

/**
 * max(x, 0). ONNX: Relu. Backward g * (y > 0) as PyTorch's threshold_backward (gradient 0 at x = 0 and for NaN),
 * emitted as Mul(g, Cast(Greater(y, 0))): the bool mask is a quarter of the traffic of Sign(y) (engine-notes §2.2).
 */
export const Relu = unaryOp({
  name: 'Relu',
  onnx: 'Relu',
  save: { outputs: [true] },
  vjp: (g, _x, y) => mul(g, cast(greater(y, 0), y.dtype)),
  ref: (v) => (v > 0 ? v : Number.isNaN(v) ? NaN : 0),
});
export const relu = (x: Tensor): Tensor => apply1(Relu, [x], {});
