import type { Tensor } from '../graph/graph.js';
import { apply1 } from './define.js';
import { mul } from './mul.js';
import { sub } from './sub.js';
import { unaryOp } from './unary.js';

/** 1 / (1 + e^-x). ONNX: Sigmoid. Gradient g y (1 - y). */
export const Sigmoid = unaryOp({ name: 'Sigmoid', onnx: 'Sigmoid', save: { outputs: [true] }, vjp: (g, _x, y) => mul(g, mul(y, sub(1, y))), ref: (v) => 1 / (1 + Math.exp(-v)) });
export const sigmoid = (x: Tensor): Tensor => apply1(Sigmoid, [x], {});
