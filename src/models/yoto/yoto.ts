/**
 * YOTO (Yun & Lin, "You Only Train Once: A Unified Framework for Both FR and NR IQA", arXiv 2310.09560): one
 * network for full-reference and no-reference IQA. Module order, shapes and parameter names follow the official
 * code (BarCodeReader/YOTO models/model.py, `Net`); models.md §1.5. Width, crop size and encoder are configurable
 * so a small variant trains on a CPU.
 *
 * Official-code mode bugs fixed here (models.md §1.10): the FR mode is always passed explicitly (the inference
 * script and FR-only training called `net(x_d, x_r)`, i.e. the NR segment embedding, #1/#2: option
 * `legacyRefSegment` reproduces it); NR computes the shared path once (#9; identical at inference, one dropout
 * mask instead of two in training). Aligned FR crops (#3) and inclusive crop offsets (#10) are in ./preprocess.ts.
 */
import type { Tensor } from '../../engine/graph/graph.js';
import { add, concat, div, mul, relu, reshape, sigmoid, slice, sub, sum, transpose } from '../../engine/ops/index.js';
import { Rng } from '../../engine/rng.js';
import { Conv2d, Dropout, Embedding, LayerNorm, Linear } from '../../nn/layers.js';
import { Lambda, Module, Sequential } from '../../nn/module.js';
import { resnet18, resnet50, type ResNet } from '../backbones/resnet.js';
import { swinTiny, type SwinTransformer } from '../backbones/swin.js';
import { expected, IqaError } from '../../tensor/errors.js';
import { CSA, CTR, MSSA } from './blocks.js';

export type YotoMode = 'FR' | 'NR';
export type YotoEncoder = 'swin-t' | 'resnet50' | 'resnet18' | 'none';

export interface YotoConfig {
  /** 'swin-t' is the paper's; 'resnet50' is "Ours-R" (assumption, §1.10 #7); 'resnet18' a CPU-sized option. */
  encoder: YotoEncoder;
  /** Token width after the 1x1 embeddings (official 768). */
  dim: number;
  /** Square input crop (official 224); stage sides are crop/4, /8, /16, /32. */
  crop: number;
  /** ResNet encoders: stem/first-stage width (torchvision 64); smaller for CPU-sized variants. */
  encoderWidth?: number;
  /** Encoder stage channels when encoder = 'none' (features are fed directly). */
  channels?: readonly number[];
  /** Dropout of every attention block and the head (official 0.1). */
  drop?: number;
  seed?: number;
}

export const YOTO_PAPER: YotoConfig = { encoder: 'swin-t', dim: 768, crop: 224 };

const ENCODER_CHANNELS: Record<Exclude<YotoEncoder, 'none'>, number[]> = {
  'swin-t': [96, 192, 384, 768],
  resnet50: [256, 512, 1024, 2048],
  resnet18: [64, 128, 256, 512],
};

/** MANIQA-style head branch: Linear(d, d/2), ReLU, Dropout, Linear(d/2, 1), ReLU|Sigmoid ('fc_score', 'fc_weight'). */
const headBranch = (dim: number, last: (t: Tensor) => Tensor, drop: number, rng: Rng): Sequential =>
  new Sequential(new Linear(dim, dim / 2, { rng }), new Lambda(relu), new Dropout(drop), new Linear(dim / 2, 1, { rng }), new Lambda(last));

export class Yoto extends Module {
  readonly encoder: ResNet | SwinTransformer | null;
  readonly hws: number[];
  readonly channels: number[];
  readonly emb: Conv2d[];
  readonly ca: CTR[];
  readonly mssa: MSSA[];
  readonly csa: Record<string, CSA> = {};
  readonly ln: Record<string, LayerNorm> = {};
  readonly fcScore: Sequential;
  readonly fcWeight: Sequential;
  readonly segEmbd: Embedding[];
  /** Reproduce the official inference script's FR call (reference gets the NR segment row). */
  legacyRefSegment = false;

