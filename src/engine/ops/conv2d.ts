import { expected } from '../../tensor/errors.js';
import type { Tensor } from '../graph/graph.js';
import { shapeStr, windowOut } from '../graph/shape.js';
import type { RefArray } from '../graph/graph.js';
import { add } from './add.js';
import { apply1, constant, defineOp, sameFloatDtype } from './define.js';
import { checkNchw, convAttrs, onnxConvAttrs, oneHotKernels, type Conv2dAttrs, type Conv2dOptions } from './conv-util.js';
import { col2im } from './col2im.js';
import { convTranspose2d } from './conv-transpose2d.js';
import { matmul } from './matmul.js';
import { pad } from './pad.js';
import { sum } from './reduce-sum.js';
import { reshape } from './reshape.js';
import { slice } from './slice.js';
import { transpose } from './transpose.js';
import { refArray } from './util.js';

/**
 * 2-D cross-correlation (PyTorch conv2d): x [N, C, H, W], w [O, C/groups, kh, kw], optional bias [O]. ONNX: Conv.
 * Backward (engine-notes §3; forms picked per shape by measurement, see convInputGrad / convWeightGrad):
 * - dX: one GEMM over the batch + Col2Im when dy is <= 8x8; a flipped-kernel conv at stride 1 (as
 *   im2col + MatMul on maps <= 14x14); a 1x1 conv + zero interleave for strided unpadded 1x1; else ConvTranspose.
 * - dW: im2col (a one-hot Conv) + MatMul, or a plain MatMul for 1x1 stride-1 unpadded convs, with the batch folded
 *   into the MatMul where that beats a ReduceSum over N.
 * In training graphs small-map 3x3 convs run as Conv2dCols (im2col + MatMul) and share the columns with dW.
 */
export const Conv2d = defineOp<Conv2dAttrs>({
  name: 'Conv2d',
  arity: [2, 3],
  shape: ([x, w, b], a) => {
    checkNchw('Conv2d', x);
    const [n, c, h, wd] = x.shape;
    const ok = w.rank === 4 && c % a.groups === 0 && w.shape[0] % a.groups === 0 && w.shape[1] * a.groups === c;
    if (!ok) throw expected('Conv2d', 'weight shape', `[O, ${c}/${a.groups}, kh, kw] with O divisible by ${a.groups}`, shapeStr(w.shape), 'E_SHAPE');
    if (b && (b.rank !== 1 || b.shape[0] !== w.shape[0])) throw expected('Conv2d', 'bias shape', `[${w.shape[0]}]`, shapeStr(b.shape), 'E_SHAPE');
    const ho = windowOut(h, w.shape[2], a.stride[0], a.pads[0], a.pads[2], a.dilation[0]);
    const wo = windowOut(wd, w.shape[3], a.stride[1], a.pads[1], a.pads[3], a.dilation[1]);
    if (ho < 1 || wo < 1) throw expected('Conv2d', 'output size', 'at least 1x1', `${ho}x${wo} for input ${shapeStr(x.shape)}`, 'E_SHAPE');
    return [n, w.shape[0], ho, wo];
  },
  dtype: (xs) => sameFloatDtype('Conv2d', ...xs),
  onnx: (e, ins, outs, a) => e.node('Conv', ins, outs, onnxConvAttrs(a)),
  save: { inputs: [true, true, false] },
  vjp: ([g], { inputs: [x, w, b], attrs }) => [convInputGrad(g!, w, x.shape, attrs), convWeightGrad(x, g!, w.shape, attrs), b ? sum(g!, [0, 2, 3]) : null],
  ref: ([x, w, b], a) => {
    const [n, c, h, wd] = x.shape;
    const [o, cg, kh, kw] = w.shape;
    const ho = windowOut(h, kh, a.stride[0], a.pads[0], a.pads[2], a.dilation[0]);
    const wo = windowOut(wd, kw, a.stride[1], a.pads[1], a.pads[3], a.dilation[1]);
    const out = refArray([n, o, ho, wo]);
    const og = o / a.groups;
    for (let ni = 0; ni < n; ni++)
      for (let oi = 0; oi < o; oi++) {
        const c0 = Math.floor(oi / og) * cg;
        for (let y = 0; y < ho; y++)
          for (let xo = 0; xo < wo; xo++) {
            let s = b ? b.data[oi] : 0;
            for (let ci = 0; ci < cg; ci++)
              for (let i = 0; i < kh; i++) {
                const yy = y * a.stride[0] - a.pads[0] + i * a.dilation[0];
                if (yy < 0 || yy >= h) continue;
                for (let j = 0; j < kw; j++) {
                  const xx = xo * a.stride[1] - a.pads[1] + j * a.dilation[1];
                  if (xx < 0 || xx >= wd) continue;
                  s += x.data[((ni * c + c0 + ci) * h + yy) * wd + xx] * w.data[((oi * cg + ci) * kh + i) * kw + j];
                }
              }
            out.data[((ni * o + oi) * ho + y) * wo + xo] = s;
          }
      }
    return out;
  },
});

