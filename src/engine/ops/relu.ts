import type { Tensor } from '../graph/graph.js';
import { apply1 } from './define.js';
import { mul } from './mul.js';
import { sign } from './sign.js';
import { unaryOp } from './unary.js';

/** max(x, 0). ONNX: Relu. Backward Mul(g, Sign(y)) (engine-notes §2.2): gradient 0 at x = 0, as in PyTorch. */
export const Relu = unaryOp({ name: 'Relu', onnx: 'Relu', save: { outputs: [true] }, vjp: (g, _x, y) => mul(g, sign(y)), ref: (v) => (v > 0 ? v : Number.isNaN(v) ? NaN : 0) });
export const relu = (x: Tensor): Tensor => apply1(Relu, [x], {});
