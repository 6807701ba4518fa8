/**
 * Swin Transformer (Liu et al. 2021) with timm >= 0.9 state-dict names: patch_embed.{proj,norm},
 * layers.{i}.downsample.{norm,reduction} (PatchMerging at the start of stages 1..3), layers.{i}.blocks.{j}.{norm1,
 * attn.qkv, attn.relative_position_bias_table, attn.proj, norm2, mlp.fc1, mlp.fc2}, norm, head.fc.
 * Checkpoints in the original Microsoft / mmdet layout (downsample at the end of the previous stage, `head`) are
 * renamed by `swinKeyMap` in models/weights.ts.
 * `outNorms: 'per-stage'` adds mmdet's identity-initialised LayerNorms `norm0..norm3` on each stage output, as YOTO
 * uses (models.md §1.4); 'final' (timm) applies `norm` to the last stage only.
 * Windows follow timm's rule: when a stage's feature map is not larger than the window, the window shrinks to the
 * map and the shift is 0.
 */
import type { Tensor } from '../../engine/graph/graph.js';
import { add, concat, constant, gather, mul, reshape, slice, sum, transpose } from '../../engine/ops/index.js';
import type { Rng } from '../../engine/rng.js';
import { expected } from '../../tensor/errors.js';
import { windowPartition, windowReverse } from '../../nn/functional.js';
import { Mlp, scaledDotProductAttention } from '../../nn/blocks.js';
import { Conv2d, LayerNorm, Linear } from '../../nn/layers.js';
import { Module, Sequential, defaultRng } from '../../nn/module.js';
import type { Backbone } from './types.js';
import { FusedLayerNorm } from './fused-layer-norm.js';

/** torch.roll along axes 1 and 2 of [B, H, W, C] by `s` (positive: towards higher indices). */
function roll2(x: Tensor, s: number): Tensor {
  const r = (t: Tensor, axis: number): Tensor => {
    const n = t.shape[axis];
    const k = ((s % n) + n) % n;
    if (k === 0) return t;
    return concat([slice(t, [{ axis, start: n - k }]), slice(t, [{ axis, end: n - k }])], axis);
  };
  return r(r(x, 1), 2);
}

/** timm relative_position_index for a ws x ws window: [ws^2 * ws^2] indices into the (2ws-1)^2 table. */
export function relativePositionIndex(ws: number): number[] {
  const n = ws * ws;
  const idx: number[] = [];
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      const dh = Math.floor(i / ws) - Math.floor(j / ws) + ws - 1;
      const dw = (i % ws) - (j % ws) + ws - 1;
      idx.push(dh * (2 * ws - 1) + dw);
    }
  }
  return idx;
}

/** The shifted-window attention mask [nW, N, N] (0 or -100), timm `get_attn_mask` on an H x W map. */
export function shiftMask(h: number, w: number, ws: number, s: number): Float64Array {
  const region = (v: number, n: number) => (v < n - ws ? 0 : v < n - s ? 1 : 2);
  const nWh = h / ws;
  const nWw = w / ws;
  const n = ws * ws;
  const out = new Float64Array(nWh * nWw * n * n);
  for (let a = 0; a < nWh; a++) {
    for (let b = 0; b < nWw; b++) {
      const lab: number[] = [];
      for (let i = 0; i < ws; i++) for (let j = 0; j < ws; j++) lab.push(region(a * ws + i, h) * 3 + region(b * ws + j, w));
      const base = (a * nWw + b) * n * n;
      for (let p = 0; p < n; p++) for (let q = 0; q < n; q++) out[base + p * n + q] = lab[p] === lab[q] ? 0 : -100;
    }
  }
  return out;
}