/**
 * Convolution (PyTorch `F.conv2d`).
 * @example conv2d(x, w, b, { stride: 2, padding: 1 }) // x [N,C,H,W], w [O,C,3,3] -> [N,O,H/2,W/2]
 */
export function conv2d(x: Tensor, w: Tensor, b?: Tensor | null, opts: Conv2dOptions = {}): Tensor {
  const a = convAttrs('conv2d', opts);
  const y = Conv2d.shape([x, w], a) as number[];
  // Training graphs (weight fed at run time) on small maps: im2col + MatMul, the columns shared with the dW backward.
  // onnxruntime's Conv with a run-time 3x3 weight is 1.1-1.6x slower than that MatMul at 14x14 and 7x7 (batch 8,
  // engine report); at 28x28 and up, and for 1x1 kernels (no im2col), the Conv is as fast or faster and stays.
  // Grouped and depthwise convs (VAN) stay Convs: as MatMuls they would be N*G tiny GEMMs (not measured).
  if (w.leaf?.kind === 'param' && w.leaf.asInput && y[2] * y[3] <= 196 && w.shape[2] * w.shape[3] > 1 && a.groups === 1) {
    const out = apply1(Conv2dCols, [x, w, im2col(x, w.shape[2], w.shape[3], a, a.groups)], a);
    return b ? add(out, reshape(b, [1, b.shape[0], 1, 1])) : out;
  }
  return apply1(Conv2d, b ? [x, w, b] : [x, w], a);
}

/**
 * Conv2d as W [G, Og, K] @ cols [N, G, K, L] given cols = im2col(x) (inputs x, w, cols). ONNX: Reshape, MatMul,
 * Reshape. The gradient is Conv2d's: dX from x and w (the cols input gets none, so the path through im2col adds
 * nothing), dW from the saved cols without recomputing them.
 */
export const Conv2dCols = defineOp<Conv2dAttrs>({
  name: 'Conv2dCols',
  arity: 3,
  shape: ([x, w, cols], a) => {
    const y = Conv2d.shape([x, w], a) as number[];
    const want = [x.shape[0], a.groups, w.shape[1] * w.shape[2] * w.shape[3], y[2] * y[3]];
    if (cols.shape.join() !== want.join()) throw expected('Conv2dCols', 'cols shape', shapeStr(want), shapeStr(cols.shape), 'E_SHAPE');
    return y;
  },
  dtype: (xs) => sameFloatDtype('Conv2dCols', ...xs),
  onnx: (e, [, w, cols], [y], a, { inputs: [, wt], outputs: [yt] }) => {
    const [o, cg, kh, kw] = wt.shape;
    const G = a.groups;
    const [w2, p] = [e.tmp('w_mat'), e.tmp('y_mat')];
    e.node('Reshape', [w, e.ints(G === 1 ? [o, cg * kh * kw] : [G, o / G, cg * kh * kw])], [w2]);
    e.node('MatMul', [w2, cols], [p]);
    e.node('Reshape', [p, e.ints(yt.shape)], [y]);
  },
  save: { inputs: [false, true, true] },
  vjp: ([g], { inputs: [x, w, cols], attrs }) => [convInputGrad(g!, w, x.shape, attrs), convWeightGrad(x, g!, w.shape, attrs, cols), null],
  ref: ([x, w], a) => Conv2d.ref!([x, w], a) as RefArray,
});

