import { expected } from '../../tensor/errors.js';
import type { Tensor } from '../graph/graph.js';
import { shapeStr } from '../graph/shape.js';
import { add } from './add.js';
import { apply, defineOp, sameFloatDtype } from './define.js';
import { div } from './div.js';
import { mul } from './mul.js';
import { sum } from './reduce-sum.js';
import { reshape } from './reshape.js';
import { sqrt } from './sqrt.js';
import { sub } from './sub.js';
import { refArray } from './util.js';

/**
 * Training-mode batch norm over all axes but 1, with batch statistics: outputs y, the batch mean and the biased
 * batch variance (per channel). ONNX: ReduceMean, Sub, Mul, ReduceMean, then one inference-mode
 * BatchNormalization with those statistics (a single fused pass for y; engine-notes §4.1, §9 item 2).
 * Backward in closed form (engine-notes §2.2), folded so no x-hat tensor is materialised:
 *   dx = g k1 + x k2 + k3, with k1 = gamma invstd, dgamma = invstd (sum(g x) - mean sum(g)), dbeta = sum(g),
 *   k2 = -k1 invstd dgamma / m, k3 = -k1 dbeta / m - mean k2; plus the terms from gradients of mean/var if used.
 */
export const BatchNormTrain = defineOp<{ eps: number }>({
  name: 'BatchNormTrain',
  arity: 3,
  nOutputs: 3,
  shape: ([x, w, b]) => {
    if (x.rank < 2) throw expected('BatchNormTrain', 'input', 'rank >= 2 [N, C, ...]', shapeStr(x.shape), 'E_SHAPE');
    for (const p of [w, b]) if (p.rank !== 1 || p.shape[0] !== x.shape[1]) throw expected('BatchNormTrain', 'parameter shape', `[${x.shape[1]}]`, shapeStr(p.shape), 'E_SHAPE');
    return [x.shape, [x.shape[1]], [x.shape[1]]];
  },
  dtype: (xs) => sameFloatDtype('BatchNormTrain', ...xs),
  onnx: (e, [x, w, b], [y, mean, variance], { eps }, { inputs: [xt] }) => {
    const axes = e.ints(xt.shape.map((_, i) => i).filter((i) => i !== 1));
    const [mk, xc, sq, vk] = [e.tmp('bn_mean'), e.tmp('bn_xc'), e.tmp('bn_sq'), e.tmp('bn_var')];
    e.node('ReduceMean', [x, axes], [mk], { keepdims: 1 });
    e.node('Sub', [x, mk], [xc]);
    e.node('Mul', [xc, xc], [sq]);
    e.node('ReduceMean', [sq, axes], [vk], { keepdims: 1 });
    const c = e.ints([xt.shape[1]]);
    e.node('Reshape', [mk, c], [mean]);
    e.node('Reshape', [vk, c], [variance]);
    e.node('BatchNormalization', [x, w, b, mean, variance], [y], { epsilon: { float: eps } });
  },
  save: { inputs: [true, true, false], outputs: [false, true, true] },
  vjp: ([gy, gm, gv], { inputs: [x, w], outputs: [, mean, variance], attrs: { eps } }) => {
    const axes = x.shape.map((_, i) => i).filter((i) => i !== 1);
    const cs = x.shape.map((d, i) => (i === 1 ? d : 1));
    const ch = (t: Tensor): Tensor => reshape(t, cs);
    const m = x.size / x.shape[1];
    const invstd = div(1, sqrt(add(variance, eps)));
    let k1: Tensor | null = null;
    let k2: Tensor | null = null;
    let k3: Tensor | null = null;
    let dw: Tensor | null = null;
    let db: Tensor | null = null;
    if (gy) {
      db = sum(gy, axes);
      dw = mul(invstd, sub(sum(mul(gy, x), axes), mul(mean, db)));
      k1 = mul(w, invstd);
      k2 = mul(mul(k1, mul(invstd, dw)), -1 / m);
      k3 = sub(mul(mul(k1, db), -1 / m), mul(mean, k2));
    }
    // d mean -> dx: gm / m; d var -> dx: gv 2 (x - mean) / m
    if (gm) k3 = k3 ? add(k3, mul(gm, 1 / m)) : mul(gm, 1 / m);
    if (gv) {
      const a = mul(gv, 2 / m);
      k2 = k2 ? add(k2, a) : a;
      const c = mul(mul(a, mean), -1);
      k3 = k3 ? add(k3, c) : c;
    }
    let dx: Tensor | null = k1 ? mul(gy!, ch(k1)) : null;
    if (k2) dx = dx ? add(dx, mul(x, ch(k2))) : mul(x, ch(k2));
    if (k3) dx = dx ? add(dx, ch(k3)) : null;
    return [dx, dw, db];
  },
  ref: ([x, w, b], { eps }) => {
    const c = x.shape[1];
    const inner = x.shape.slice(2).reduce((p, q) => p * q, 1);
    const m = x.data.length / c;
    const mean = refArray([c]);
    const variance = refArray([c]);
    const ch = (i: number) => Math.floor(i / inner) % c;
    for (let i = 0; i < x.data.length; i++) mean.data[ch(i)] += x.data[i] / m;
    for (let i = 0; i < x.data.length; i++) variance.data[ch(i)] += (x.data[i] - mean.data[ch(i)]) ** 2 / m;
    const y = refArray(x.shape);
    for (let i = 0; i < x.data.length; i++) {
      const k = ch(i);
      y.data[i] = ((x.data[i] - mean.data[k]) / Math.sqrt(variance.data[k] + eps)) * w.data[k] + b.data[k];
    }
    return [y, mean, variance];
  },
});

/** Train-mode batch norm: { y, mean, variance (biased) } from batch statistics over all axes but 1. */
export function batchNormTrain(x: Tensor, weight: Tensor, bias: Tensor, eps = 1e-5): { y: Tensor; mean: Tensor; variance: Tensor } {
  const [y, mean, variance] = apply(BatchNormTrain, [x, weight, bias], { eps });
  return { y, mean, variance };
}
