/**
 * ViT (Dosovitskiy et al. 2021) in the DeiT-III form (Touvron et al. 2022; timm `deit3_small_patch16_224`):
 * class token, position embedding added to the patch tokens only (timm `no_embed_class=True`), pre-norm blocks
 * with LayerScale (`ls1.gamma`, `ls2.gamma`, init 1e-6), LayerNorm eps 1e-6, final `norm`, optional `head`.
 * timm names: cls_token, pos_embed, patch_embed.proj, blocks.{i}.{norm1, attn.qkv, attn.proj, ls1.gamma, norm2,
 * mlp.fc1, mlp.fc2, ls2.gamma}, norm, head.
 * `features` returns token maps [B, 1 + N, C] after the blocks in `outIndices`, then the final normed tokens.
 * Input sizes: any H, W >= patch (the patch conv floors, as timm's PatchEmbed with `strict_img_size=False`). When the
 * patch grid differs from the trained grid (`imgSize / patch`), the position embedding is resampled in the graph as
 * timm `resample_abs_pos_embed` (used by `dynamic_img_size=True` and by timm's checkpoint filter on `img_size`
 * changes): the [gh, gw, C] grid is interpolated bicubically, align_corners=False; the class token has no position
 * embedding here (timm `no_embed_class=True`), so prefix tokens are untouched. `posEmbedAntialias` (default true,
 * timm's default) selects PyTorch's antialiased bicubic (Keys a = -0.5, support widened when shrinking, the
 * Pillow rule), false the plain bicubic (a = -0.75, clamped borders; timm < 0.9 `resize_pos_embed`).
 */
