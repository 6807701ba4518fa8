/**
 * Swin Transformer (Liu et al. 2021) with timm >= 0.9 state-dict names: patch_embed.{proj,norm},
 * layers.{i}.downsample.{norm,reduction} (PatchMerging at the start of stages 1..3), layers.{i}.blocks.{j}.{norm1,
 * attn.qkv, attn.relative_position_bias_table, attn.proj, norm2, mlp.fc1, mlp.fc2}, norm, head.fc.
 * Checkpoints in the original Microsoft / mmdet layout (downsample at the end of the previous stage, `head`) are
 * renamed by `swinKeyMap` in models/weights.ts.
 * `outNorms: 'per-stage'` adds mmdet's identity-initialised LayerNorms `norm0..norm3` on each stage output, as YOTO
 * uses (models.md §1.4); 'final' (timm) applies `norm` to the last stage only.
 * Input sizes (timm's SwinTransformer with `img_size=(H, W)` and its default `strict_img_size=True`): the model is
 * built for one size `imgSize` (square or [H, W]) and takes exactly that size; H and W must be multiples of
 * patch * 2^(stages - 1) (32 for Swin-T) so that every PatchMerging sees even maps (else a clear error). Per stage
 * and per axis, timm's window rule: an axis whose resolution is not larger than the window takes the resolution
 * as its window size (windows may be rectangular, e.g. 5x7 at 160x224) and no shift; otherwise the window and the
 * shift window/2 stay. Maps that are not multiples of the window are zero-padded at the bottom/right after the
 * cyclic shift and cropped after the window attention, the shift mask being built on the padded map (timm
 * `_attn`, `get_attn_mask`). The relative-position table is (2wh - 1)(2ww - 1) x heads, as timm's; a 224-trained
 * checkpoint therefore loads at sizes where no window shrinks (H, W >= 224 for Swin-T, e.g. 256x256); where a window
 * shrinks, timm resamples the table at load time (`resize_rel_pos_bias_table`), which is not implemented here (the
 * loader reports the shape mismatch).
 */
import type { Tensor } from '../../engine/graph/graph.js';
import { add, concat, constant, gather, mul, pad, reshape, slice, sum, transpose } from '../../engine/ops/index.js';
import type { Rng } from '../../engine/rng.js';
import { expected } from '../../tensor/errors.js';
import { windowPartition, windowReverse } from '../../nn/functional.js';
import { Mlp, scaledDotProductAttention } from '../../nn/blocks.js';
import { Conv2d, LayerNorm, Linear } from '../../nn/layers.js';
import { Module, Sequential, defaultRng } from '../../nn/module.js';
import type { Backbone } from './types.js';
import { FusedLayerNorm } from './fused-layer-norm.js';

/** [height, width] pair (window sizes, shifts, resolutions). */
export type Size2 = readonly [number, number];
const pair = (v: number | Size2): Size2 => (typeof v === 'number' ? [v, v] : v);

/** torch.roll along axes 1 and 2 of [B, H, W, C] by [sh, sw] (positive: towards higher indices). */
function roll2(x: Tensor, [sh, sw]: Size2): Tensor {
  const r = (t: Tensor, axis: number, s: number): Tensor => {
    const n = t.shape[axis];
    const k = ((s % n) + n) % n;
    if (k === 0) return t;
    return concat([slice(t, [{ axis, start: n - k }]), slice(t, [{ axis, end: n - k }])], axis);
  };
  return r(r(x, 1, sh), 2, sw);
}

/** timm relative_position_index for a wh x ww window: [(wh ww)^2] indices into the (2wh-1)(2ww-1) table. */
export function relativePositionIndex(ws: number | Size2): number[] {
  const [wh, ww] = pair(ws);
  const n = wh * ww;
  const idx: number[] = [];
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      const dh = Math.floor(i / ww) - Math.floor(j / ww) + wh - 1;
      const dw = (i % ww) - (j % ww) + ww - 1;
      idx.push(dh * (2 * ww - 1) + dw);
    }
  }
  return idx;
}

/**
 * The shifted-window attention mask [nW, N, N] (0 or -100), timm `get_attn_mask` on an H x W map (already padded
 * to window multiples). Per axis the regions are [0, n - w), [n - w, n - s), [n - s, n); an axis with shift 0 is
 * one region (timm's slices then cover the whole axis with one label).
 */
