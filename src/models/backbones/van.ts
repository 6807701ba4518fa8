/**
 * VAN, Visual Attention Network (Guo et al. 2022), with the official VAN-Classification names (as also used by
 * timm's `van_b*` registrations): patch_embed{i}.{proj,norm(BN)}, block{i}.{j}.{norm1(BN), attn.proj_1,
 * attn.spatial_gating_unit.{conv0 (5x5 dw), conv_spatial (7x7 dw, dilation 3), conv1}, attn.proj_2, layer_scale_1,
 * norm2(BN), mlp.fc1, mlp.dwconv.dwconv, mlp.fc2, layer_scale_2}, norm{i} (LayerNorm eps 1e-6 over channels).
 * Sizes: b0 [32,64,160,256] depths [3,3,5,2]; b1 [64,128,320,512] [2,2,4,2]; b2 [64,128,320,512] [3,3,12,3];
 * MLP ratios [8,8,4,4].
 */
import type { Parameter, Tensor } from '../../engine/graph/graph.js';
import { add, gelu, mul, reshape, transpose } from '../../engine/ops/index.js';
import type { Rng } from '../../engine/rng.js';
import { perChannel } from '../../nn/functional.js';
import { BatchNorm2d, Conv2d, LayerNorm } from '../../nn/layers.js';
import { Module, Sequential, defaultRng } from '../../nn/module.js';
import type { Backbone } from './types.js';

class LKA extends Module {
  readonly conv0: Conv2d;
  readonly convSpatial: Conv2d;
  readonly conv1: Conv2d;
  constructor(dim: number, rng: Rng) {
    super();
    this.conv0 = this.child('conv0', new Conv2d(dim, dim, 5, { padding: 2, groups: dim, rng }));
    this.convSpatial = this.child('conv_spatial', new Conv2d(dim, dim, 7, { padding: 9, groups: dim, dilation: 3, rng }));
    this.conv1 = this.child('conv1', new Conv2d(dim, dim, 1, { rng }));
  }
  forward(x: Tensor): Tensor {
    return mul(x, this.conv1.forward(this.convSpatial.forward(this.conv0.forward(x))));
  }
}

class VanAttention extends Module {
  readonly proj1: Conv2d;
  readonly sgu: LKA;
  readonly proj2: Conv2d;
  constructor(dim: number, rng: Rng) {
    super();
    this.proj1 = this.child('proj_1', new Conv2d(dim, dim, 1, { rng }));
    this.sgu = this.child('spatial_gating_unit', new LKA(dim, rng));
    this.proj2 = this.child('proj_2', new Conv2d(dim, dim, 1, { rng }));
  }
  forward(x: Tensor): Tensor {
    return add(this.proj2.forward(this.sgu.forward(gelu(this.proj1.forward(x)))), x);
  }
}

class DWConv extends Module {
  readonly dwconv: Conv2d;
  constructor(dim: number, rng: Rng) {
    super();
    this.dwconv = this.child('dwconv', new Conv2d(dim, dim, 3, { padding: 1, groups: dim, rng }));
  }
  forward(x: Tensor): Tensor {
    return this.dwconv.forward(x);
  }
}

class VanMlp extends Module {
  readonly fc1: Conv2d;
  readonly dwconv: DWConv;
  readonly fc2: Conv2d;
  constructor(dim: number, hidden: number, rng: Rng) {
    super();
    this.fc1 = this.child('fc1', new Conv2d(dim, hidden, 1, { rng }));
    this.dwconv = this.child('dwconv', new DWConv(hidden, rng));
    this.fc2 = this.child('fc2', new Conv2d(hidden, dim, 1, { rng }));
  }
  forward(x: Tensor): Tensor {
    return this.fc2.forward(gelu(this.dwconv.forward(this.fc1.forward(x))));
  }
}

