import type { Tensor } from '../graph/graph.js';
import { windowOut } from '../graph/shape.js';
import { apply, defineOp, sameFloatDtype } from './define.js';
import { checkNchw, convAttrs, type Conv2dAttrs } from './conv-util.js';
import { reshape } from './reshape.js';
import { scatterAdd } from './scatter-add.js';
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
  save: { outputs: [false, true] },
  vjp: ([g], { inputs: [x], outputs: [, idx] }) => [g ? reshape(scatterAdd([x.size], reshape(idx, [-1]), reshape(g, [-1])), x.shape) : null],
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