export class WindowAttention extends Module {
  readonly qkv: Linear;
  readonly proj: Linear;
  readonly relativePositionBiasTable;
  constructor(readonly dim: number, readonly numHeads: number, readonly ws: number, rng: Rng) {
    super();
    this.qkv = this.child('qkv', new Linear(dim, 3 * dim, { rng }));
    this.proj = this.child('proj', new Linear(dim, dim, { rng }));
    const t = (2 * ws - 1) ** 2 * numHeads;
    // timm: trunc_normal_(std=.02)
    this.relativePositionBiasTable = this.param('relative_position_bias_table', [(2 * ws - 1) ** 2, numHeads], Float32Array.from({ length: t }, () => Math.max(-2, Math.min(2, rng.normal())) * 0.02));
  }
  /** x [B_, N, C] windows; mask [nW, N, N] or null. */
  attend(x: Tensor, mask: Tensor | null): Tensor {
    const [b, n, c] = x.shape;
    const h = this.numHeads;
    const d = c / h;
    const qkv = transpose(reshape(this.qkv.forward(x), [b, n, 3, h, d]), [2, 0, 3, 1, 4]);
    const part = (i: number) => reshape(slice(qkv, [{ axis: 0, start: i, end: i + 1 }]), [b, h, n, d]);
    const g = x.graph;
    const idx = constant(g, [n * n], relativePositionIndex(this.ws), 'int64');
    const bias = reshape(transpose(reshape(gather(g.param(this.relativePositionBiasTable), idx, 0), [n, n, h]), [2, 0, 1]), [1, h, n, n]);
    let o: Tensor;
    if (mask) {
      // bias + mask is a constant [nW, heads, N, N] (folded by onnxruntime): the windows of one image become extra
      // heads ([B, nW*heads, N, d]), so it broadcasts over the batch as one attention bias
      const nw = mask.shape[0];
      const bm = reshape(add(bias, reshape(mask, [nw, 1, n, n])), [1, nw * h, n, n]);
      const w = (t: Tensor) => reshape(t, [b / nw, nw * h, n, d]);
      o = reshape(scaledDotProductAttention(w(part(0)), w(part(1)), w(part(2)), { scale: d ** -0.5, bias: bm }), [b, h, n, d]);
    } else o = scaledDotProductAttention(part(0), part(1), part(2), { scale: d ** -0.5, bias });
    return this.proj.forward(reshape(transpose(o, [0, 2, 1, 3]), [b, n, c]));
  }
  forward(x: Tensor): Tensor {
    return this.attend(x, null);
  }
}

export class SwinBlock extends Module {
  readonly norm1: LayerNorm;
  readonly attn: WindowAttention;
  readonly norm2: LayerNorm;
  readonly mlp: Mlp;
  readonly ws: number;
  readonly shift: number;
  constructor(dim: number, heads: number, readonly res: readonly [number, number], window: number, shifted: boolean, rng: Rng) {
    super();
    const fits = Math.min(...res) <= window;
    this.ws = fits ? Math.min(...res) : window;
    this.shift = fits || !shifted ? 0 : Math.floor(window / 2);
    this.norm1 = this.child('norm1', new FusedLayerNorm(dim));
    this.attn = this.child('attn', new WindowAttention(dim, heads, this.ws, rng));
    this.norm2 = this.child('norm2', new FusedLayerNorm(dim));
    this.mlp = this.child('mlp', new Mlp(dim, 4 * dim, dim, { rng }));
  }
  /** x [B, H, W, C]. */
  forward(x: Tensor): Tensor {
    const [b, h, w, c] = x.shape;
    const ws = this.ws;
    if (h % ws || w % ws) throw expected('SwinBlock', 'feature map', `a multiple of the window ${ws}`, `${h}x${w}`, 'E_SHAPE');
    let s = this.norm1.forward(x);
    if (this.shift) s = roll2(s, -this.shift);
    const mask = this.shift ? constant(x.graph, [(h / ws) * (w / ws), ws * ws, ws * ws], shiftMask(h, w, ws, this.shift), x.dtype) : null;
    let a = windowReverse(this.attn.attend(windowPartition(s, ws), mask), ws, h, w);
    if (this.shift) a = roll2(a, this.shift);
    const y = add(x, a);
    return add(y, reshape(this.mlp.forward(this.norm2.forward(reshape(y, [b, h * w, c]))), [b, h, w, c]));
  }
}

/** PatchMerging: 2x2 neighbours concatenated (timm order x[0::2,0::2], x[1::2,0::2], x[0::2,1::2], x[1::2,1::2]), norm, reduction. */
export class PatchMerging extends Module {
  readonly norm: LayerNorm;
  readonly reduction: Linear;
  constructor(dim: number, rng: Rng) {
    super();
    this.norm = this.child('norm', new FusedLayerNorm(4 * dim));
    this.reduction = this.child('reduction', new Linear(4 * dim, 2 * dim, { bias: false, rng }));
  }
  forward(x: Tensor): Tensor {
    const [b, h, w, c] = x.shape;
    const t = reshape(transpose(reshape(x, [b, h / 2, 2, w / 2, 2, c]), [0, 1, 3, 4, 2, 5]), [b, h / 2, w / 2, 4 * c]);
    return this.reduction.forward(this.norm.forward(t));
  }
}

export class SwinStage extends Module {
  readonly downsample: PatchMerging | null;
  readonly blocks: Sequential;
  constructor(dimIn: number, dim: number, depth: number, heads: number, res: readonly [number, number], window: number, rng: Rng) {
    super();
    this.downsample = dimIn !== dim ? this.child('downsample', new PatchMerging(dimIn, rng)) : null;
    const blocks: SwinBlock[] = [];
    for (let j = 0; j < depth; j++) blocks.push(new SwinBlock(dim, heads, res, window, j % 2 === 1, rng));
    this.blocks = this.child('blocks', new Sequential(...blocks));
  }
  forward(x: Tensor): Tensor {
    return this.blocks.forward(this.downsample ? this.downsample.forward(x) : x);
  }
}

