import { expected } from '../../tensor/errors.js';
import type { Tensor } from '../graph/graph.js';
import { shapeStr } from '../graph/shape.js';
import { add } from './add.js';
import { apply1, defineOp, sameFloatDtype } from './define.js';
import { div } from './div.js';
import { mul } from './mul.js';
import { pow } from './pow.js';
import { sum } from './reduce-sum.js';
import { reshape } from './reshape.js';
import { sqrt } from './sqrt.js';
import { sub } from './sub.js';
import { refArray } from './util.js';

/**
 * Batch normalisation with given statistics (eval mode): y = (x - mean) / sqrt(var + eps) * scale + bias, per
 * channel (axis 1). ONNX: BatchNormalization (inference), which onnxruntime folds into a preceding Conv.
 * Training-mode BN (batch statistics) is a composite in `nn`, differentiated through its reductions.
 */
export const BatchNorm = defineOp<{ eps: number }>({
  name: 'BatchNorm',
  arity: 5,
  shape: ([x, ...ps]) => {
    if (x.rank < 2) throw expected('BatchNorm', 'input', 'rank >= 2 [N, C, ...]', shapeStr(x.shape), 'E_SHAPE');
    for (const p of ps) if (p.rank !== 1 || p.shape[0] !== x.shape[1]) throw expected('BatchNorm', 'parameter shape', `[${x.shape[1]}]`, shapeStr(p.shape), 'E_SHAPE');
    return x.shape;
  },
  dtype: (xs) => sameFloatDtype('BatchNorm', ...xs),
  onnx: (e, ins, outs, { eps }) => e.node('BatchNormalization', ins, outs, { epsilon: { float: eps } }),
  save: { inputs: [true, true, false, true, true] },
  vjp: ([g], { inputs: [x, scale, , mean, variance], attrs: { eps } }) => {
    const cs = x.shape.map((d, i) => (i === 1 ? d : 1));
    const axes = x.shape.map((_, i) => i).filter((i) => i !== 1);
    const ch = (t: Tensor): Tensor => reshape(t, cs);
    const invstd = div(1, sqrt(add(variance, eps)));
    const xc = sub(x, ch(mean));
    const gs = sum(g!, axes);
    const gxc = sum(mul(g!, xc), axes);
    return [
      mul(g!, ch(mul(scale, invstd))),
      mul(gxc, invstd),
      gs,
      mul(mul(gs, mul(scale, invstd)), -1),
      mul(mul(gxc, scale), mul(pow(invstd, 3), -0.5)),
    ];
  },
  ref: ([x, scale, bias, mean, variance], { eps }) => {
    const y = refArray(x.shape);
    const c = x.shape[1];
    const inner = x.shape.slice(2).reduce((a, b) => a * b, 1);
    for (let i = 0; i < x.data.length; i++) {
      const k = Math.floor(i / inner) % c;
      y.data[i] = ((x.data[i] - mean.data[k]) / Math.sqrt(variance.data[k] + eps)) * scale.data[k] + bias.data[k];
    }
    return y;
  },
});

/** Eval-mode batch norm over axis 1 (PyTorch `F.batch_norm(training=False)`). */
export const batchNorm = (x: Tensor, scale: Tensor, bias: Tensor, mean: Tensor, variance: Tensor, eps = 1e-5): Tensor =>
  apply1(BatchNorm, [x, scale, bias, mean, variance], { eps });
