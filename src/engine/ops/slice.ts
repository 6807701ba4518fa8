import { expected } from '../../tensor/errors.js';
import type { Tensor } from '../graph/graph.js';
import { normAxis, strides } from '../graph/shape.js';
import { apply1, defineOp, type OpContext } from './define.js';
import { pad } from './pad.js';
import { refArray } from './util.js';

/**
 * Strided window along some axes. Attributes are normalised when built: for step > 0, 0 <= start <= end <= dim;
 * for step < 0, dim > start >= end >= -1 (-1: through index 0). ONNX: Slice.
 */
export interface SliceAttrs {
  axes: readonly number[];
  starts: readonly number[];
  ends: readonly number[];
  steps: readonly number[];
}

const count = (s: number, e: number, st: number): number => Math.max(0, Math.ceil((e - s) / st));

export const Slice = defineOp<SliceAttrs>({
  name: 'Slice',
  arity: 1,
  shape: ([x], a) => {
    const s = [...x.shape];
    a.axes.forEach((ax, i) => (s[ax] = count(a.starts[i], a.ends[i], a.steps[i])));
    return s;
  },
  dtype: ([x]) => x.dtype,
  // A negative end of -1 would mean "the last element" in ONNX; -dim-1 means "before index 0".
  onnx: (e, ins, outs, a, { inputs: [x] }) =>
    e.node('Slice', [ins[0], e.ints(a.starts), e.ints(a.ends.map((v, i) => (v === -1 ? -x.shape[a.axes[i]] - 1 : v))), e.ints(a.axes), e.ints(a.steps)], outs),
  save: {},
  vjp: ([g], ctx) => [sliceGrad(g!, ctx)],
  ref: ([x], a) => {
    const shape = [...x.shape];
    const start = new Array<number>(x.shape.length).fill(0);
    const step = new Array<number>(x.shape.length).fill(1);
    a.axes.forEach((ax, i) => {
      shape[ax] = count(a.starts[i], a.ends[i], a.steps[i]);
      start[ax] = a.starts[i];
      step[ax] = a.steps[i];
    });
    const out = refArray(shape);
    const xs = strides(x.shape);
    const os = strides(shape);
    for (let o = 0; o < out.data.length; o++) {
      let rem = o;
      let i = 0;
      for (let d = 0; d < shape.length; d++) {
        const c = Math.floor(rem / os[d]);
        rem -= c * os[d];
        i += (start[d] + c * step[d]) * xs[d];
      }
      out.data[o] = x.data[i];
    }
    return out;
  },
});

// Unit steps scatter back with Pad; a reversed axis is reversed back first. Other steps are refused.
function sliceGrad(g: Tensor, { inputs: [x], attrs: a }: OpContext<SliceAttrs>): Tensor {
  const r = x.rank;
  const pads = new Array<number>(2 * r).fill(0);
  let flipAxes: number[] = [];
  a.axes.forEach((ax, i) => {
    const [s, e, st] = [a.starts[i], a.ends[i], a.steps[i]];
    if (st === 1) {
      pads[ax] = s;
      pads[ax + r] = x.shape[ax] - e;
    } else if (st === -1) {
      flipAxes = [...flipAxes, ax];
      pads[ax] = e + 1;
      pads[ax + r] = x.shape[ax] - 1 - s;
    } else throw expected('Slice gradient', `step on axis ${ax}`, '1 or -1', String(st));
  });
  const gf = flipAxes.length ? slice(g, flipAxes.map((ax) => ({ axis: ax, step: -1 }))) : g;
  return pad(gf, pads, 0);
}

export interface SliceSpec {
  axis: number;
  start?: number;
  end?: number;
  step?: number;
}

/**
 * Python-style slicing per axis (negative start/end count from the end; omitted: the whole axis in `step`'s direction).
 * @example slice(x, [{ axis: 1, start: 2, end: 5 }, { axis: 3, step: -1 }]) // x[:, 2:5, :, ::-1]
 */
export function slice(x: Tensor, specs: readonly SliceSpec[]): Tensor {
  const a: SliceAttrs = { axes: [], starts: [], ends: [], steps: [] };
  for (const sp of specs) {
    const ax = normAxis('slice', sp.axis, x.rank);
    const dim = x.shape[ax];
    const st = sp.step ?? 1;
    if (!Number.isInteger(st) || st === 0) throw expected('slice', 'step', 'a non-zero integer', String(st));
    const norm = (v: number, lo: number, hi: number): number => Math.min(hi, Math.max(lo, v < 0 ? v + dim : v));
    const [s, e] = st > 0 ? [norm(sp.start ?? 0, 0, dim), norm(sp.end ?? dim, 0, dim)] : [norm(sp.start ?? dim - 1, -1, dim - 1), sp.end === undefined ? -1 : norm(sp.end, -1, dim - 1)];
    (a.axes as number[]).push(ax);
    (a.starts as number[]).push(s);
    (a.ends as number[]).push(st > 0 ? Math.max(s, e) : Math.min(s, e));
    (a.steps as number[]).push(st);
  }
  return apply1(Slice, [x], a);
}
