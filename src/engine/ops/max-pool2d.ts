import type { Tensor } from '../graph/graph.js';
import { windowOut } from '../graph/shape.js';
import { apply, defineOp, sameFloatDtype } from './define.js';
import { checkNchw, convAttrs, type Conv2dAttrs } from './conv-util.js';
import { reshape } from './reshape.js';
import { scatterAdd } from './scatter-add.js';
import { add } from './add.js';
import { mul } from './mul.js';
import { sub } from './sub.js';
import { cast } from './cast.js';
import { col2im } from './col2im.js';
import { concat } from './concat.js';
import { equal } from './equal.js';
import { pad } from './pad.js';
import { slice } from './slice.js';
import { refArray } from './util.js';

export interface PoolAttrs extends Omit<Conv2dAttrs, 'groups'> {
  kernel: readonly [number, number];
}

export const poolOut = (x: Tensor, a: PoolAttrs): number[] => [
  x.shape[0],
  x.shape[1],
  windowOut(x.shape[2], a.kernel[0], a.stride[0], a.pads[0], a.pads[2], a.dilation[0]),
  windowOut(x.shape[3], a.kernel[1], a.stride[1], a.pads[1], a.pads[3], a.dilation[1]),
];

/**
 * Max pooling with padding (-inf) and the argmax indices (flat NCHW index into x). ONNX: MaxPool with Indices.
 * Backward (engine-notes §2.2): ScatterElements(zeros, indices, dy, reduction='add'); ties go to the first maximum.
 * On a graph built for WebGPU (`graph.target`), whose EP has no Indices output: `maxPoolGradNoIndices`.
 */
export const MaxPool2d = defineOp<PoolAttrs>({
  name: 'MaxPool2d',
  arity: 1,
  nOutputs: 2,
  // Indices only when the backward reads them (the emitter drops an unread optional output): without them MaxPool
  // takes onnxruntime's fast NCHWc kernel, and runs on the WebGPU EP, which has no Indices output
  optionalOutputs: [false, true],
  shape: ([x], a) => (checkNchw('MaxPool2d', x), [poolOut(x, a), poolOut(x, a)]),
  dtype: ([x]) => [sameFloatDtype('MaxPool2d', x), 'int64'],
  onnx: (e, ins, outs, a) => e.node('MaxPool', ins, outs, { kernel_shape: a.kernel, strides: a.stride, pads: a.pads, dilations: a.dilation }),
  save: { inputs: [true], outputs: [true, true] },
  vjp: ([g], { inputs: [x], outputs: [y, idx], attrs: a }) => {
    if (!g) return [null];
    if (x.graph.target === 'webgpu') return [maxPoolGradNoIndices(x, y, g, a)];
    return [reshape(scatterAdd([x.size], reshape(idx, [-1]), reshape(g, [-1])), x.shape)];
  },
  ref: ([x], a) => {
    const [n, c, h, w] = x.shape;
    const [, , ho, wo] = [n, c, windowOut(h, a.kernel[0], a.stride[0], a.pads[0], a.pads[2], a.dilation[0]), windowOut(w, a.kernel[1], a.stride[1], a.pads[1], a.pads[3], a.dilation[1])];
    const y = refArray([n, c, ho, wo]);
    const ind = refArray([n, c, ho, wo]);
    for (let p = 0; p < n * c; p++)
      for (let i = 0; i < ho; i++)
        for (let j = 0; j < wo; j++) {
          let m = -Infinity;
          let at = -1;
          for (let u = 0; u < a.kernel[0]; u++)
            for (let v = 0; v < a.kernel[1]; v++) {
              const yy = i * a.stride[0] - a.pads[0] + u * a.dilation[0];
              const xx = j * a.stride[1] - a.pads[1] + v * a.dilation[1];
              if (yy < 0 || yy >= h || xx < 0 || xx >= w) continue;
              const k = (p * h + yy) * w + xx;
              if (x.data[k] > m || (Number.isNaN(x.data[k]) && !Number.isNaN(m))) [m, at] = [x.data[k], k];
            }
          y.data[(p * ho + i) * wo + j] = m;
          ind.data[(p * ho + i) * wo + j] = at;
        }
    return [y, ind];
  },
});

export interface PoolOptions {
  kernel: number | readonly [number, number];
  /** default: the kernel size (PyTorch) */
  stride?: number | readonly [number, number];
  padding?: number | readonly number[];
  dilation?: number | readonly [number, number];
}

export function poolAttrs(op: string, o: PoolOptions): PoolAttrs {
  const k = convAttrs(op, { stride: o.kernel }).stride;
  const a = convAttrs(op, { stride: o.stride ?? k, padding: o.padding, dilation: o.dilation });
  return { kernel: k, stride: a.stride, pads: a.pads, dilation: a.dilation };
}

/**
 * Max pooling (PyTorch `F.max_pool2d`, ceil_mode false).
 * @example maxPool2d(x, { kernel: 3, stride: 2, padding: 1 }) // ResNet stem
 */
export const maxPool2d = (x: Tensor, opts: PoolOptions): Tensor => apply(MaxPool2d, [x], poolAttrs('maxPool2d', opts))[0];

/**
 * MaxPool's input gradient without the Indices output (the WebGPU EP has none), from standard ops only:
 * for each window tap t (row-major, as the forward scans), e_t = [x_t == y] and not an earlier tap's, so ties go to
 * the first maximum as with Indices (PyTorch's rule); then dx = col2im(g · e_t over the taps), which on the WebGPU
 * target is a ConvTranspose with one-hot kernels. Padding is -inf, which never equals a window's maximum.
 */
export function maxPoolGradNoIndices(x: Tensor, y: Tensor, g: Tensor, a: PoolAttrs): Tensor {
  const [n, c] = x.shape;
  const [ho, wo] = [y.shape[2], y.shape[3]];
  const [kh, kw] = a.kernel;
  const K = kh * kw;
  const xp = pad(x, [0, 0, a.pads[0], a.pads[1], 0, 0, a.pads[2], a.pads[3]], -Infinity);
  const taps: Tensor[] = [];
  let claimed: Tensor | null = null;
  for (let u = 0; u < kh; u++) {
    for (let v = 0; v < kw; v++) {
      const [r0, c0] = [u * a.dilation[0], v * a.dilation[1]];
      const xt = slice(xp, [
        { axis: 2, start: r0, end: r0 + (ho - 1) * a.stride[0] + 1, step: a.stride[0] },
        { axis: 3, start: c0, end: c0 + (wo - 1) * a.stride[1] + 1, step: a.stride[1] },
      ]);
      const hit = cast(equal(xt, y), g.dtype); // the mask in the gradient's dtype (float16 graphs stay float16)
      const first: Tensor = claimed ? mul(hit, sub(1, claimed)) : hit;
      claimed = claimed ? add(claimed, first) : first;
      taps.push(reshape(mul(g, first), [n, c, 1, ho, wo]));
    }
  }
  return col2im(reshape(concat(taps, 2), [n, c * K, ho * wo]), [x.shape[2], x.shape[3]], a.kernel, a);
}