export function shiftMask(h: number, w: number, ws: number | Size2, s: number | Size2): Float64Array {
  const [wh, ww] = pair(ws);
  const [sh, sw] = pair(s);
  const region = (v: number, n: number, win: number, sh: number) => (sh === 0 ? 0 : v < n - win ? 0 : v < n - sh ? 1 : 2);
  const nWh = h / wh;
  const nWw = w / ww;
  const n = wh * ww;
  const out = new Float64Array(nWh * nWw * n * n);
  for (let a = 0; a < nWh; a++) {
    for (let b = 0; b < nWw; b++) {
      const lab: number[] = [];
      for (let i = 0; i < wh; i++) for (let j = 0; j < ww; j++) lab.push(region(a * wh + i, h, wh, sh) * 3 + region(b * ww + j, w, ww, sw));
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
  readonly ws: Size2;
  constructor(readonly dim: number, readonly numHeads: number, ws: number | Size2, rng: Rng) {
    super();
    this.ws = pair(ws);
    this.qkv = this.child('qkv', new Linear(dim, 3 * dim, { rng }));
    this.proj = this.child('proj', new Linear(dim, dim, { rng }));
    const rows = (2 * this.ws[0] - 1) * (2 * this.ws[1] - 1);
    // timm: trunc_normal_(std=.02)
    this.relativePositionBiasTable = this.param('relative_position_bias_table', [rows, numHeads], Float32Array.from({ length: rows * numHeads }, () => Math.max(-2, Math.min(2, rng.normal())) * 0.02));
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
  /** Window [wh, ww] and shift [sh, sw] of this block (timm `_calc_window_shift`). */
  readonly ws: Size2;
  readonly shift: Size2;
  constructor(dim: number, heads: number, readonly res: Size2, window: number, shifted: boolean, rng: Rng) {
    super();
    this.ws = [Math.min(res[0], window), Math.min(res[1], window)];
    const target = shifted ? Math.floor(window / 2) : 0;
    this.shift = [res[0] <= this.ws[0] ? 0 : target, res[1] <= this.ws[1] ? 0 : target];
    this.norm1 = this.child('norm1', new FusedLayerNorm(dim));
    this.attn = this.child('attn', new WindowAttention(dim, heads, this.ws, rng));
    this.norm2 = this.child('norm2', new FusedLayerNorm(dim));
    this.mlp = this.child('mlp', new Mlp(dim, 4 * dim, dim, { rng }));
  }
  /** x [B, H, W, C]. */
  forward(x: Tensor): Tensor {
    const [b, h, w, c] = x.shape;
    const [wh, ww] = this.ws;
    const [sh, sw] = this.shift;
    if (h !== this.res[0] || w !== this.res[1]) throw expected('SwinBlock', 'feature map', `${this.res[0]}x${this.res[1]} (the resolution it was built for)`, `${h}x${w}`, 'E_SHAPE');
    const shifted = sh !== 0 || sw !== 0;
    let s = this.norm1.forward(x);
    if (shifted) s = roll2(s, [-sh, -sw]);
    // timm: zero-pad bottom/right to window multiples after the shift, crop after the attention
    const hp = Math.ceil(h / wh) * wh;
    const wp = Math.ceil(w / ww) * ww;
    s = pad(s, [0, 0, 0, 0, 0, hp - h, wp - w, 0]);
    const n = wh * ww;
    const mask = shifted ? constant(x.graph, [(hp / wh) * (wp / ww), n, n], shiftMask(hp, wp, this.ws, this.shift), x.dtype) : null;
    let a = windowReverse(this.attn.attend(windowPartition(s, this.ws), mask), this.ws, hp, wp);
    if (hp !== h || wp !== w) a = slice(a, [{ axis: 1, end: h }, { axis: 2, end: w }]);
    if (shifted) a = roll2(a, [sh, sw]);
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
  constructor(dimIn: number, dim: number, depth: number, heads: number, res: Size2, window: number, rng: Rng) {
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
  /** The input size the model is built for, square or [height, width]; multiples of patch * 2^(stages - 1). Default 224. */
  imgSize?: number | Size2;
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
  readonly imgSize: Size2;
  constructor(readonly opts: SwinOptions = {}) {
    super();
    const rng = opts.rng ?? defaultRng;
    const C = opts.embedDim ?? 96;
    const depths = opts.depths ?? [2, 2, 6, 2];
    const heads = opts.numHeads ?? [3, 6, 12, 24];
    const patch = opts.patch ?? 4;
    this.imgSize = pair(opts.imgSize ?? 224);
    const unit = patch * 2 ** (depths.length - 1);
    if (this.imgSize.some((v) => !Number.isInteger(v) || v <= 0 || v % unit !== 0)) {
      throw expected('SwinTransformer', 'imgSize', `height and width multiples of ${unit} (patch ${patch} x 2^${depths.length - 1} patch merges)`, this.imgSize.join('x'), 'E_SHAPE');
    }
    this.patchEmbed = this.child('patch_embed', new PatchEmbed(patch, C, rng));
    const dims = depths.map((_, i) => C * 2 ** i);
    const layers = new Sequential(
      ...depths.map((d, i) => {
        const r: Size2 = [this.imgSize[0] / patch / 2 ** i, this.imgSize[1] / patch / 2 ** i];
        return new SwinStage(i ? dims[i - 1] : C, dims[i], d, heads[i], r, opts.window ?? 7, rng);
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
    const [ih, iw] = this.imgSize;
    if (x.shape[2] !== ih || x.shape[3] !== iw) throw expected('SwinTransformer', 'input size', `${ih}x${iw} (the imgSize it was built for; build with imgSize: [H, W] for another size)`, `${x.shape[2]}x${x.shape[3]}`, 'E_SHAPE');
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
