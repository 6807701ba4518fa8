import { expected } from '../../tensor/errors.js';
import type { Tensor } from '../graph/graph.js';
import { strides } from '../graph/shape.js';
import { apply1, defineOp } from './define.js';
import { refArray } from './util.js';

/** Permutes axes: out.shape[i] = x.shape[perm[i]]. ONNX: Transpose. Gradient: the inverse permutation. */
export const Transpose = defineOp<{ perm: readonly number[] }>({
  name: 'Transpose',
  arity: 1,
  shape: ([x], { perm }) => {
    const ok = perm.length === x.rank && [...perm].sort((a, b) => a - b).every((p, i) => p === i);
    if (!ok) throw expected('Transpose', 'perm', `a permutation of 0..${x.rank - 1}`, `[${perm.join(', ')}]`, 'E_SHAPE');
    return perm.map((p) => x.shape[p]);
  },
  dtype: ([x]) => x.dtype,
  onnx: (e, ins, outs, { perm }) => e.node('Transpose', ins, outs, { perm }),
  save: {},
  vjp: ([g], { attrs: { perm } }) => {
    const inv = new Array<number>(perm.length);
    perm.forEach((p, i) => (inv[p] = i));
    return [transpose(g!, inv)];
  },
  ref: ([x], { perm }) => {
    const shape = perm.map((p) => x.shape[p]);
    const out = refArray(shape);
    const xs = strides(x.shape);
    const os = strides(shape);
    for (let o = 0; o < out.data.length; o++) {
      let rem = o;
      let i = 0;
      for (let d = 0; d < shape.length; d++) {
        const c = Math.floor(rem / os[d]);
        rem -= c * os[d];
        i += c * xs[perm[d]];
      }
      out.data[o] = x.data[i];
    }
    return out;
  },
});

export const transpose = (x: Tensor, perm: readonly number[]): Tensor => (perm.every((p, i) => p === i) && perm.length === x.rank ? x : apply1(Transpose, [x], { perm }));
