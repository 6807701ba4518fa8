/**
 * Attention and MLP blocks with PyTorch / timm state-dict names: nn.MultiheadAttention (batch_first), timm's
 * Mlp, ViT Block (transformer block) and MLP-Mixer block.
 */
import { expected } from '../tensor/errors.js';
import type { Parameter, Tensor } from '../engine/graph/graph.js';
import { add, gelu, matmul, mul, reshape, slice, softmax, transpose } from '../engine/ops/index.js';
import type { Rng } from '../engine/rng.js';
import { attention, fusedAttentionEnabled } from '../engine/fused/attention.js';
import { DropPath, Dropout, LayerNorm, Linear } from './layers.js';
import { Module, defaultRng, uniform } from './module.js';

/**
 * softmax(q k^T scale + bias) v over heads: q [B, H, Lq, d], k and v [B, H, Lk, d], scale default 1/sqrt(d), optional
 * additive bias broadcastable to [B, H, Lq, Lk]. With `useFusedAttention(true)`, inference graphs (weights as
 * initializers) get the fused `attention` node; training graphs always keep the composite, whose backward reuses the
 * saved probabilities.
 */
export function scaledDotProductAttention(q: Tensor, k: Tensor, v: Tensor, opts: { scale?: number; bias?: Tensor | null } = {}): Tensor {
  const scale = opts.scale ?? 1 / Math.sqrt(q.shape[q.rank - 1]);
  if (q.graph.paramMode === 'initializer' && fusedAttentionEnabled()) return attention(q, k, v, { scale, bias: opts.bias });
  const s = mul(matmul(q, transpose(k, [0, 1, 3, 2])), scale);
  return matmul(softmax(opts.bias ? add(s, opts.bias) : s, -1), v);
}

const heads = (x: Tensor, h: number): Tensor => {
  const [b, l, e] = x.shape;
  return transpose(reshape(x, [b, l, h, e / h]), [0, 2, 1, 3]);
};
const merge = (x: Tensor): Tensor => {
  const [b, h, l, d] = x.shape;
  return reshape(transpose(x, [0, 2, 1, 3]), [b, l, h * d]);
};

/** timm Mlp: fc1 -> GELU -> dropout -> fc2 -> dropout. */
export class Mlp extends Module {
  readonly fc1: Linear;
  readonly fc2: Linear;
  readonly drop: Dropout;
  constructor(inF: number, hidden: number, outF = inF, opts: { drop?: number; rng?: Rng } = {}) {
    super();
    this.fc1 = this.child('fc1', new Linear(inF, hidden, { rng: opts.rng }));
    this.fc2 = this.child('fc2', new Linear(hidden, outF, { rng: opts.rng }));
    this.drop = this.child('drop', new Dropout(opts.drop ?? 0)); // a child, so eval() switches it off
  }
  /** `outScale` [outF]: a per-channel scale folded into fc2 (see `Linear.forward`). */
  forward(x: Tensor, outScale?: Tensor): Tensor {
    const h = this.drop.p ? this.drop.forward(gelu(this.fc1.forward(x))) : gelu(this.fc1.forward(x));
    const y = this.fc2.forward(h, outScale);
    return this.drop.p ? this.drop.forward(y) : y;
  }
}

/** nn.MultiheadAttention(embed, heads, batch_first=True): in_proj_weight [3E, E], in_proj_bias, out_proj. */
export class MultiheadAttention extends Module {
  readonly inProjWeight: Parameter;
  readonly inProjBias: Parameter;
  readonly outProj: Linear;
  constructor(readonly embed: number, readonly numHeads: number, opts: { rng?: Rng } = {}) {
    super();
    if (embed % numHeads) throw expected('MultiheadAttention', 'embed', `a multiple of numHeads ${numHeads}`, String(embed));
    const rng = opts.rng ?? defaultRng;
    // PyTorch: xavier_uniform on in_proj_weight, zero biases
    this.inProjWeight = this.param('in_proj_weight', [3 * embed, embed], uniform(rng, 3 * embed * embed, Math.sqrt(6 / (4 * embed))));
    this.inProjBias = this.param('in_proj_bias', [3 * embed], new Float32Array(3 * embed));
    this.outProj = this.child('out_proj', new Linear(embed, embed, { rng }));
  }
  /** Self-attention on x [B, L, E]. */
  forward(x: Tensor): Tensor {
    return this.attend(x, x, x);
  }
  attend(q: Tensor, k: Tensor, v: Tensor): Tensor {
    const g = q.graph;
    const w = g.param(this.inProjWeight);
    const b = g.param(this.inProjBias);
    const e = this.embed;
    const proj = (x: Tensor, i: number): Tensor =>
      add(matmul(x, transpose(slice(w, [{ axis: 0, start: i * e, end: (i + 1) * e }]), [1, 0])), slice(b, [{ axis: 0, start: i * e, end: (i + 1) * e }]));
    const o = scaledDotProductAttention(heads(proj(q, 0), this.numHeads), heads(proj(k, 1), this.numHeads), heads(proj(v, 2), this.numHeads));
    return this.outProj.forward(merge(o));
  }
}

