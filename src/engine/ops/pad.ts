import { expected } from '../../tensor/errors.js';
import type { Tensor } from '../graph/graph.js';
import { strides } from '../graph/shape.js';
import { apply1, defineOp } from './define.js';
import { slice } from './slice.js';
import { refArray } from './util.js';

/** Constant padding; `pads` = [begin_0..begin_{r-1}, end_0..end_{r-1}] (ONNX order), all >= 0. ONNX: Pad. */
export const Pad = defineOp<{ pads: readonly number[]; value: number }>({
  name: 'Pad',
  arity: 1,
  shape: ([x], { pads }) => {
    if (pads.length !== 2 * x.rank || pads.some((p) => !Number.isInteger(p) || p < 0)) {
      throw expected('Pad', 'pads', `${2 * x.rank} non-negative integers`, `[${pads.join(', ')}]`, 'E_SHAPE');
    }
    return x.shape.map((d, i) => d + pads[i] + pads[i + x.rank]);
  },
  dtype: ([x]) => x.dtype,
  onnx: (e, ins, outs, { pads, value }, { inputs: [x] }) => e.node('Pad', [ins[0], e.ints(pads), e.scalar(value, x.dtype)], outs, { mode: 'constant' }),
  save: {},
  vjp: ([g], { inputs: [x], attrs: { pads } }) => [slice(g!, x.shape.map((d, i) => ({ axis: i, start: pads[i], end: pads[i] + d })))],
  ref: ([x], { pads, value }) => {
    const r = x.shape.length;
    const shape = x.shape.map((d, i) => d + pads[i] + pads[i + r]);
    const out = refArray(shape);
    out.data.fill(value);
    const xs = strides(x.shape);
    const os = strides(shape);
    for (let i = 0; i < x.data.length; i++) {
      let rem = i;
      let o = 0;
      for (let d = 0; d < r; d++) {
        const c = Math.floor(rem / xs[d]);
        rem -= c * xs[d];
        o += (c + pads[d]) * os[d];
      }
      out.data[o] = x.data[i];
    }
    return out;
  },
});

export const pad = (x: Tensor, pads: readonly number[], value = 0): Tensor => (pads.every((p) => p === 0) ? x : apply1(Pad, [x], { pads, value }));