  constructor(readonly config: YotoConfig) {
    super();
    const { dim, crop } = config;
    const drop = config.drop ?? 0.1;
    const rng = new Rng(config.seed ?? 20);
    if (crop % 32) throw expected('Yoto', 'crop', 'a multiple of 32', String(crop));
    if (dim % 2) throw expected('Yoto', 'dim', 'even', String(dim));
    this.hws = [4, 8, 16, 32].map((s) => crop / s);
    if (this.hws[2] % 2) throw expected('Yoto', 'crop', 'with an even stage-3 side (crop/16)', String(crop));
    if (config.encoder === 'none') {
      if (config.channels?.length !== 4) throw expected('Yoto', "channels (encoder 'none')", '4 stage channel counts', String(config.channels));
      this.channels = [...config.channels];
      this.encoder = null;
    } else if (config.encoder === 'swin-t') {
      // mmdet-style Swin-T with identity-initialised per-stage output norms norm0..norm3 (models.md §1.4);
      // drop_path 0.2 of the official encoder is not applied (the backbone has no stochastic depth option)
      this.channels = ENCODER_CHANNELS['swin-t'];
      this.encoder = this.child('encoder', swinTiny({ outNorms: 'per-stage', imgSize: crop, rng }));
    } else {
      const k = (config.encoderWidth ?? 64) / 64;
      this.channels = ENCODER_CHANNELS[config.encoder].map((c) => c * k);
      const make = config.encoder === 'resnet50' ? resnet50 : resnet18;
      this.encoder = this.child('encoder', make({ numClasses: 0, baseWidth: config.encoderWidth, rng }));
    }
    this.emb = this.channels.map((c, i) => this.child(`emb${i + 1}`, new Conv2d(c, dim, 1, { rng })));
    this.ca = this.hws.map((hw, i) => this.child(`CA${i + 1}`, new CTR(hw * hw, { drop, rng })));
    this.mssa = [];
    for (let i = 1; i <= 4; i++) {
      this.mssa.push(this.child(`CSA${i}${i}`, new MSSA(dim, this.hws[i - 1], i < 4, { drop, rng })));
      for (let j = i + 1; j <= 4; j++) this.csa[`${i}${j}`] = this.child(`CSA${i}${j}`, new CSA(dim, { drop, rng }));
    }
    for (const k of ['11', '22', '33', '44', '12', '13', '14', '23', '24', '34']) this.ln[k] = this.child(`ln${k}`, new LayerNorm(dim));
    this.fcScore = this.child('fc_score', headBranch(dim, relu, drop, rng));
    this.fcWeight = this.child('fc_weight', headBranch(dim, sigmoid, drop, rng));
    this.segEmbd = [1, 2, 3, 4].map((i) => this.child(`seg_embd${i}`, new Embedding(2, dim, { rng })));
    this.namedTensors(); // full state-dict names on every Parameter (ONNX initializer names)
  }

  /** Encoder stage outputs [B, C_i, hw_i, hw_i] of a normalised crop batch [B, 3, crop, crop]. */
  stages(x: Tensor): Tensor[] {
    if (!this.encoder) throw new IqaError("Yoto.stages: encoder: expected one, got 'none' (feed features with forwardFeatures)", 'E_STATE');
    const f = this.encoder.features(x);
    return f.length === 5 ? f.slice(1) : f; // ResNet returns the stem first
  }

  /** `common_forward` after the encoder: 1x1 embeddings, CTR per stage, tokens first [B, N_i, dim]. */
  common(feats: readonly Tensor[]): Tensor[] {
    return feats.map((f, i) => {
      const [b, , h, w] = f.shape;
      if (h !== this.hws[i] || w !== this.hws[i]) throw expected('Yoto', `stage ${i + 1} size`, `${this.hws[i]}x${this.hws[i]}`, `${h}x${w}`, 'E_SHAPE');
      const e = reshape(this.emb[i].forward(f), [b, this.config.dim, h * w]);
      return transpose(this.ca[i].forward(e), [0, 2, 1]);
    });
  }

