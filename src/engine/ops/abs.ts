import type { Tensor } from '../graph/graph.js';
import { apply1 } from './define.js';
import { mul } from './mul.js';
import { sign } from './sign.js';
import { unaryOp } from './unary.js';

/** |x|. ONNX: Abs. Gradient g * sign(x): 0 at x = 0 (the subgradient PyTorch uses). */
export const Abs = unaryOp({ name: 'Abs', onnx: 'Abs', save: { inputs: [true] }, vjp: (g, x) => mul(g, sign(x)), ref: Math.abs });
export const abs = (x: Tensor): Tensor => apply1(Abs, [x], {});