/** dL/dx of a conv. */
export function convInputGrad(g: Tensor, w: Tensor, xShape: readonly number[], a: Conv2dAttrs): Tensor {
  const [, , h, wd] = xShape;
  const [o, cg, kh, kw] = w.shape;
  const [dh, dw] = a.dilation;
  const flipPads = [dh * (kh - 1) - a.pads[0], dw * (kw - 1) - a.pads[1], dh * (kh - 1) - a.pads[2], dw * (kw - 1) - a.pads[3]];
  const G = a.groups;
  const unit = kh === 1 && kw === 1;
  // The kernel flip is applied to the smaller side: the weight, or dy and the result (corr(dy, flip W) =
  // flip(corr(flip dy, W)) with the pads mirrored). On 7x7 maps the weight is 6x dy (ResNet layer4): flipping the
  // weight costs as much as the conv itself, and ConvTranspose is 1.5-2x the forward conv (bench notes, engine report).
  const flipAct = !unit && w.size > 2 * g.size;
  // on maps <= 14x14 the flipped conv runs as im2col + MatMul, as the forward does in training graphs (conv2d; not
  // for grouped convs)
  const small = !unit && G === 1 && h * wd <= 196;
  const [n, , ho, wo] = g.shape;
  if (!unit && G === 1 && ho * wo <= 64) {
    // dy on a map of <= 8x8 (ResNet layer4): the columns as one GEMM over the batch, dy^T [N*L, O] @ W [O, K] (no
    // transposed or flipped weight, N*L rows instead of N GEMMs of L columns), then Col2Im. ConvTranspose does the
    // same work with a per-image GEMM, about 2x slower there; the flipped conv needs the 512x512x3x3 weight
    // transposed. At 14x14 and up the GEMM + Col2Im is no faster than ConvTranspose or the flipped conv (measured).
    const k = cg * kh * kw;
    const L = ho * wo;
    const dyT = reshape(transpose(reshape(g, [n, o, L]), [0, 2, 1]), [n * L, o]);
    const cols = transpose(reshape(matmul(dyT, reshape(w, [o, k])), [n, L, k]), [0, 2, 1]);
    return col2im(cols, [h, wd], [kh, kw], a);
  }
  if (a.stride[0] === 1 && a.stride[1] === 1 && (h >= 28 || unit || flipAct || small) && flipPads.every((p) => p >= 0)) {
    // Conv(dy, flip(W^T)): per group, swap the O and C axes, then reverse both spatial axes.
    const wt = G === 1 ? transpose(w, [1, 0, 2, 3]) : reshape(transpose(reshape(w, [G, o / G, cg, kh, kw]), [0, 2, 1, 3, 4]), [G * cg, o / G, kh, kw]);
    const flip = (t: Tensor): Tensor => slice(t, [{ axis: 2, step: -1 }, { axis: 3, step: -1 }]);
    const conv = (t: Tensor, k: Tensor, pads: number[]): Tensor => {
      const o2 = { padding: pads, dilation: a.dilation, groups: G };
      const ca = convAttrs('conv2d', o2);
      return small ? apply1(Conv2dCols, [t, k, im2col(t, kh, kw, ca, G)], ca) : conv2d(t, k, null, o2);
    };
    if (unit) return conv2d(g, wt, null, { padding: flipPads, dilation: a.dilation, groups: G });
    if (!flipAct) {
      // the weight's taps reversed as a MatMul by the anti-identity [kh*kw, kh*kw] (exact: one 1 per column; a Slice
      // with negative steps took 3.4 ms for a 256x256x3x3 weight, the MatMul about a tenth)
      const k = kh * kw;
      const anti = constant(w.graph, [k, k], Float64Array.from({ length: k * k }, (_, i) => (i % k === k - 1 - Math.floor(i / k) ? 1 : 0)), w.dtype);
      return conv(g, reshape(matmul(reshape(wt, [wt.shape[0] * wt.shape[1], k]), anti), wt.shape), flipPads);
    }
    const mirrored = [flipPads[2], flipPads[3], flipPads[0], flipPads[1]];
    return flip(conv(flip(g), wt, mirrored));
  }
  if (unit && a.pads.every((p) => p === 0) && w.size > g.size) {
    // 1x1 at stride s with a weight larger than dy (ResNet-50's layer4 downsample): W^T dy as a 1x1 conv, then zeros
    // between the rows and columns (Reshape, Pad, Reshape) and a crop to H x W: 37 -> ~14 ms at batch 8. On larger
    // maps the rank-6 Pad costs more than ConvTranspose (25 ms for layer2's).
    const [sh, sw] = a.stride;
    const c = xShape[1];
    const wt = G === 1 ? transpose(w, [1, 0, 2, 3]) : reshape(transpose(reshape(w, [G, o / G, cg, 1, 1]), [0, 2, 1, 3, 4]), [G * cg, o / G, 1, 1]);
    const y = reshape(conv2d(g, wt, null, { groups: G }), [n, c, ho, 1, wo, 1]);
    const z = reshape(pad(y, [0, 0, 0, 0, 0, 0, 0, 0, 0, sh - 1, 0, sw - 1]), [n, c, ho * sh, wo * sw]);
    return ho * sh === h && wo * sw === wd ? z : slice(z, [{ axis: 2, end: h }, { axis: 3, end: wd }]);
  }
  return convTranspose2d(g, w, null, { stride: a.stride, padding: a.pads, dilation: a.dilation, groups: a.groups, outputPadding: outPad(g, xShape, [w.shape[2], w.shape[3]], a) });
}

