/**
 * QFM-IQM (docs/models.md §3.6, our design; no official code exists): a DEIQT-style regressor (§3.2) with
 *  - the encoder f_θ: ViT-S/16 DeiT-III with LayerScale (backbones/vit.ts), tokens T [B, 1 + N, C];
 *  - the adaptive feature selection gate (AFS): g = sigmoid(W2 GELU(W1 LN(mean_patches(T)))), T' = T ⊙ g;
 *  - the attention-panel decoder: Q learned quality queries (+ the CLS token), one pre-norm
 *    nn.TransformerDecoderLayer over the patch tokens, a bias-free Linear(C→1) per query, mean over queries.
 * Ablation: `gate: false` gives the DEIQT baseline (T' = T). The training-only parts (pair matching, semantic
 * perturbation, losses, distillation) are in qfm-train.ts. State-dict names follow PyTorch (tools/qfm_mfenet_ref.py).
 */
import type { Parameter, Tensor } from '../../engine/graph/graph.js';
import { add, concat, expand, gelu, mul, reshape, sigmoid, slice, sum } from '../../engine/ops/index.js';
import { Rng } from '../../engine/rng.js';
import { MultiheadAttention } from '../../nn/blocks.js';
import { mean } from '../../nn/functional.js';
import { LayerNorm, Linear } from '../../nn/layers.js';
import { Module, uniform } from '../../nn/module.js';
import { VisionTransformer } from '../backbones/vit.js';

export interface QfmConfig {
  /** ViT width / depth / heads (ViT-S: 384 / 12 / 6) and input crop (224, patch 16). */
  embedDim: number;
  depth: number;
  numHeads: number;
  imgSize: number;
  patch: number;
  /** LayerScale init (DEIQT fine-tunes DeiT-III whose checkpoint has learned gammas; fresh init 1e-4). */
  initValues: number;
  /** Quality queries of the attention panel (DEIQT: 6). */
  numQueries: number;
  /** Gate reduction (W1: C -> C / r). */
  gateReduction: number;
  /** Adaptive feature selection gate on (false = DEIQT baseline). */
  gate: boolean;
  seed: number;
}

export const QFM_PAPER: QfmConfig = { embedDim: 384, depth: 12, numHeads: 6, imgSize: 224, patch: 16, initValues: 1e-4, numQueries: 6, gateReduction: 4, gate: true, seed: 0 };
export const QFM_CPU: QfmConfig = { embedDim: 64, depth: 4, numHeads: 4, imgSize: 64, patch: 8, initValues: 1e-1, numQueries: 4, gateReduction: 4, gate: true, seed: 0 };

/** AFS gate (design table, §3.6): LN -> Linear(C, C/r) -> GELU -> Linear(C/r, C) -> sigmoid, on the patch mean. */
export class FeatureGate extends Module {
  readonly norm: LayerNorm;
  readonly fc1: Linear;
  readonly fc2: Linear;
  constructor(dim: number, reduction: number, rng: Rng) {
    super();
    this.norm = this.child('norm', new LayerNorm(dim));
    this.fc1 = this.child('fc1', new Linear(dim, Math.max(1, Math.round(dim / reduction)), { rng }));
    this.fc2 = this.child('fc2', new Linear(Math.max(1, Math.round(dim / reduction)), dim, { rng }));
  }
  /** Gate values g [B, C] from tokens [B, 1 + N, C]. */
  forward(t: Tensor): Tensor {
    return sigmoid(this.fc2.forward(gelu(this.fc1.forward(this.norm.forward(patchMean(t))))));
  }
}

/** Mean over the patch tokens (CLS excluded): [B, 1 + N, C] -> [B, C]. */
export function patchMean(t: Tensor): Tensor {
  return mean(slice(t, [{ axis: 1, start: 1, end: t.shape[1] }]), [1]);
}

