import type { Tensor } from '../graph/graph.js';
import { apply1 } from './define.js';
import { exp } from './exp.js';
import { mul } from './mul.js';
import { unaryOp } from './unary.js';

/** Gauss error function in float64: Maclaurin series for |x| < 3, Lentz continued fraction of erfc beyond (~1e-15). */
export function erf64(x: number): number {
  if (Number.isNaN(x)) return NaN;
  const ax = Math.abs(x);
  if (ax < 3) {
    // erf x = 2/sqrt(pi) sum_n (-1)^n x^(2n+1) / (n! (2n+1))
    let term = ax;
    let sum = ax;
    for (let n = 1; n < 200 && Math.abs(term) > 1e-17 * Math.abs(sum); n++) {
      term *= (-ax * ax) / n;
      sum += term / (2 * n + 1);
    }
    return Math.sign(x) * (2 / Math.sqrt(Math.PI)) * sum;
  }
  // erfc x = exp(-x^2)/sqrt(pi) * 1/(x + 1/2/(x + 1/(x + 3/2/(x + ...))))
  let f = ax;
  for (let k = 60; k >= 1; k--) f = ax + k / 2 / f;
  return Math.sign(x) * (1 - Math.exp(-ax * ax) / Math.sqrt(Math.PI) / f);
}

/** erf(x). ONNX: Erf. Gradient g 2/sqrt(pi) e^(-x^2). */
export const Erf = unaryOp({ name: 'Erf', onnx: 'Erf', save: { inputs: [true] }, vjp: (g, x) => mul(g, mul(exp(mul(mul(x, x), -1)), 2 / Math.sqrt(Math.PI))), ref: erf64 });
export const erf = (x: Tensor): Tensor => apply1(Erf, [x], {});
