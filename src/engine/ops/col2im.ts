import { expected } from '../../tensor/errors.js';
import type { Tensor } from '../graph/graph.js';
import { shapeStr, windowOut } from '../graph/shape.js';
import { oneHotKernels, type Conv2dAttrs } from './conv-util.js';
import { im2col, outPad } from './conv2d.js';
import { convTranspose2d } from './conv-transpose2d.js';
import { apply1, defineOp, sameFloatDtype } from './define.js';
import { reshape } from './reshape.js';
import { refArray } from './util.js';

export interface Col2ImAttrs extends Omit<Conv2dAttrs, 'groups'> {
  /** [H, W] of the image the columns came from */
  image: readonly [number, number];
  /** [kh, kw] */
  kernel: readonly [number, number];
}

/**
 * col2im: window columns [N, C*kh*kw, L] -> image [N, C, H, W], each tap added into the pixel it was read from (the
 * adjoint of im2col, so the VJP is im2col). ONNX: Col2Im (opset 18). It finishes a conv's dX computed as one GEMM
 * over the batch (conv2d's convInputGrad): onnxruntime's Col2Im is 2.5x faster there than the same sum as a
 * ConvTranspose with one-hot kernels (1.1 vs 2.8 ms for ResNet-18 layer4's [8, 512*9, 49]).
 */
export const Col2Im = defineOp<Col2ImAttrs>({
  name: 'Col2Im',
  arity: 1,
  opset: 18,
  shape: ([x], a) => {
    const [kh, kw] = a.kernel;
    const L = windowOut(a.image[0], kh, a.stride[0], a.pads[0], a.pads[2], a.dilation[0]) * windowOut(a.image[1], kw, a.stride[1], a.pads[1], a.pads[3], a.dilation[1]);
    if (x.rank !== 3 || x.shape[1] % (kh * kw) !== 0 || x.shape[2] !== L) {
      throw expected('Col2Im', 'columns', `[N, C*${kh * kw}, ${L}] for a ${a.image.join('x')} image`, shapeStr(x.shape), 'E_SHAPE');
    }
    return [x.shape[0], x.shape[1] / (kh * kw), a.image[0], a.image[1]];
  },
  dtype: (xs) => sameFloatDtype('Col2Im', ...xs),
  onnx: (e, [x], outs, a) => e.node('Col2Im', [x, e.ints(a.image), e.ints(a.kernel)], outs, { strides: a.stride, pads: a.pads, dilations: a.dilation }),
  save: {},
  vjp: ([g], { inputs: [x], attrs: a }) => [reshape(im2col(g!, a.kernel[0], a.kernel[1], a, 1), x.shape)],
  ref: ([x], a) => {
    const [n, ck] = x.shape;
    const [kh, kw] = a.kernel;
    const [h, w] = a.image;
    const c = ck / (kh * kw);
    const ho = windowOut(h, kh, a.stride[0], a.pads[0], a.pads[2], a.dilation[0]);
    const wo = windowOut(w, kw, a.stride[1], a.pads[1], a.pads[3], a.dilation[1]);
    const out = refArray([n, c, h, w]);
    for (let ni = 0; ni < n; ni++)
      for (let ci = 0; ci < c; ci++)
        for (let i = 0; i < kh; i++)
          for (let j = 0; j < kw; j++)
            for (let y = 0; y < ho; y++)
              for (let xo = 0; xo < wo; xo++) {
                const yy = y * a.stride[0] - a.pads[0] + i * a.dilation[0];
                const xx = xo * a.stride[1] - a.pads[1] + j * a.dilation[1];
                if (yy < 0 || yy >= h || xx < 0 || xx >= w) continue;
                out.data[((ni * c + ci) * h + yy) * w + xx] += x.data[((ni * ck + (ci * kh + i) * kw + j) * ho + y) * wo + xo];
              }
    return out;
  },
});

/**
 * Columns [N, C*kh*kw, L] back to an image [N, C, H, W] (windows of `kernel` taps with attrs `a`), summing overlaps.
 * On a graph built for WebGPU (`graph.target`), whose EP has no Col2Im, the same sum is a ConvTranspose of the N*C
 * images [kh*kw, Ho, Wo] with one-hot kernels.
 * @example col2im(cols, [14, 14], [3, 3], { stride: [2, 2], pads: [1, 1, 1, 1], dilation: [1, 1] })
 */
export function col2im(cols: Tensor, image: readonly [number, number], kernel: readonly [number, number], a: Omit<Conv2dAttrs, 'groups'>): Tensor {
  const attrs: Col2ImAttrs = { image, kernel, stride: a.stride, pads: a.pads, dilation: a.dilation };
  const [n, c, h, w] = Col2Im.shape([cols], attrs) as number[];
  if (cols.graph.target === 'cpu') return apply1(Col2Im, [cols], attrs);
  const [kh, kw] = kernel;
  const ho = windowOut(h, kh, a.stride[0], a.pads[0], a.pads[2], a.dilation[0]);
  const wo = windowOut(w, kw, a.stride[1], a.pads[1], a.pads[3], a.dilation[1]);
  const perImage = reshape(cols, [n * c, kh * kw, ho, wo]);
  const outputPadding = outPad(perImage, [n, c, h, w], kernel, a);
  return reshape(convTranspose2d(perImage, oneHotKernels(cols, kh, kw), null, { stride: a.stride, padding: a.pads, dilation: a.dilation, outputPadding }), [n, c, h, w]);
}
