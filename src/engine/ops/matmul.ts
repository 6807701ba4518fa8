import { expected } from '../../tensor/errors.js';
import type { Tensor } from '../graph/graph.js';
import { broadcastShapes, shapeStr } from '../graph/shape.js';
import { apply1, defineOp, sameFloatDtype } from './define.js';
import { transpose } from './transpose.js';
import { broadcastIndex, refArray } from './util.js';

const swapLast = (t: Tensor): Tensor => transpose(t, t.shape.map((_, i) => (i === t.rank - 2 ? t.rank - 1 : i === t.rank - 1 ? t.rank - 2 : i)));

/**
 * Batched matrix product over the last two axes, batch axes broadcast (rank >= 2). ONNX: MatMul.
 * Gradients g b^T and a^T g; ORT fuses the transposes into FusedMatMul. Autodiff sums broadcast batch axes.
 */
export const MatMul = defineOp({
  name: 'MatMul',
  arity: 2,
  shape: ([a, b]) => {
    if (a.rank < 2 || b.rank < 2 || a.shape[a.rank - 1] !== b.shape[b.rank - 2]) {
      throw expected('MatMul', 'shapes', '[..., m, k] and [..., k, n]', `${shapeStr(a.shape)} and ${shapeStr(b.shape)}`, 'E_SHAPE');
    }
    return [...broadcastShapes('MatMul', a.shape.slice(0, -2), b.shape.slice(0, -2)), a.shape[a.rank - 2], b.shape[b.rank - 1]];
  },
  dtype: ([a, b]) => sameFloatDtype('MatMul', a, b),
  onnx: (e, ins, outs) => e.node('MatMul', ins, outs),
  save: { inputs: [true, true] },
  vjp: ([g], { inputs: [a, b] }) => [matmul(g!, swapLast(b)), matmul(swapLast(a), g!)],
  ref: ([a, b]) => {
    const [m, k, n] = [a.shape[a.shape.length - 2], a.shape[a.shape.length - 1], b.shape[b.shape.length - 1]];
    const batch = broadcastShapes('MatMul', a.shape.slice(0, -2), b.shape.slice(0, -2));
    const ia = broadcastIndex(a.shape.slice(0, -2), batch);
    const ib = broadcastIndex(b.shape.slice(0, -2), batch);
    const out = refArray([...batch, m, n]);
    for (let t = 0; t < ia.length; t++)
      for (let i = 0; i < m; i++)
        for (let j = 0; j < n; j++) {
          let s = 0;
          for (let p = 0; p < k; p++) s += a.data[ia[t] * m * k + i * k + p] * b.data[ib[t] * k * n + p * n + j];
          out.data[t * m * n + i * n + j] = s;
        }
    return out;
  },
});

export const matmul = (a: Tensor, b: Tensor): Tensor => apply1(MatMul, [a, b], {});
