/**
 * ViT (Dosovitskiy et al. 2021) in the DeiT-III form (Touvron et al. 2022; timm `deit3_small_patch16_224`):
 * class token, position embedding added to the patch tokens only (timm `no_embed_class=True`), pre-norm blocks
 * with LayerScale (`ls1.gamma`, `ls2.gamma`, init 1e-6), LayerNorm eps 1e-6, final `norm`, optional `head`.
 * timm names: cls_token, pos_embed, patch_embed.proj, blocks.{i}.{norm1, attn.qkv, attn.proj, ls1.gamma, norm2,
 * mlp.fc1, mlp.fc2, ls2.gamma}, norm, head.
 * `features` returns token maps [B, 1 + N, C] after the blocks in `outIndices`, then the final normed tokens.
 */
import type { Parameter, Tensor } from '../../engine/graph/graph.js';
import { add, concat, expand, mul, reshape, slice, transpose } from '../../engine/ops/index.js';
import type { Rng } from '../../engine/rng.js';
import { expected } from '../../tensor/errors.js';
import { Attention, Mlp } from '../../nn/blocks.js';
import { Conv2d, LayerNorm, Linear } from '../../nn/layers.js';
import { Module, Sequential, defaultRng } from '../../nn/module.js';
import type { Backbone } from './types.js';

const truncNormal = (rng: Rng, n: number, std: number) => Float32Array.from({ length: n }, () => Math.max(-2, Math.min(2, rng.normal())) * std);

/** timm LayerScale: x * gamma. */
export class LayerScale extends Module {
  readonly gamma: Parameter;
  constructor(dim: number, init: number) {
    super();
    this.gamma = this.param('gamma', [dim], new Float32Array(dim).fill(init));
  }
  forward(x: Tensor): Tensor {
    return mul(x, x.graph.param(this.gamma));
  }
}

export class LayerScaleBlock extends Module {
  readonly norm1: LayerNorm;
  readonly attn: Attention;
  readonly ls1: LayerScale;
  readonly norm2: LayerNorm;
  readonly mlp: Mlp;
  readonly ls2: LayerScale;
  constructor(dim: number, heads: number, mlpRatio: number, initValues: number, rng: Rng) {
    super();
    this.norm1 = this.child('norm1', new LayerNorm(dim, 1e-6));
    this.attn = this.child('attn', new Attention(dim, heads, { rng }));
    this.ls1 = this.child('ls1', new LayerScale(dim, initValues));
    this.norm2 = this.child('norm2', new LayerNorm(dim, 1e-6));
    this.mlp = this.child('mlp', new Mlp(dim, Math.round(dim * mlpRatio), dim, { rng }));
    this.ls2 = this.child('ls2', new LayerScale(dim, initValues));
  }
  forward(x: Tensor): Tensor {
    const h = add(x, this.ls1.forward(this.attn.forward(this.norm1.forward(x))));
    return add(h, this.ls2.forward(this.mlp.forward(this.norm2.forward(h))));
  }
}

class PatchEmbed extends Module {
  readonly proj: Conv2d;
  constructor(patch: number, dim: number, rng: Rng) {
    super();
    this.proj = this.child('proj', new Conv2d(3, dim, patch, { stride: patch, rng }));
  }
  forward(x: Tensor): Tensor {
    const y = this.proj.forward(x);
    const [b, c, h, w] = y.shape;
    return transpose(reshape(y, [b, c, h * w]), [0, 2, 1]);
  }
}

export interface VitOptions {
  embedDim?: number;
  depth?: number;
  numHeads?: number;
  mlpRatio?: number;
  patch?: number;
  imgSize?: number;
  /** LayerScale init (DeiT-III: 1e-6). */
  initValues?: number;
  /** Block indices whose outputs `features` returns (default: the last block of each quarter). */
  outIndices?: readonly number[];
  numClasses?: number;
  rng?: Rng;
}

export class VisionTransformer extends Module implements Backbone {
  readonly clsToken: Parameter;
  readonly posEmbed: Parameter;
  readonly patchEmbed: PatchEmbed;
  readonly blocks: Sequential;
  readonly norm: LayerNorm;
  readonly head: Linear | null;
  readonly outIndices: readonly number[];
  readonly stageChannels: readonly number[];
  readonly imgSize: number;
  readonly patch: number;
  constructor(opts: VitOptions = {}) {
    super();
    const rng = opts.rng ?? defaultRng;
    const C = opts.embedDim ?? 384;
    const depth = opts.depth ?? 12;
    this.patch = opts.patch ?? 16;
    this.imgSize = opts.imgSize ?? 224;
    const n = (this.imgSize / this.patch) ** 2;
    this.clsToken = this.param('cls_token', [1, 1, C], truncNormal(rng, C, 1e-6));
    this.posEmbed = this.param('pos_embed', [1, n, C], truncNormal(rng, n * C, 0.02));
    this.patchEmbed = this.child('patch_embed', new PatchEmbed(this.patch, C, rng));
    const blocks: LayerScaleBlock[] = [];
    for (let i = 0; i < depth; i++) blocks.push(new LayerScaleBlock(C, opts.numHeads ?? 6, opts.mlpRatio ?? 4, opts.initValues ?? 1e-6, rng));
    this.blocks = this.child('blocks', new Sequential(...blocks));
    this.norm = this.child('norm', new LayerNorm(C, 1e-6));
    const nc = opts.numClasses ?? 0;
    this.head = nc > 0 ? this.child('head', new Linear(C, nc, { rng })) : null;
    this.outIndices = opts.outIndices ?? [1, 2, 3, 4].map((q) => Math.ceil((q * depth) / 4) - 1);
    this.stageChannels = [...this.outIndices.map(() => C), C];
  }
  features(x: Tensor): Tensor[] {
    if (x.shape[2] !== this.imgSize || x.shape[3] !== this.imgSize) throw expected('VisionTransformer', 'input size', `${this.imgSize}x${this.imgSize} (imgSize option)`, `${x.shape[2]}x${x.shape[3]}`, 'E_SHAPE');
    const g = x.graph;
    const b = x.shape[0];
    const t = add(this.patchEmbed.forward(x), g.param(this.posEmbed));
    const C = t.shape[2];
    let h = concat([expand(g.param(this.clsToken), [b, 1, C]), t], 1);
    const out: Tensor[] = [];
    this.blocks.layers.forEach((blk, i) => {
      h = blk.forward(h);
      if (this.outIndices.includes(i)) out.push(h);
    });
    out.push(this.norm.forward(h));
    return out;
  }
  /** Logits from the class token when built with `numClasses`, else the final normed tokens. */
  forward(x: Tensor): Tensor {
    const f = this.features(x);
    const last = f[f.length - 1];
    if (!this.head) return last;
    return this.head.forward(reshape(slice(last, [{ axis: 1, start: 0, end: 1 }]), [x.shape[0], last.shape[2]]));
  }
}

/** deit3_small_patch16_224: embed 384, depth 12, heads 6, LayerScale 1e-6. */
export const vitSmall = (opts: Omit<VitOptions, 'embedDim' | 'depth' | 'numHeads'> = {}): VisionTransformer => new VisionTransformer({ embedDim: 384, depth: 12, numHeads: 6, ...opts });