  private seg(i: number, row: 0 | 1, like: Tensor): Tensor {
    const w = like.graph.param(this.segEmbd[i].weight);
    return slice(w, [{ axis: 0, start: row, end: row + 1 }]);
  }

  /**
   * The body on encoder features: `fx` distorted, `fy` reference (FR) or null (NR: the shared path is computed once
   * and reused as the reference, with segment row 0). Returns the score [B].
   */
  forwardFeatures(fx: readonly Tensor[], fy: readonly Tensor[] | null, mode: YotoMode): Tensor {
    return this.head(this.tokens(fx, fy, mode));
  }

  /** The score head: token-weighted average of ReLU scores with sigmoid weights, [B, T, dim] -> [B]. */
  head(tokens: Tensor): Tensor {
    const s = this.fcScore.forward(tokens);
    const w = this.fcWeight.forward(tokens);
    return reshape(div(sum(mul(s, w), [1]), sum(w, [1])), [tokens.shape[0]]);
  }

  /** The aggregated tokens before the head, [B, sum N_i, dim]. */
  tokens(fx: readonly Tensor[], fy: readonly Tensor[] | null, mode: YotoMode, refMix?: Tensor): Tensor {
    if (mode === 'FR' && !fy) throw expected('Yoto', 'FR mode reference', 'reference features', 'none');
    const l = this.common(fx);
    const ly = mode === 'FR' ? this.common(fy!) : l;
    const refRow: 0 | 1 = mode === 'FR' && !this.legacyRefSegment ? 1 : 0;
    const outs: Record<string, Tensor> = {};
    for (let i = 0; i < 4; i++) {
      const x = add(l[i], this.seg(i, 0, l[i]));
      // refMix (a 0/1 scalar input) picks the reference row at run time: one training graph serves FR and NR batches
      const ys = refMix ? add(this.seg(i, 0, l[i]), mul(sub(this.seg(i, 1, l[i]), this.seg(i, 0, l[i])), refMix)) : this.seg(i, refRow, l[i]);
      const y = add(ly[i], ys);
      outs[`${i + 1}${i + 1}`] = this.mssa[i].attend(x, y);
    }
    const grid = this.hws[3];
    for (const [k, m] of Object.entries(this.csa)) {
      const i = Number(k[0]) - 1;
      const j = Number(k[1]) - 1;
      // SDA runs on the distorted features only, without segment embeddings (§1.10 #5)
      outs[k] = m.cross(l[i], l[j], this.hws[i], this.hws[j], grid);
    }
    const n = (k: string) => this.ln[k].forward(outs[k]);
    const avg = (ks: string[]) => mul(ks.map(n).reduce((a, b) => add(a, b)), 1 / ks.length);
    return concat([avg(['11', '12', '13', '14']), avg(['22', '23', '24']), avg(['33', '34']), n('44')], 1);
  }

  /** Score of distorted crops x [B, 3, crop, crop] (normalised (v - 0.5) / 0.5), with reference crops y in FR. */
  forwardMode(x: Tensor, y: Tensor | null, mode: YotoMode): Tensor {
    return this.forwardFeatures(this.stages(x), mode === 'FR' && y ? this.stages(y) : null, mode);
  }

  /**
   * The joint-training forward: both images through the shared path (the official NR call feeds the distorted image
   * twice, so an NR batch passes y = x), reference segment row = `fr` (scalar input, 1 for FR batches, 0 for NR).
   */
  forwardTrain(x: Tensor, y: Tensor, fr: Tensor): Tensor {
    return this.head(this.tokens(this.stages(x), this.stages(y), 'FR', fr));
  }

  forward(x: Tensor): Tensor {
    return this.forwardMode(x, null, 'NR');
  }
}
