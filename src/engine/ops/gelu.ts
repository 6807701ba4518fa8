import type { Tensor } from '../graph/graph.js';
import { add } from './add.js';
import { apply1 } from './define.js';
import { erf, erf64 } from './erf.js';
import { exp } from './exp.js';
import { mul } from './mul.js';
import { unaryOp } from './unary.js';

/**
 * Exact GELU x Phi(x), Phi the standard normal CDF (torch.nn.functional.gelu, approximate='none'). ONNX: Gelu (opset 20).
 * Gradient g (Phi(x) + x phi(x)), phi the normal density.
 */
export const Gelu = unaryOp({
  name: 'Gelu',
  onnx: 'Gelu',
  save: { inputs: [true] },
  vjp: (g, x) => {
    const cdf = mul(add(erf(mul(x, Math.SQRT1_2)), 1), 0.5);
    const pdf = mul(exp(mul(mul(x, x), -0.5)), 1 / Math.sqrt(2 * Math.PI));
    return mul(g, add(cdf, mul(x, pdf)));
  },
  ref: (v) => 0.5 * v * (1 + erf64(v * Math.SQRT1_2)),
});
export const gelu = (x: Tensor): Tensor => apply1(Gelu, [x], {});
