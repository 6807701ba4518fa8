import type { Tensor } from '../graph/graph.js';
import { apply1 } from './define.js';
import { mul } from './mul.js';
import { sub } from './sub.js';
import { unaryOp } from './unary.js';

/** Hyperbolic tangent. ONNX: Tanh. Gradient g (1 - y^2). */
export const Tanh = unaryOp({ name: 'Tanh', onnx: 'Tanh', save: { outputs: [true] }, vjp: (g, _x, y) => mul(g, sub(1, mul(y, y))), ref: Math.tanh });
export const tanh = (x: Tensor): Tensor => apply1(Tanh, [x], {});