import type { Graph, Parameter, Tensor } from '../../engine/graph/graph.js';
import { add, concat, constant, expand, matmul, mul, reshape, slice, transpose } from '../../engine/ops/index.js';
import type { Rng } from '../../engine/rng.js';
import { expected } from '../../tensor/errors.js';
import { pilCoefficients } from '../../signal/pil-resize.js';
import { Attention, Mlp } from '../../nn/blocks.js';
import { Conv2d, LayerNorm, Linear } from '../../nn/layers.js';
import { Module, Sequential, defaultRng } from '../../nn/module.js';
import type { Backbone } from './types.js';
import { FusedLayerNorm } from './fused-layer-norm.js';

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
    this.norm1 = this.child('norm1', new FusedLayerNorm(dim, 1e-6));
    this.attn = this.child('attn', new Attention(dim, heads, { rng }));
    this.ls1 = this.child('ls1', new LayerScale(dim, initValues));
    this.norm2 = this.child('norm2', new FusedLayerNorm(dim, 1e-6));
    this.mlp = this.child('mlp', new Mlp(dim, Math.round(dim * mlpRatio), dim, { rng }));
    this.ls2 = this.child('ls2', new LayerScale(dim, initValues));
  }
  forward(x: Tensor): Tensor {
    const g = x.graph;
    if (g.paramMode === 'initializer') {
      // Inference graph: gamma folded into attn.proj / mlp.fc2 (constants, so onnxruntime folds them into the
      // weights), leaving Add + LayerNorm adjacent for its SkipLayerNormalization fusion
      const h = add(x, this.attn.forward(this.norm1.forward(x), g.param(this.ls1.gamma)));
      return add(h, this.mlp.forward(this.norm2.forward(h), g.param(this.ls2.gamma)));
    }
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

/**
 * PyTorch `F.interpolate(mode='bicubic', align_corners=False)` along one axis as an [out, in] matrix.
 * antialias false: source x = (i + 0.5) in/out - 0.5, Keys a = -0.75 on the 4 taps floor(x) - 1 .. floor(x) + 2,
 * indices clamped to the border. antialias true: the Pillow-rule weights (a = -0.5), `pilCoefficients`.
 */
export function bicubicMatrix(inSize: number, outSize: number, antialias: boolean): Float64Array {
  const m = new Float64Array(outSize * inSize);
  if (antialias) {
    const c = pilCoefficients(inSize, outSize, 'bicubic');
    for (let i = 0; i < outSize; i++) for (let j = 0; j < c.count[i]; j++) m[i * inSize + c.start[i] + j] += c.k[i * c.ksize + j];
    return m;
  }
  const A = -0.75;
  const near = (t: number) => ((A + 2) * t - (A + 3)) * t * t + 1;
  const far = (t: number) => ((A * t - 5 * A) * t + 8 * A) * t - 4 * A;
  const scale = inSize / outSize;
  for (let i = 0; i < outSize; i++) {
    const x = (i + 0.5) * scale - 0.5;
    const x0 = Math.floor(x);
    const t = x - x0;
    const w = [far(t + 1), near(t), near(1 - t), far(2 - t)];
    for (let k = 0; k < 4; k++) m[i * inSize + Math.min(Math.max(x0 - 1 + k, 0), inSize - 1)] += w[k];
  }
  return m;
}

/** The [nh * nw, gh * gw] matrix resampling a row-major gh x gw grid of tokens to nh x nw (separable bicubic). */
export function posEmbedResampleMatrix(from: readonly [number, number], to: readonly [number, number], antialias: boolean): Float64Array {
  const [gh, gw] = from;
  const [nh, nw] = to;
  const ah = bicubicMatrix(gh, nh, antialias);
  const aw = bicubicMatrix(gw, nw, antialias);
  const k = new Float64Array(nh * nw * gh * gw);
  for (let i = 0; i < nh; i++) {
    for (let j = 0; j < nw; j++) {
      const row = (i * nw + j) * gh * gw;
      for (let p = 0; p < gh; p++) {
        const a = ah[i * gh + p];
        if (a !== 0) for (let q = 0; q < gw; q++) k[row + p * gw + q] = a * aw[j * gw + q];
      }
    }
  }
  return k;
}

export interface VitOptions {
  embedDim?: number;
  depth?: number;
  numHeads?: number;
  mlpRatio?: number;
  patch?: number;
  /** Trained input size (square, or [height, width]); sets the position-embedding grid. Default 224. */
  imgSize?: number | readonly [number, number];
  /** Position-embedding resampling for other input sizes: antialiased bicubic (default, timm) or plain bicubic. */
  posEmbedAntialias?: boolean;
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
  readonly imgSize: readonly [number, number];
  /** The trained patch grid [gh, gw] of `pos_embed`. */
  readonly grid: readonly [number, number];
  readonly patch: number;
  readonly posEmbedAntialias: boolean;
  constructor(opts: VitOptions = {}) {
    super();
    const rng = opts.rng ?? defaultRng;
    const C = opts.embedDim ?? 384;
    const depth = opts.depth ?? 12;
    this.patch = opts.patch ?? 16;
    const size = opts.imgSize ?? 224;
    this.imgSize = typeof size === 'number' ? [size, size] : [size[0], size[1]];
    this.grid = [Math.floor(this.imgSize[0] / this.patch), Math.floor(this.imgSize[1] / this.patch)];
    this.posEmbedAntialias = opts.posEmbedAntialias ?? true;
    const n = this.grid[0] * this.grid[1];
    this.clsToken = this.param('cls_token', [1, 1, C], truncNormal(rng, C, 1e-6));
    this.posEmbed = this.param('pos_embed', [1, n, C], truncNormal(rng, n * C, 0.02));
    this.patchEmbed = this.child('patch_embed', new PatchEmbed(this.patch, C, rng));
    const blocks: LayerScaleBlock[] = [];
    for (let i = 0; i < depth; i++) blocks.push(new LayerScaleBlock(C, opts.numHeads ?? 6, opts.mlpRatio ?? 4, opts.initValues ?? 1e-6, rng));
    this.blocks = this.child('blocks', new Sequential(...blocks));
    this.norm = this.child('norm', new FusedLayerNorm(C, 1e-6));
    const nc = opts.numClasses ?? 0;
    this.head = nc > 0 ? this.child('head', new Linear(C, nc, { rng })) : null;
    this.outIndices = opts.outIndices ?? [1, 2, 3, 4].map((q) => Math.ceil((q * depth) / 4) - 1);
    this.stageChannels = [...this.outIndices.map(() => C), C];
  }
  features(x: Tensor): Tensor[] {
    const p = this.patch;
    if (x.shape.length !== 4 || x.shape[1] !== 3 || x.shape[2] < p || x.shape[3] < p) {
      throw expected('VisionTransformer', 'input', `[B, 3, H, W] with H, W >= the patch ${p}`, `[${x.shape.join(', ')}]`, 'E_SHAPE');
    }
    const g = x.graph;
    const b = x.shape[0];
    const t = add(this.patchEmbed.forward(x), this.positionEmbedding(x.graph, [Math.floor(x.shape[2] / p), Math.floor(x.shape[3] / p)]));
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
  /** pos_embed [1, nh * nw, C] for an nh x nw patch grid: the parameter itself, or resampled from the trained grid. */
  positionEmbedding(g: Graph, to: readonly [number, number]): Tensor {
    const pe = g.param(this.posEmbed);
    const [gh, gw] = this.grid;
    if (to[0] === gh && to[1] === gw) return pe;
    const C = this.posEmbed.shape[2];
    const k = constant(g, [to[0] * to[1], gh * gw], posEmbedResampleMatrix(this.grid, to, this.posEmbedAntialias), pe.dtype);
    return reshape(matmul(k, reshape(pe, [gh * gw, C])), [1, to[0] * to[1], C]);
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