class PatchEmbed extends Module {
  readonly proj: Conv2d;
  readonly norm: LayerNorm;
  constructor(patch: number, dim: number, rng: Rng) {
    super();
    this.proj = this.child('proj', new Conv2d(3, dim, patch, { stride: patch, rng }));
    this.norm = this.child('norm', new FusedLayerNorm(dim));
  }
  /** [B, 3, H, W] -> [B, H/p, W/p, C] */
  forward(x: Tensor): Tensor {
    return this.norm.forward(transpose(this.proj.forward(x), [0, 2, 3, 1]));
  }
}

/** timm ClassifierHead (`head.fc`): average over tokens, then a Linear. Input [B, H, W, C]. */
class ClsHead extends Module {
  readonly fc: Linear;
  constructor(dim: number, nc: number, rng: Rng) {
    super();
    this.fc = this.child('fc', new Linear(dim, nc, { rng }));
  }
  forward(x: Tensor): Tensor {
    const [b, h, w, c] = x.shape;
    return this.fc.forward(mul(sum(reshape(x, [b, h * w, c]), [1]), 1 / (h * w)));
  }
}

export interface SwinOptions {
  embedDim?: number;
  depths?: readonly number[];
  numHeads?: readonly number[];
  window?: number;
  patch?: number;
  imgSize?: number;
  /** 'final' (timm: `norm` on the last stage) or 'per-stage' (mmdet/YOTO: `norm0..norm3`, identity init). */
  outNorms?: 'final' | 'per-stage';
  /** Classifier classes; 0 (default) builds no head. */
  numClasses?: number;
  rng?: Rng;
}

export class SwinTransformer extends Module implements Backbone {
  readonly patchEmbed: PatchEmbed;
  readonly layers: SwinStage[];
  readonly norms: LayerNorm[];
  readonly head: ClsHead | null;
  readonly stageChannels: readonly number[];
  readonly imgSize: number;
  constructor(readonly opts: SwinOptions = {}) {
    super();
    const rng = opts.rng ?? defaultRng;
    const C = opts.embedDim ?? 96;
    const depths = opts.depths ?? [2, 2, 6, 2];
    const heads = opts.numHeads ?? [3, 6, 12, 24];
    const patch = opts.patch ?? 4;
    this.imgSize = opts.imgSize ?? 224;
    this.patchEmbed = this.child('patch_embed', new PatchEmbed(patch, C, rng));
    const dims = depths.map((_, i) => C * 2 ** i);
    const layers = new Sequential(
      ...depths.map((d, i) => {
        const r = this.imgSize / patch / 2 ** i;
        return new SwinStage(i ? dims[i - 1] : C, dims[i], d, heads[i], [r, r], opts.window ?? 7, rng);
      }),
    );
    this.child('layers', layers);
    this.layers = layers.layers as SwinStage[];
    this.norms =
      opts.outNorms === 'per-stage' ? dims.map((d, i) => this.child(`norm${i}`, new FusedLayerNorm(d))) : [this.child('norm', new FusedLayerNorm(dims[dims.length - 1]))];
    const nc = opts.numClasses ?? 0;
    this.head = nc > 0 ? this.child('head', new ClsHead(dims[dims.length - 1], nc, rng)) : null;
    this.stageChannels = dims;
  }
  /** The four stage outputs as NCHW (after their output norms). */
  features(x: Tensor): Tensor[] {
    if (x.shape[2] !== this.imgSize || x.shape[3] !== this.imgSize) throw expected('SwinTransformer', 'input size', `${this.imgSize}x${this.imgSize} (imgSize option)`, `${x.shape[2]}x${x.shape[3]}`, 'E_SHAPE');
    let h = this.patchEmbed.forward(x);
    const out: Tensor[] = [];
    this.layers.forEach((l, i) => {
      h = l.forward(h);
      const norm = this.norms.length > 1 ? this.norms[i] : i === this.layers.length - 1 ? this.norms[0] : null;
      out.push(transpose(norm ? norm.forward(h) : h, [0, 3, 1, 2]));
    });
    return out;
  }
  /** Logits when built with `numClasses`, else the last stage (NCHW). */
  forward(x: Tensor): Tensor {
    const f = this.features(x)[3];
    return this.head ? this.head.forward(transpose(f, [0, 2, 3, 1])) : f;
  }
}

/** swin_tiny_patch4_window7_224: embed 96, depths [2,2,6,2], heads [3,6,12,24], window 7. */
export const swinTiny = (opts: Omit<SwinOptions, 'embedDim' | 'depths' | 'numHeads'> = {}): SwinTransformer => new SwinTransformer({ window: 7, imgSize: 224, ...opts });
