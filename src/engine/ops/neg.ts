import type { Tensor } from '../graph/graph.js';
import { apply1 } from './define.js';
import { unaryOp } from './unary.js';

/** -x. ONNX: Neg. */
export const Neg = unaryOp({ name: 'Neg', onnx: 'Neg', save: {}, vjp: (g) => neg(g), ref: (v) => -v });
export const neg = (x: Tensor): Tensor => apply1(Neg, [x], {});