/** timm ViT Attention: qkv Linear(E, 3E) and proj Linear(E, E). */
export class Attention extends Module {
  readonly qkv: Linear;
  readonly proj: Linear;
  constructor(readonly dim: number, readonly numHeads: number, opts: { rng?: Rng; qkvBias?: boolean } = {}) {
    super();
    this.qkv = this.child('qkv', new Linear(dim, 3 * dim, { rng: opts.rng, bias: opts.qkvBias ?? true }));
    this.proj = this.child('proj', new Linear(dim, dim, { rng: opts.rng }));
  }
  /** `outScale` [dim]: a per-channel scale folded into proj (see `Linear.forward`). */
  forward(x: Tensor, outScale?: Tensor): Tensor {
    const [b, l, e] = x.shape;
    const qkv = transpose(reshape(this.qkv.forward(x), [b, l, 3, this.numHeads, e / this.numHeads]), [2, 0, 3, 1, 4]);
    const part = (i: number) => reshape(slice(qkv, [{ axis: 0, start: i, end: i + 1 }]), [b, this.numHeads, l, e / this.numHeads]);
    return this.proj.forward(merge(scaledDotProductAttention(part(0), part(1), part(2))), outScale);
  }
}

/** timm ViT Block (pre-norm): x + drop_path(attn(norm1(x))), then x + drop_path(mlp(norm2(x))). */
export class TransformerBlock extends Module {
  readonly norm1: LayerNorm;
  readonly attn: Attention;
  readonly norm2: LayerNorm;
  readonly mlp: Mlp;
  readonly dropPath: DropPath;
  constructor(dim: number, numHeads: number, opts: { mlpRatio?: number; dropPath?: number; eps?: number; rng?: Rng } = {}) {
    super();
    this.norm1 = this.child('norm1', new LayerNorm(dim, opts.eps ?? 1e-6));
    this.attn = this.child('attn', new Attention(dim, numHeads, { rng: opts.rng }));
    this.norm2 = this.child('norm2', new LayerNorm(dim, opts.eps ?? 1e-6));
    this.mlp = this.child('mlp', new Mlp(dim, Math.round(dim * (opts.mlpRatio ?? 4)), dim, { rng: opts.rng }));
    this.dropPath = this.child('drop_path', new DropPath(opts.dropPath ?? 0));
  }
  forward(x: Tensor): Tensor {
    const h = add(x, this.dropPath.forward(this.attn.forward(this.norm1.forward(x))));
    return add(h, this.dropPath.forward(this.mlp.forward(this.norm2.forward(h))));
  }
}

/** timm MixerBlock: token-mixing MLP across the sequence, then channel-mixing MLP, both pre-norm residual. */
export class MixerBlock extends Module {
  readonly norm1: LayerNorm;
  readonly mlpTokens: Mlp;
  readonly norm2: LayerNorm;
  readonly mlpChannels: Mlp;
  readonly dropPath: DropPath;
  constructor(dim: number, seqLen: number, opts: { mlpRatio?: readonly [number, number]; dropPath?: number; rng?: Rng } = {}) {
    super();
    const [rt, rc] = opts.mlpRatio ?? [0.5, 4];
    this.norm1 = this.child('norm1', new LayerNorm(dim, 1e-6));
    this.mlpTokens = this.child('mlp_tokens', new Mlp(seqLen, Math.round(rt * dim), seqLen, { rng: opts.rng }));
    this.norm2 = this.child('norm2', new LayerNorm(dim, 1e-6));
    this.mlpChannels = this.child('mlp_channels', new Mlp(dim, Math.round(rc * dim), dim, { rng: opts.rng }));
    this.dropPath = this.child('drop_path', new DropPath(opts.dropPath ?? 0));
  }
  forward(x: Tensor): Tensor {
    const t = transpose(this.mlpTokens.forward(transpose(this.norm1.forward(x), [0, 2, 1])), [0, 2, 1]);
    const h = add(x, this.dropPath.forward(t));
    return add(h, this.dropPath.forward(this.mlpChannels.forward(this.norm2.forward(h))));
  }
}