/** ConvTranspose's output padding that restores x's size from dy's, for a window of `kernel` taps. */
export function outPad(g: Tensor, xShape: readonly number[], [kh, kw]: readonly [number, number], a: Omit<Conv2dAttrs, 'groups'>): [number, number] {
  return [
    xShape[2] - ((g.shape[2] - 1) * a.stride[0] - a.pads[0] - a.pads[2] + a.dilation[0] * (kh - 1) + 1),
    xShape[3] - ((g.shape[3] - 1) * a.stride[1] - a.pads[1] - a.pads[3] + a.dilation[1] * (kw - 1) + 1),
  ];
}

/**
 * Columns [N, G, Cg*kh*kw, L] of x for windows of a conv with attrs `a` (L = output positions).
 * 1x1 stride-1 unpadded: x itself; otherwise a Conv of x viewed as [N*C, 1, H, W] with one-hot kernels.
 */
export function im2col(x: Tensor, kh: number, kw: number, a: Omit<Conv2dAttrs, 'groups'>, groups: number): Tensor {
  const [n, c, h, wd] = x.shape;
  const plain = kh === 1 && kw === 1 && a.stride[0] === 1 && a.stride[1] === 1 && a.pads.every((p) => p === 0);
  if (plain) return reshape(x, [n, groups, c / groups, h * wd]);
  const cols = conv2d(reshape(x, [n * c, 1, h, wd]), oneHotKernels(x, kh, kw), null, { stride: a.stride, padding: a.pads, dilation: a.dilation });
  return reshape(cols, [n, groups, (c / groups) * kh * kw, cols.shape[2] * cols.shape[3]]);
}

/**
 * dL/dw of a conv: sum over the batch of dy [N, G, Og, L] @ cols^T. When Og > L (deep layers on small maps) the batch
 * is folded into the contraction, [G, Og, N*L] @ [G, K, N*L]^T, instead of N products [Og, K] and a ReduceSum over N
 * (engine-notes §9.3): ResNet-18 layer4 3x3 dW 37 -> 24 ms at batch 8.
 */
export function convWeightGrad(x: Tensor, g: Tensor, wShape: readonly number[], a: Conv2dAttrs, saved?: Tensor): Tensor {
  const [n, o, ho, wo] = g.shape;
  const G = a.groups;
  const L = ho * wo;
  const cols = saved ?? im2col(x, wShape[2], wShape[3], a, G);
  const gr = reshape(g, [n, G, o / G, L]);
  if (o / G > L && n > 1) {
    const k = cols.shape[2];
    const A = reshape(transpose(gr, [1, 2, 0, 3]), [G, o / G, n * L]);
    const B = reshape(transpose(cols, [1, 2, 0, 3]), [G, k, n * L]);
    return reshape(matmul(A, transpose(B, [0, 2, 1])), wShape);
  }
  if (G === 1 && cols.shape[2] > o) {
    // cols [N, 1, K, L] @ dy^T rather than dy @ cols^T when K > O: onnxruntime's GEMM packs its B operand, and
    // packing dy^T [L, O] is cheaper than packing cols^T [L, K] (ResNet-18 layer1 3x3 dW 15.9 -> 12.8 ms, stem
    // 14.6 -> 12.8 ms; for 1x1 convs with K < O the plain order is as fast or faster)
    const dwT = sum(matmul(cols, transpose(gr, [0, 1, 3, 2])), [0]); // [1, K, O]
    return reshape(transpose(dwT, [0, 2, 1]), wShape);
  }
  const dw = matmul(gr, transpose(cols, [0, 1, 3, 2]));
  return reshape(sum(dw, [0]), wShape);
}
