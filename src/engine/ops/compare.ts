/** Shared shape of the comparison primitives: broadcast, bool output, no gradient. */
import { broadcastShapes } from '../graph/shape.js';
import { defineOp, sameFloatDtype, type OpDef } from './define.js';
import { refMap } from './util.js';

export function compareOp(name: string, f: (a: number, b: number) => boolean): OpDef<Record<string, never>> {
  return defineOp({
    name,
    arity: 2,
    shape: ([a, b]) => broadcastShapes(name, a.shape, b.shape),
    dtype: ([a, b]) => (sameFloatDtype(name, a, b), 'bool'),
    onnx: (e, ins, outs) => e.node(name, ins, outs),
    save: {},
    vjp: () => [null, null], // piecewise constant
    ref: (xs) => refMap(xs, (a, b) => (f(a, b) ? 1 : 0)),
  });
}
