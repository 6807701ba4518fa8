import type { DType } from '../../tensor/ndarray.js';
import type { Tensor } from '../graph/graph.js';
import { apply1, defineOp, isFloat } from './define.js';
import { refMap } from './util.js';

const ONNX_TYPE: Record<DType, number> = { float32: 1, float64: 11, int64: 7, bool: 9 };

/** Converts the element type. ONNX: Cast. Gradient flows between float types only. */
export const Cast = defineOp<{ to: DType }>({
  name: 'Cast',
  arity: 1,
  shape: ([x]) => x.shape,
  dtype: (_, { to }) => to,
  onnx: (e, ins, outs, { to }) => e.node('Cast', ins, outs, { to: ONNX_TYPE[to] }),
  save: {},
  vjp: ([g], { inputs: [x], attrs: { to } }) => [isFloat(x.dtype) && isFloat(to) ? cast(g!, x.dtype) : null],
  ref: ([x], { to }) => refMap([x], to === 'bool' ? (v) => (v !== 0 ? 1 : 0) : to === 'int64' ? Math.trunc : (v) => v),
});

export const cast = (x: Tensor, to: DType): Tensor => (x.dtype === to ? x : apply1(Cast, [x], { to }));
