/**
 * Fused scaled dot-product attention: softmax(scale q k^T + bias) v as ONE ONNX node, `Attention` (ai.onnx opset 23),
 * for inference graphs. Not a primitive (the closed set is `ops/index.ts`): its VJP is composed of primitives and
 * recomputes the probabilities. Why it exists: the composite (Transpose, MatMul, Mul, Softmax, MatMul) runs as
 * five onnxruntime kernels whose batched small GEMMs (e.g. 6 heads x 197x64x197 in ViT-S) barely use a second
 * thread; onnxruntime's Attention kernel parallelises over batch x heads in one pass.
 * A model that contains it is written with opset 23 (IR 10); onnxruntime-node and onnxruntime-web 1.30 run it.
 *
 * q [B, H, Lq, d], k [B, H, Lk, d], v [B, H, Lk, dv], optional additive bias broadcastable to [B, H, Lq, Lk]
 * (relative position bias, window masks). Output [B, H, Lq, dv]. float64 graphs emit the composite (the ONNX op
 * is float/float16/bfloat16 only).
 */
import type { Tensor } from '../graph/graph.js';
import { broadcastShapes, shapeStr } from '../graph/shape.js';
import { apply1, defineOp, sameFloatDtype } from '../ops/define.js';
import { add, matmul, mul, softmax, sub, sum, sumTo, transpose } from '../ops/index.js';
import { refArray } from '../ops/util.js';
import { refSoftmax } from '../ops/softmax.js';
import { expected } from '../../tensor/errors.js';

const T = [0, 1, 3, 2];

let fusedInInference = false;
/**
 * Whether `scaledDotProductAttention` (src/nn/blocks.ts) emits this node in inference graphs. Off by default: on the
 * 2-core test machine, single-thread ViT-S/QFM-IQM inference was not faster with it (onnxruntime 1.30); turn it on
 * where a benchmark says it helps (e.g. `npm run bench:nr-models -- --fused-attention`).
 */
export function useFusedAttention(on: boolean): void {
  fusedInInference = on;
}
export const fusedAttentionEnabled = (): boolean => fusedInInference;

export const AttentionOp = defineOp<{ scale: number }>({
  name: 'Attention',
  arity: [3, 4],
  opset: 23,
  shape: ([q, k, v, m]) => {
    const bad = (what: string, want: string, t: Tensor) => expected('attention', what, want, shapeStr(t.shape), 'E_SHAPE');
    if (q.rank !== 4) throw bad('q', 'rank 4 [B, H, Lq, d]', q);
    const [b, h, lq, d] = q.shape;
    if (k.rank !== 4 || k.shape[0] !== b || k.shape[1] !== h || k.shape[3] !== d) throw bad('k', `[${b}, ${h}, Lk, ${d}]`, k);
    const lk = k.shape[2];
    if (v.rank !== 4 || v.shape[0] !== b || v.shape[1] !== h || v.shape[2] !== lk) throw bad('v', `[${b}, ${h}, ${lk}, dv]`, v);
    const out = [b, h, lq, lk];
    if (m && (m.rank !== 4 || broadcastShapes('attention', m.shape, out).some((x, i) => x !== out[i]))) throw bad('bias', `rank 4, broadcastable to [${out.join(', ')}]`, m);
    return [b, h, lq, v.shape[3]];
  },
  dtype: (xs) => sameFloatDtype('attention', ...xs),
  onnx: (e, ins, outs, { scale }, { inputs }) => {
    if (inputs[0].dtype === 'float32') return e.node('Attention', ins, outs, { scale: { float: scale } });
    const kt = e.tmp('kt');
    const s = e.tmp('s');
    const ss = e.tmp('ss');
    const p = e.tmp('p');
    e.node('Transpose', [ins[1]], [kt], { perm: T });
    e.node('MatMul', [ins[0], kt], [s]);
    e.node('Mul', [s, e.scalar(scale, inputs[0].dtype)], [ss]);
    let logits = ss;
    if (ins[3]) e.node('Add', [ss, ins[3]], [(logits = e.tmp('sb'))]);
    e.node('Softmax', [logits], [p], { axis: -1 });
    e.node('MatMul', [p, ins[2]], outs);
  },
  save: { inputs: [true, true, true, true] },
  // Recompute p = softmax(scale q k^T + bias); dv = p^T g, ds = p (dp - rowsum(dp p)) with dp = g v^T,
  // dq = scale ds k, dk = scale ds^T q, dbias = ds summed to the bias shape.
  vjp: ([g], { inputs: [q, k, v, m], attrs: { scale } }) => {
    const s = mul(matmul(q, transpose(k, T)), scale);
    const p = softmax(m ? add(s, m) : s, -1);
    const dp = matmul(g!, transpose(v, T));
    const ds = mul(p, sub(dp, sum(mul(dp, p), [3], true)));
    return [mul(matmul(ds, k), scale), mul(matmul(transpose(ds, T), q), scale), matmul(transpose(p, T), g!), m ? sumTo(ds, m.shape) : null];
  },
  ref: ([q, k, v, m], { scale }) => {
    const [b, h, lq, d] = q.shape;
    const [lk, dv] = [k.shape[2], v.shape[3]];
    const s = refArray([b, h, lq, lk]);
    const ms = m ? m.shape : null;
    for (let bi = 0; bi < b; bi++)
      for (let hi = 0; hi < h; hi++)
        for (let i = 0; i < lq; i++)
          for (let j = 0; j < lk; j++) {
            let acc = 0;
            for (let c = 0; c < d; c++) acc += q.data[((bi * h + hi) * lq + i) * d + c] * k.data[((bi * h + hi) * lk + j) * d + c];
            let bias = 0;
            if (m && ms) {
              const ix = [bi, hi, i, j].map((x, a) => (ms[a] === 1 ? 0 : x));
              bias = m.data[((ix[0] * ms[1] + ix[1]) * ms[2] + ix[2]) * ms[3] + ix[3]];
            }
            s.data[((bi * h + hi) * lq + i) * lk + j] = acc * scale + bias;
          }
    const p = refSoftmax(s, 3, false);
    const out = refArray([b, h, lq, dv]);
    for (let bh = 0; bh < b * h; bh++)
      for (let i = 0; i < lq; i++)
        for (let c = 0; c < dv; c++) {
          let acc = 0;
          for (let j = 0; j < lk; j++) acc += p.data[(bh * lq + i) * lk + j] * v.data[(bh * lk + j) * dv + c];
          out.data[(bh * lq + i) * dv + c] = acc;
        }
    return out;
  },
});

/**
 * softmax(scale q k^T + bias) v in one node (default scale 1/sqrt(d)).
 * @example attention(q, k, v) // q, k, v [B, H, L, d] -> [B, H, L, d]
 */
export function attention(q: Tensor, k: Tensor, v: Tensor, opts: { scale?: number; bias?: Tensor | null } = {}): Tensor {
  const scale = opts.scale ?? 1 / Math.sqrt(q.shape[3]);
  return apply1(AttentionOp, opts.bias ? [q, k, v, opts.bias] : [q, k, v], { scale });
}
