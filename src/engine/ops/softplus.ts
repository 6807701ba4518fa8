import type { Tensor } from '../graph/graph.js';
import { apply1 } from './define.js';
import { mul } from './mul.js';
import { sigmoid } from './sigmoid.js';
import { unaryOp } from './unary.js';

/** log(1 + e^x). ONNX: Softplus. Gradient g sigmoid(x). */
export const Softplus = unaryOp({
  name: 'Softplus',
  onnx: 'Softplus',
  save: { inputs: [true] },
  vjp: (g, x) => mul(g, sigmoid(x)),
  ref: (v) => Math.max(v, 0) + Math.log1p(Math.exp(-Math.abs(v))),
});
export const softplus = (x: Tensor): Tensor => apply1(Softplus, [x], {});
