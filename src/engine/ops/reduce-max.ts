import type { Tensor } from '../graph/graph.js';
import { apply1, defineOp } from './define.js';
import { cast } from './cast.js';
import { div } from './div.js';
import { equal } from './equal.js';
import { expand } from './expand.js';
import { mul } from './mul.js';
import { checkReduce, normAxes, reducedShape, refReduce, sum, type ReduceAttrs } from './reduce-sum.js';
import { reshape } from './reshape.js';

/**
 * Maximum over `axes`. ONNX: ReduceMax. Gradient: g to the elements equal to the max, split evenly among ties
 * (PyTorch's amax rule; tinygrad splits the same way).
 */
export const ReduceMax = defineOp<ReduceAttrs>({
  name: 'ReduceMax',
  arity: 1,
  shape: ([x], a) => (checkReduce('ReduceMax', x), reducedShape(x.shape, a)),
  dtype: ([x]) => x.dtype,
  onnx: (e, ins, outs, { axes, keepdims }) => e.node('ReduceMax', [ins[0], e.ints(axes)], outs, { keepdims: keepdims ? 1 : 0 }),
  save: { inputs: [true], outputs: [true] },
  vjp: ([g], { inputs: [x], outputs: [y], attrs }) => {
    const keep = reducedShape(x.shape, { ...attrs, keepdims: true });
    const mask = cast(equal(x, expand(reshape(y, keep), x.shape)), x.dtype);
    const share = div(mask, sum(mask, attrs.axes, true));
    return [mul(share, reshape(g!, keep))];
  },
  ref: ([x], a) => refReduce(x, a, -Infinity, (m, v) => (Number.isNaN(m) || Number.isNaN(v) ? NaN : Math.max(m, v))),
});

/** Maximum over `axes` (all when omitted). */
export function max(x: Tensor, axes?: readonly number[], keepdims = false): Tensor {
  return apply1(ReduceMax, [x], { axes: normAxes('max', axes ?? x.shape.map((_, i) => i), x.rank), keepdims });
}
