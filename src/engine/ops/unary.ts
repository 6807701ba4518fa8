/** Shared shape of the elementwise unary primitives: same shape and dtype out, a scalar reference function. */
import type { Tensor } from '../graph/graph.js';
import { defineOp, isFloat, type Emitter, type OpDef } from './define.js';
import { expected } from '../../tensor/errors.js';
import { refMap } from './util.js';

export interface UnarySpec {
  name: string;
  /** ONNX op type, or a custom emission. */
  onnx: string | ((e: Emitter, ins: readonly string[], outs: readonly string[]) => void);
  save: { inputs?: boolean[]; outputs?: boolean[] };
  /** Gradient of the input from the output gradient g, the input x and the output y; null: no gradient. */
  vjp: (g: Tensor, x: Tensor, y: Tensor) => Tensor | null;
  ref: (v: number) => number;
}

export function unaryOp(s: UnarySpec): OpDef<Record<string, never>> {
  const emit = s.onnx;
  return defineOp({
    name: s.name,
    arity: 1,
    shape: ([x]) => x.shape,
    dtype: ([x]) => {
      if (!isFloat(x.dtype)) throw expected(s.name, 'dtype', 'float32 or float64', x.dtype, 'E_DTYPE');
      return x.dtype;
    },
    onnx: typeof emit === 'string' ? (e, ins, outs) => e.node(emit, ins, outs) : (e, ins, outs) => emit(e, ins, outs),
    save: s.save,
    vjp: ([g], { inputs: [x], outputs: [y] }) => [s.vjp(g!, x, y)],
    ref: ([x]) => refMap([x], s.ref),
  });
}
