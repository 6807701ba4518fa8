import { expected } from '../../tensor/errors.js';
import type { Tensor } from '../graph/graph.js';
import { sameShape, shapeStr, strides, type Shape } from '../graph/shape.js';
import { apply1, defineOp } from './define.js';
import { refArray } from './util.js';

/**
 * zeros(shape) with `updates` added at `indices` along `axis` (indices and updates share a shape).
 * ONNX: ConstantOfShape + ScatterElements(reduction='add', opset 16). Used by backward rules (Gather, MaxPool).
 */
export const ScatterAdd = defineOp<{ shape: Shape; axis: number }>({
  name: 'ScatterAdd',
  arity: 2,
  shape: ([idx, upd], { shape }) => {
    if (idx.dtype !== 'int64' || !sameShape(idx.shape, upd.shape)) throw expected('ScatterAdd', 'indices', `int64 of shape ${shapeStr(upd.shape)}`, `${idx.dtype}${shapeStr(idx.shape)}`, 'E_SHAPE');
    if (shape.length !== upd.rank) throw expected('ScatterAdd', 'target rank', String(upd.rank), String(shape.length), 'E_SHAPE');
    return shape;
  },
  dtype: ([, upd]) => upd.dtype,
  onnx: (e, ins, outs, { shape, axis }, { inputs: [, upd] }) => {
    const z = e.tmp('zeros');
    e.node('ConstantOfShape', [e.ints(shape)], [z], { value: { tensor: { dtype: upd.dtype, shape: [1], data: upd.dtype === 'float64' ? new Float64Array(1) : new Float32Array(1) } } });
    e.node('ScatterElements', [z, ins[0], ins[1]], outs, { axis, reduction: 'add' });
  },
  save: { inputs: [true, false] },
  vjp: () => {
    throw expected('ScatterAdd gradient', 'differentiation order', 'first-order gradients only', 'a gradient of a gradient');
  },
  ref: ([idx, upd], { shape, axis }) => {
    const out = refArray(shape);
    const us = strides(upd.shape);
    const os = strides(shape);
    for (let i = 0; i < upd.data.length; i++) {
      let rem = i;
      let o = 0;
      for (let d = 0; d < shape.length; d++) {
        const c = Math.floor(rem / us[d]);
        rem -= c * us[d];
        o += (d === axis ? idx.data[i] : c) * os[d];
      }
      out.data[o] += upd.data[i];
    }
    return out;
  },
});

export const scatterAdd = (shape: Shape, indices: Tensor, updates: Tensor, axis = 0): Tensor => apply1(ScatterAdd, [indices, updates], { shape: [...shape], axis });