export class VanBlock extends Module {
  readonly norm1: BatchNorm2d;
  readonly attn: VanAttention;
  readonly norm2: BatchNorm2d;
  readonly mlp: VanMlp;
  readonly layerScale1: Parameter;
  readonly layerScale2: Parameter;
  constructor(dim: number, mlpRatio: number, rng: Rng) {
    super();
    this.norm1 = this.child('norm1', new BatchNorm2d(dim));
    this.attn = this.child('attn', new VanAttention(dim, rng));
    this.norm2 = this.child('norm2', new BatchNorm2d(dim));
    this.mlp = this.child('mlp', new VanMlp(dim, dim * mlpRatio, rng));
    this.layerScale1 = this.param('layer_scale_1', [dim], new Float32Array(dim).fill(1e-2));
    this.layerScale2 = this.param('layer_scale_2', [dim], new Float32Array(dim).fill(1e-2));
  }
  forward(x: Tensor): Tensor {
    const g = x.graph;
    const h = add(x, mul(perChannel(g.param(this.layerScale1), 4), this.attn.forward(this.norm1.forward(x))));
    return add(h, mul(perChannel(g.param(this.layerScale2), 4), this.mlp.forward(this.norm2.forward(h))));
  }
}

class OverlapPatchEmbed extends Module {
  readonly proj: Conv2d;
  readonly norm: BatchNorm2d;
  constructor(k: number, stride: number, cin: number, dim: number, rng: Rng) {
    super();
    this.proj = this.child('proj', new Conv2d(cin, dim, k, { stride, padding: Math.floor(k / 2), rng }));
    this.norm = this.child('norm', new BatchNorm2d(dim));
  }
  forward(x: Tensor): Tensor {
    return this.norm.forward(this.proj.forward(x));
  }
}

export interface VanOptions {
  embedDims?: readonly number[];
  depths?: readonly number[];
  mlpRatios?: readonly number[];
  rng?: Rng;
}

export class Van extends Module implements Backbone {
  readonly stages: { embed: OverlapPatchEmbed; blocks: Sequential; norm: LayerNorm }[] = [];
  readonly stageChannels: readonly number[];
  constructor(opts: VanOptions = {}) {
    super();
    const rng = opts.rng ?? defaultRng;
    const dims = opts.embedDims ?? [64, 128, 320, 512];
    const depths = opts.depths ?? [3, 3, 12, 3];
    const ratios = opts.mlpRatios ?? [8, 8, 4, 4];
    dims.forEach((d, i) => {
      const embed = this.child(`patch_embed${i + 1}`, new OverlapPatchEmbed(i ? 3 : 7, i ? 2 : 4, i ? dims[i - 1] : 3, d, rng));
      const blocks = this.child(`block${i + 1}`, new Sequential(...Array.from({ length: depths[i] }, () => new VanBlock(d, ratios[i], rng))));
      const norm = this.child(`norm${i + 1}`, new LayerNorm(d, 1e-6));
      this.stages.push({ embed, blocks, norm });
    });
    this.stageChannels = dims;
  }
  /** The four stage outputs (after each stage's LayerNorm), NCHW. */
  features(x: Tensor): Tensor[] {
    let h = x;
    return this.stages.map((s) => {
      h = s.blocks.forward(s.embed.forward(h));
      const [b, c, hh, ww] = h.shape;
      const t = s.norm.forward(transpose(reshape(h, [b, c, hh * ww]), [0, 2, 1]));
      h = reshape(transpose(t, [0, 2, 1]), [b, c, hh, ww]);
      return h;
    });
  }
  forward(x: Tensor): Tensor {
    return this.features(x)[3];
  }
}

const R = [8, 8, 4, 4];
export const vanB0 = (opts: { rng?: Rng } = {}): Van => new Van({ embedDims: [32, 64, 160, 256], depths: [3, 3, 5, 2], mlpRatios: R, ...opts });
export const vanB1 = (opts: { rng?: Rng } = {}): Van => new Van({ embedDims: [64, 128, 320, 512], depths: [2, 2, 4, 2], mlpRatios: R, ...opts });
export const vanB2 = (opts: { rng?: Rng } = {}): Van => new Van({ embedDims: [64, 128, 320, 512], depths: [3, 3, 12, 3], mlpRatios: R, ...opts });
