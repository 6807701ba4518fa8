/**
 * Layer norm over the last axis as one primitive: ONNX LayerNormalization (opset 17), a single pass in
 * onnxruntime instead of the ~10 elementwise/reduce nodes of the composite `nn/functional.layerNorm` (about 8 % of
 * a Swin-T forward in the ORT profile). Same numbers as PyTorch F.layer_norm (biased variance, eps inside sqrt).
 * VJP from primitives, recomputing the statistics: with xh = (x - m) r, gh = g w,
 * dx = r (gh - mean(gh) - xh mean(gh xh)), dw = g xh, db = g (summed over the leading axes by the autodiff).
 */
import type { Tensor } from '../../engine/graph/graph.js';
import { add, apply1, defineOp, div, mul, sqrt, sub, sum } from '../../engine/ops/index.js';
import { sameFloatDtype } from '../../engine/ops/define.js';
import { expected } from '../../tensor/errors.js';
import { LayerNorm } from '../../nn/layers.js';

const lastMean = (t: Tensor): Tensor => mul(sum(t, [t.rank - 1], true), 1 / t.shape[t.rank - 1]);

export const LayerNormOp = defineOp<{ eps: number }>({
  name: 'LayerNorm',
  arity: 3,
  shape: ([x, w, b]) => {
    const d = x.shape[x.rank - 1];
    for (const p of [w, b]) if (p.rank !== 1 || p.shape[0] !== d) throw expected('LayerNorm', 'weight/bias shape', `[${d}]`, `[${p.shape.join(', ')}]`, 'E_SHAPE');
    return x.shape;
  },
  dtype: (xs) => sameFloatDtype('LayerNorm', ...xs),
  onnx: (e, ins, outs, { eps }) => e.node('LayerNormalization', ins, outs, { axis: -1, epsilon: { float: eps } }),
  save: { inputs: [true, true, false] },
  vjp: ([g], { inputs: [x, w], attrs: { eps } }) => {
    const m = lastMean(x);
    const xc = sub(x, m);
    const r = div(1, sqrt(add(lastMean(mul(xc, xc)), eps)));
    const xh = mul(xc, r);
    const gh = mul(g!, w);
    const dx = mul(r, sub(sub(gh, lastMean(gh)), mul(xh, lastMean(mul(gh, xh)))));
    return [dx, mul(g!, xh), g!];
  },
  ref: ([x, w, b], { eps }) => {
    const d = x.shape[x.shape.length - 1];
    const y = new Float64Array(x.data.length);
    for (let o = 0; o < x.data.length; o += d) {
      let m = 0;
      for (let i = 0; i < d; i++) m += x.data[o + i];
      m /= d;
      let v = 0;
      for (let i = 0; i < d; i++) v += (x.data[o + i] - m) ** 2;
      const r = 1 / Math.sqrt(v / d + eps);
      for (let i = 0; i < d; i++) y[o + i] = (x.data[o + i] - m) * r * w.data[i] + b.data[i];
    }
    return { shape: [...x.shape], data: y };
  },
});

export const fusedLayerNorm = (x: Tensor, w: Tensor, b: Tensor, eps = 1e-5): Tensor => apply1(LayerNormOp, [x, w, b], { eps });

/** nn.LayerNorm with the fused primitive (same parameters and names). */
export class FusedLayerNorm extends LayerNorm {
  override forward(x: Tensor): Tensor {
    return fusedLayerNorm(x, x.graph.param(this.weight), x.graph.param(this.bias), this.eps);
  }
}
