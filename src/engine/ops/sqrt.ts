import type { Tensor } from '../graph/graph.js';
import { apply1 } from './define.js';
import { div } from './div.js';
import { mul } from './mul.js';
import { unaryOp } from './unary.js';

/** Square root. ONNX: Sqrt. Gradient g / (2 sqrt(x)): infinite at x = 0 (as in PyTorch). */
export const Sqrt = unaryOp({ name: 'Sqrt', onnx: 'Sqrt', save: { outputs: [true] }, vjp: (g, _x, y) => div(g, mul(y, 2)), ref: Math.sqrt });
export const sqrt = (x: Tensor): Tensor => apply1(Sqrt, [x], {});
