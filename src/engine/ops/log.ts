import type { Tensor } from '../graph/graph.js';
import { apply1 } from './define.js';
import { div } from './div.js';
import { unaryOp } from './unary.js';

/** Natural logarithm. ONNX: Log. */
export const Log = unaryOp({ name: 'Log', onnx: 'Log', save: { inputs: [true] }, vjp: (g, x) => div(g, x), ref: Math.log });
export const log = (x: Tensor): Tensor => apply1(Log, [x], {});
