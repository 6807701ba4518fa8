import type { Tensor } from '../graph/graph.js';
import { apply1 } from './define.js';
import { mul } from './mul.js';
import { unaryOp } from './unary.js';

/** e^x. ONNX: Exp. */
export const Exp = unaryOp({ name: 'Exp', onnx: 'Exp', save: { outputs: [true] }, vjp: (g, _x, y) => mul(g, y), ref: Math.exp });
export const exp = (x: Tensor): Tensor => apply1(Exp, [x], {});