/** PyTorch nn.TransformerDecoderLayer(d, heads, 4d, dropout=0, activation='gelu', batch_first=True, norm_first=True). */
export class DecoderLayer extends Module {
  readonly selfAttn: MultiheadAttention;
  readonly crossAttn: MultiheadAttention;
  readonly linear1: Linear;
  readonly linear2: Linear;
  readonly norm1: LayerNorm;
  readonly norm2: LayerNorm;
  readonly norm3: LayerNorm;
  constructor(dim: number, heads: number, ffn: number, rng: Rng) {
    super();
    this.selfAttn = this.child('self_attn', new MultiheadAttention(dim, heads, { rng }));
    this.crossAttn = this.child('multihead_attn', new MultiheadAttention(dim, heads, { rng }));
    this.linear1 = this.child('linear1', new Linear(dim, ffn, { rng }));
    this.linear2 = this.child('linear2', new Linear(ffn, dim, { rng }));
    this.norm1 = this.child('norm1', new LayerNorm(dim));
    this.norm2 = this.child('norm2', new LayerNorm(dim));
    this.norm3 = this.child('norm3', new LayerNorm(dim));
  }
  forward(x: Tensor): Tensor {
    return x;
  }
  decode(q: Tensor, memory: Tensor): Tensor {
    const a = this.norm1.forward(q);
    let h = add(q, this.selfAttn.attend(a, a, a));
    h = add(h, this.crossAttn.attend(this.norm2.forward(h), memory, memory));
    return add(h, this.linear2.forward(gelu(this.linear1.forward(this.norm3.forward(h)))));
  }
}

/** DEIQT's attention panel: queries + CLS -> decoder over patch tokens -> per-query Linear(C→1, no bias) -> mean. */
export class AttentionPanel extends Module {
  readonly queries: Parameter;
  readonly decoder: DecoderLayer;
  readonly heads: Parameter;
  constructor(readonly dim: number, readonly numQueries: number, numHeads: number, rng: Rng) {
    super();
    // nn.Embedding-like N(0, 1) is too large for the residual stream; 0.02 as timm's query init
    this.queries = this.param('queries', [numQueries, dim], Float32Array.from({ length: numQueries * dim }, () => 0.02 * rng.normal()));
    this.decoder = this.child('decoder', new DecoderLayer(dim, numHeads, 4 * dim, rng));
    // Q stacked Linear(C, 1, bias=False) weights [Q, C] (PyTorch: a ModuleList of Q linears, stacked here)
    this.heads = this.param('heads', [numQueries, dim], uniform(rng, numQueries * dim, 1 / Math.sqrt(dim)));
  }
  forward(t: Tensor): Tensor {
    return t;
  }
  /** Score [B, 1] from gated tokens T' [B, 1 + N, C]. */
  score(t: Tensor): Tensor {
    const g = t.graph;
    const [b, l, c] = t.shape;
    const cls = slice(t, [{ axis: 1, start: 0, end: 1 }]);
    const q = add(expand(reshape(g.param(this.queries), [1, this.numQueries, c]), [b, this.numQueries, c]), cls);
    const mem = slice(t, [{ axis: 1, start: 1, end: l }]);
    const d = this.decoder.decode(q, mem);
    const per = sum(mul(d, reshape(g.param(this.heads), [1, this.numQueries, c])), [2]); // [B, Q]
    return mean(per, [1], true);
  }
}

export class QfmIqm extends Module {
  readonly encoder: VisionTransformer;
  readonly gate: FeatureGate | null;
  readonly panel: AttentionPanel;
  constructor(readonly cfg: QfmConfig) {
    super();
    const rng = new Rng(cfg.seed);
    this.encoder = this.child('encoder', new VisionTransformer({ embedDim: cfg.embedDim, depth: cfg.depth, numHeads: cfg.numHeads, imgSize: cfg.imgSize, patch: cfg.patch, initValues: cfg.initValues, outIndices: [], rng }));
    this.gate = cfg.gate ? this.child('gate', new FeatureGate(cfg.embedDim, cfg.gateReduction, rng)) : null;
    this.panel = this.child('panel', new AttentionPanel(cfg.embedDim, cfg.numQueries, cfg.numHeads, rng));
  }
  /** Gated tokens T' [B, 1 + N, C] (final normed ViT tokens, times the gate when on). */
  tokens(x: Tensor): Tensor {
    const f = this.encoder.features(x);
    const t = f[f.length - 1];
    if (!this.gate) return t;
    const g = this.gate.forward(t);
    return mul(t, reshape(g, [t.shape[0], 1, t.shape[2]]));
  }
  /** Score [B, 1] for ImageNet-normalised crops [B, 3, S, S]. */
  forward(x: Tensor): Tensor {
    return this.panel.score(this.tokens(x));
  }
}

/** Concatenate along the batch: helper for paired graphs. */
export const batchConcat = (xs: readonly Tensor[]): Tensor => concat([...xs], 0);
