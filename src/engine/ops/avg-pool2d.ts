import { expected } from '../../tensor/errors.js';
import type { Tensor } from '../graph/graph.js';
import { windowOut } from '../graph/shape.js';
import { apply1, constant, defineOp, sameFloatDtype } from './define.js';
import { checkNchw, type Conv2dAttrs } from './conv-util.js';
import { convTranspose2d } from './conv-transpose2d.js';
import { div } from './div.js';
import { poolAttrs, poolOut, type PoolOptions } from './max-pool2d.js';
import { refArray } from './util.js';

export interface AvgAttrs extends Omit<Conv2dAttrs, 'groups'> {
  kernel: readonly [number, number];
  countIncludePad: boolean;
}

/** Window sizes per output position: kh*kw, or the in-bounds count when padding is excluded. */
function counts(h: number, w: number, a: AvgAttrs): Float64Array {
  const ho = windowOut(h, a.kernel[0], a.stride[0], a.pads[0], a.pads[2], 1);
  const wo = windowOut(w, a.kernel[1], a.stride[1], a.pads[1], a.pads[3], 1);
  const c = new Float64Array(ho * wo);
  for (let i = 0; i < ho; i++)
    for (let j = 0; j < wo; j++) {
      if (a.countIncludePad) {
        c[i * wo + j] = a.kernel[0] * a.kernel[1];
        continue;
      }
      const y0 = i * a.stride[0] - a.pads[0];
      const x0 = j * a.stride[1] - a.pads[1];
      const ny = Math.min(h, y0 + a.kernel[0]) - Math.max(0, y0);
      const nx = Math.min(w, x0 + a.kernel[1]) - Math.max(0, x0);
      c[i * wo + j] = ny * nx;
    }
  return c;
}

/**
 * Average pooling (ceil_mode false). ONNX: AveragePool. Backward: ConvTranspose of dy / count with a depthwise
 * kernel of ones, i.e. each input position receives the sum of dy / count over the windows that contain it.
 */
export const AvgPool2d = defineOp<AvgAttrs>({
  name: 'AvgPool2d',
  arity: 1,
  shape: ([x], a) => {
    checkNchw('AvgPool2d', x);
    if (a.dilation.some((d) => d !== 1)) throw expected('AvgPool2d', 'dilation', '1', `[${a.dilation.join(', ')}]`);
    return poolOut(x, a);
  },
  dtype: ([x]) => sameFloatDtype('AvgPool2d', x),
  onnx: (e, ins, outs, a) => e.node('AveragePool', ins, outs, { kernel_shape: a.kernel, strides: a.stride, pads: a.pads, count_include_pad: a.countIncludePad ? 1 : 0 }),
  save: {},
  vjp: ([g], { inputs: [x], attrs: a }) => {
    const [, c, h, w] = x.shape;
    const [ho, wo] = [g!.shape[2], g!.shape[3]];
    const cnt = constant(x.graph, [ho, wo], counts(h, w, a), x.dtype);
    const ones = constant(x.graph, [c, 1, a.kernel[0], a.kernel[1]], new Float64Array(c * a.kernel[0] * a.kernel[1]).fill(1), x.dtype);
    const outPad: [number, number] = [h - ((ho - 1) * a.stride[0] - a.pads[0] - a.pads[2] + a.kernel[0]), w - ((wo - 1) * a.stride[1] - a.pads[1] - a.pads[3] + a.kernel[1])];
    return [convTranspose2d(div(g!, cnt), ones, null, { stride: a.stride, padding: a.pads, groups: c, outputPadding: outPad })];
  },
  ref: ([x], a) => {
    const [n, c, h, w] = x.shape;
    const ho = windowOut(h, a.kernel[0], a.stride[0], a.pads[0], a.pads[2], 1);
    const wo = windowOut(w, a.kernel[1], a.stride[1], a.pads[1], a.pads[3], 1);
    const cnt = counts(h, w, a);
    const y = refArray([n, c, ho, wo]);
    for (let p = 0; p < n * c; p++)
      for (let i = 0; i < ho; i++)
        for (let j = 0; j < wo; j++) {
          let s = 0;
          for (let u = 0; u < a.kernel[0]; u++)
            for (let v = 0; v < a.kernel[1]; v++) {
              const yy = i * a.stride[0] - a.pads[0] + u;
              const xx = j * a.stride[1] - a.pads[1] + v;
              if (yy >= 0 && yy < h && xx >= 0 && xx < w) s += x.data[(p * h + yy) * w + xx];
            }
          y.data[(p * ho + i) * wo + j] = s / cnt[i * wo + j];
        }
    return y;
  },
});

/**
 * Average pooling (PyTorch `F.avg_pool2d`; `countIncludePad` defaults to true as there).
 * @example avgPool2d(x, { kernel: 2 }) // halves H and W
 */
export const avgPool2d = (x: Tensor, opts: PoolOptions & { countIncludePad?: boolean }): Tensor =>
  apply1(AvgPool2d, [x], { ...poolAttrs('avgPool2d', opts), countIncludePad: opts.countIncludePad ?? true });
