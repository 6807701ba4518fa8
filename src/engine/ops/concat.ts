import { expected } from '../../tensor/errors.js';
import type { Tensor } from '../graph/graph.js';
import { normAxis, shapeStr, strides } from '../graph/shape.js';
import { apply1, defineOp, sameFloatDtype } from './define.js';
import { slice } from './slice.js';
import { refArray } from './util.js';

/** Joins tensors along `axis`; other dims must match. ONNX: Concat. Gradient: slices of g. */
export const Concat = defineOp<{ axis: number }>({
  name: 'Concat',
  arity: [1, 1 << 20],
  shape: (xs, { axis }) => {
    const s = [...xs[0].shape];
    for (const x of xs.slice(1)) {
      if (x.rank !== s.length || x.shape.some((d, i) => i !== axis && d !== s[i])) {
        throw expected('Concat', 'shapes', `equal except on axis ${axis} (${shapeStr(xs[0].shape)})`, shapeStr(x.shape), 'E_SHAPE');
      }
      s[axis] += x.shape[axis];
    }
    return s;
  },
  dtype: (xs) => sameFloatDtype('Concat', ...xs),
  onnx: (e, ins, outs, { axis }) => e.node('Concat', ins, outs, { axis }),
  save: {},
  vjp: ([g], { inputs, attrs: { axis } }) => {
    let at = 0;
    return inputs.map((x) => slice(g!, [{ axis, start: at, end: (at += x.shape[axis]) }]));
  },
  ref: (xs, { axis }) => {
    const shape = [...xs[0].shape];
    shape[axis] = xs.reduce((a, x) => a + x.shape[axis], 0);
    const out = refArray(shape);
    const outer = strides(shape)[axis] * shape[axis];
    const nOuter = out.data.length / outer;
    let off = 0;
    for (const x of xs) {
      const inner = strides(x.shape)[axis] * x.shape[axis];
      for (let o = 0; o < nOuter; o++) out.data.set(x.data.subarray(o * inner, (o + 1) * inner), o * outer + off);
      off += inner;
    }
    return out;
  },
});

export const concat = (xs: readonly Tensor[], axis: number): Tensor => (xs.length === 1 ? xs[0] : apply1(Concat, xs, { axis: normAxis('concat', axis, xs[0].rank) }));
