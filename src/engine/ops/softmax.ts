import type { Tensor } from '../graph/graph.js';
import { normAxis, strides } from '../graph/shape.js';
import { apply1, defineOp, sameFloatDtype } from './define.js';
import { mul } from './mul.js';
import { sum } from './reduce-sum.js';
import { sub } from './sub.js';
import { refArray } from './util.js';

/** Reference softmax / log-softmax along one axis (max-shifted). */
export function refSoftmax(x: { data: Float64Array; shape: readonly number[] }, axis: number, logOut: boolean) {
  const out = refArray(x.shape);
  const inner = strides(x.shape)[axis];
  const n = x.shape[axis];
  const outer = x.data.length / (n * inner);
  for (let o = 0; o < outer; o++)
    for (let i = 0; i < inner; i++) {
      const at = (k: number): number => (o * n + k) * inner + i;
      let m = -Infinity;
      for (let k = 0; k < n; k++) m = Math.max(m, x.data[at(k)]);
      let s = 0;
      for (let k = 0; k < n; k++) s += Math.exp(x.data[at(k)] - m);
      for (let k = 0; k < n; k++) out.data[at(k)] = logOut ? x.data[at(k)] - m - Math.log(s) : Math.exp(x.data[at(k)] - m) / s;
    }
  return out;
}

/** e^x / sum e^x along `axis`. ONNX: Softmax. Gradient y (g - sum(y g)) (engine-notes §2.2). */
export const Softmax = defineOp<{ axis: number }>({
  name: 'Softmax',
  arity: 1,
  shape: ([x]) => x.shape,
  dtype: ([x]) => sameFloatDtype('Softmax', x),
  onnx: (e, ins, outs, { axis }) => e.node('Softmax', ins, outs, { axis }),
  save: { outputs: [true] },
  vjp: ([g], { outputs: [y], attrs: { axis } }) => [mul(y, sub(g!, sum(mul(y, g!), [axis], true)))],
  ref: ([x], { axis }) => refSoftmax(x, axis, false),
});

export const softmax = (x: Tensor, axis = -1): Tensor => apply1(Softmax, [x], { axis: normAxis('softmax', axis, x.rank) });
