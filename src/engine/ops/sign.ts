import type { Tensor } from '../graph/graph.js';
import { apply1 } from './define.js';
import { unaryOp } from './unary.js';

/** sign(x) in {-1, 0, 1}. ONNX: Sign. Piecewise constant: no gradient flows. */
export const Sign = unaryOp({ name: 'Sign', onnx: 'Sign', save: {}, vjp: () => null, ref: (v) => (Number.isNaN(v) ? NaN : Math.sign(v)) });
export const sign = (x: Tensor): Tensor => apply1(Sign, [x], {});
