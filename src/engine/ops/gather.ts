import { expected } from '../../tensor/errors.js';
import type { Tensor } from '../graph/graph.js';
import { normAxis, strides } from '../graph/shape.js';
import { apply1, defineOp, isFloat } from './define.js';
import { expand } from './expand.js';
import { reshape } from './reshape.js';
import { scatterAdd } from './scatter-add.js';
import { refArray } from './util.js';

/** Picks entries `indices` (1-D int64) along `axis`. ONNX: Gather. Gradient: ScatterElements(add) of g. */
export const Gather = defineOp<{ axis: number }>({
  name: 'Gather',
  arity: 2,
  shape: ([x, idx], { axis }) => {
    if (idx.rank !== 1 || idx.dtype !== 'int64') throw expected('Gather', 'indices', '1-D int64', `${idx.rank}-D ${idx.dtype}`, 'E_SHAPE');
    if (!isFloat(x.dtype)) throw expected('Gather', 'data dtype', 'float', x.dtype, 'E_DTYPE');
    return x.shape.map((d, i) => (i === axis ? idx.shape[0] : d));
  },
  dtype: ([x]) => x.dtype,
  onnx: (e, ins, outs, { axis }) => e.node('Gather', ins, outs, { axis }),
  save: { inputs: [false, true] },
  vjp: ([g], { inputs: [x, idx], attrs: { axis } }) => {
    const at = g!.shape.map((d, i) => (i === axis ? d : 1));
    return [scatterAdd(x.shape, expand(reshape(idx, at), g!.shape), g!, axis), null];
  },
  ref: ([x, idx], { axis }) => {
    const shape = x.shape.map((d, i) => (i === axis ? idx.shape[0] : d));
    const out = refArray(shape);
    const inner = strides(x.shape)[axis];
    const outer = out.data.length / (inner * idx.shape[0]);
    for (let o = 0; o < outer; o++)
      for (let k = 0; k < idx.shape[0]; k++) {
        const j = idx.data[k] < 0 ? idx.data[k] + x.shape[axis] : idx.data[k];
        out.data.set(x.data.subarray((o * x.shape[axis] + j) * inner, (o * x.shape[axis] + j + 1) * inner), (o * idx.shape[0] + k) * inner);
      }
    return out;
  },
});

export const gather = (x: Tensor, indices: Tensor, axis = 0): Tensor => apply1(Gather, [x, indices], { axis: normAxis('gather', axis, x.rank) });
