import { expected } from '../../tensor/errors.js';
import type { Tensor } from '../graph/graph.js';
import { shapeStr } from '../graph/shape.js';
import { apply1, defineOp, sameFloatDtype } from './define.js';
import { checkNchw, convAttrs, onnxConvAttrs, type Conv2dAttrs, type Conv2dOptions } from './conv-util.js';
import { conv2d, im2col } from './conv2d.js';
import { matmul } from './matmul.js';
import { sum } from './reduce-sum.js';
import { reshape } from './reshape.js';
import { transpose } from './transpose.js';
import { refArray } from './util.js';

export interface ConvTAttrs extends Conv2dAttrs {
  outputPadding: readonly [number, number];
}

const outSize = (h: number, k: number, a: ConvTAttrs, ax: 0 | 1): number =>
  (h - 1) * a.stride[ax] - a.pads[ax] - a.pads[ax + 2] + a.dilation[ax] * (k - 1) + 1 + a.outputPadding[ax];

/**
 * Transposed convolution (PyTorch conv_transpose2d): x [N, Cin, H, W], w [Cin, Cout/groups, kh, kw], bias [Cout].
 * ONNX: ConvTranspose. Gradients: dX is the forward Conv with the same attributes; dW is x @ im2col(dy)^T.
 */
export const ConvTranspose2d = defineOp<ConvTAttrs>({
  name: 'ConvTranspose2d',
  arity: [2, 3],
  shape: ([x, w, b], a) => {
    checkNchw('ConvTranspose2d', x);
    if (w.rank !== 4 || w.shape[0] !== x.shape[1] || x.shape[1] % a.groups !== 0) {
      throw expected('ConvTranspose2d', 'weight shape', `[${x.shape[1]}, Cout/${a.groups}, kh, kw]`, shapeStr(w.shape), 'E_SHAPE');
    }
    const co = w.shape[1] * a.groups;
    if (b && (b.rank !== 1 || b.shape[0] !== co)) throw expected('ConvTranspose2d', 'bias shape', `[${co}]`, shapeStr(b.shape), 'E_SHAPE');
    if (a.outputPadding.some((p, i) => p < 0 || p >= Math.max(a.stride[i], a.dilation[i]))) {
      throw expected('ConvTranspose2d', 'outputPadding', 'smaller than stride or dilation', `[${a.outputPadding.join(', ')}]`);
    }
    return [x.shape[0], co, outSize(x.shape[2], w.shape[2], a, 0), outSize(x.shape[3], w.shape[3], a, 1)];
  },
  dtype: (xs) => sameFloatDtype('ConvTranspose2d', ...xs),
  onnx: (e, ins, outs, a) => e.node('ConvTranspose', ins, outs, { ...onnxConvAttrs(a), output_padding: a.outputPadding }),
  save: { inputs: [true, true, false] },
  vjp: ([g], { inputs: [x, w, b], attrs: a }) => {
    const dx = conv2d(g!, w, null, { stride: a.stride, padding: a.pads, dilation: a.dilation, groups: a.groups });
    const [n, ci, h, wd] = x.shape;
    const cols = im2col(g!, w.shape[2], w.shape[3], a, a.groups); // [N, G, Cout/G*k2, H*W]
    const xr = reshape(x, [n, a.groups, ci / a.groups, h * wd]);
    const dw = reshape(sum(matmul(xr, transpose(cols, [0, 1, 3, 2])), [0]), w.shape);
    return [dx, dw, b ? sum(g!, [0, 2, 3]) : null];
  },
  ref: ([x, w, b], a) => {
    const [n, ci, h, wd] = x.shape;
    const [, cog, kh, kw] = w.shape;
    const co = cog * a.groups;
    const [ho, wo] = [outSize(h, kh, a, 0), outSize(wd, kw, a, 1)];
    const out = refArray([n, co, ho, wo]);
    const cig = ci / a.groups;
    for (let ni = 0; ni < n; ni++)
      for (let c = 0; c < ci; c++) {
        const gi = Math.floor(c / cig);
        for (let y = 0; y < h; y++)
          for (let xx = 0; xx < wd; xx++) {
            const v = x.data[((ni * ci + c) * h + y) * wd + xx];
            for (let oc = 0; oc < cog; oc++)
              for (let i = 0; i < kh; i++) {
                const yy = y * a.stride[0] - a.pads[0] + i * a.dilation[0];
                if (yy < 0 || yy >= ho) continue;
                for (let j = 0; j < kw; j++) {
                  const xo = xx * a.stride[1] - a.pads[1] + j * a.dilation[1];
                  if (xo < 0 || xo >= wo) continue;
                  out.data[((ni * co + gi * cog + oc) * ho + yy) * wo + xo] += v * w.data[((c * cog + oc) * kh + i) * kw + j];
                }
              }
          }
      }
    if (b) for (let i = 0; i < out.data.length; i++) out.data[i] += b.data[Math.floor(i / (ho * wo)) % co];
    return out;
  },
});

/**
 * Transposed convolution (PyTorch `F.conv_transpose2d`).
 * @example convTranspose2d(x, w, null, { stride: 2, padding: 1, outputPadding: [1, 1] })
 */
export function convTranspose2d(x: Tensor, w: Tensor, b?: Tensor | null, opts: Conv2dOptions & { outputPadding?: readonly [number, number] } = {}): Tensor {
  return apply1(ConvTranspose2d, b ? [x, w, b] : [x, w], { ...convAttrs('convTranspose2d', opts), outputPadding: opts.outputPadding ?? [0, 0] });
}
