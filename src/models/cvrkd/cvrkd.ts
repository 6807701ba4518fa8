/**
 * CVRKD-IQA (Yin et al., "Content-Variant Reference Image Quality Assessment via Knowledge Distillation", AAAI-22):
 * the network shared by the FR teacher and the NAR student, with the official module and parameter names
 * (guanghaoyin/CVRKD-IQA models/DistillationIQA.py, `DistillationIQANet`); models.md §2.3.
 *
 * Frozen ResNet features of m patches -> per-scale 1x1 reducer + adaptive pooling -> patch-major channel stacking ->
 * LQ and HQ-LQ difference features -> two MLP-Mixers (depth d on LQ, 2d on HQ-LQ) -> linear regressor (the official
 * forward applies no activation; PReLU/BN1d/Dropout parameters exist for checkpoint compatibility only, §2.8 #5).
 */
import type { Tensor } from '../../engine/graph/graph.js';
import { add, concat, gelu, matmul, reshape, sub, transpose } from '../../engine/ops/index.js';
import { Rng } from '../../engine/rng.js';
import { adaptiveAvgPool2d, mean } from '../../nn/functional.js';
import { BatchNorm2d, Conv2d, Dropout, LayerNorm, Linear } from '../../nn/layers.js';
import { Lambda, Module, Sequential, uniform } from '../../nn/module.js';
import { expected } from '../../tensor/errors.js';
import { resnet18, resnet50, type ResNet } from '../backbones/resnet.js';
import { Container } from '../common.js';

export interface CvrkdConfig {
  /** 'resnet50' (official) or 'resnet18' (CPU variant). */
  backbone: 'resnet50' | 'resnet18';
  /** Backbone stem/first-stage width (torchvision 64); smaller for CPU-sized variants. */
  backboneWidth?: number;
  /** Patches per image m (official 10); baked into the weight shapes. */
  patches: number;
  /** Patch side (official 224). */
  patchSize: number;
  /** Reducer output channels per scale (official lda_channel 64). */
  ldaChannel: number;
  /** Mixer width (official encode_decode_channel * 4 = 256). */
  dim: number;
  /** LQ mixer depth (official MLP_depth 9); the difference mixer has twice as many blocks. */
  depth: number;
  /** Pooled grid side (official 7: 49 tokens). */
  grid: number;
  seed?: number;
}

export const CVRKD_PAPER: CvrkdConfig = { backbone: 'resnet50', patches: 10, patchSize: 224, ldaChannel: 64, dim: 256, depth: 9, grid: 7 };

const BACKBONE_CHANNELS = { resnet50: [256, 512, 1024, 2048], resnet18: [64, 128, 256, 512] } as const;

/** Kaiming-normal (fan_in, gain sqrt 2) x scale, zero bias: the official `initialize_weights(net, 0.1)`. */
function kaimingScaled(m: Module, scale: number, rng: Rng): void {
  for (const [n, p] of m.namedTensors()) {
    if (p.isBuffer) continue;
    const d = p.value.data as Float32Array;
    if (n.endsWith('bias')) d.fill(0);
    else if (p.shape.length >= 2) {
      const std = Math.sqrt(2 / p.shape.slice(1).reduce((a, b) => a * b, 1)) * scale;
      for (let i = 0; i < d.length; i++) d[i] = rng.normal() * std;
    }
  }
}

/** nn.Conv1d(c_in, c_out, kernel_size=1) over [B, c_in, L] (the Mixer's token-mixing layer): weight [c_out, c_in, 1]. */
class Conv1x1d extends Module {
  readonly weight;
  readonly bias;
  constructor(readonly cin: number, readonly cout: number, rng: Rng) {
    super();
    const b = 1 / Math.sqrt(cin);
    this.weight = this.param('weight', [cout, cin, 1], uniform(rng, cout * cin, b));
    this.bias = this.param('bias', [cout], uniform(rng, cout, b));
  }
  forward(x: Tensor): Tensor {
    const g = x.graph;
    const w = reshape(g.param(this.weight), [this.cout, this.cin]);
    return add(matmul(w, x), reshape(g.param(this.bias), [this.cout, 1]));
  }
}

/** lucidrains PreNormResidual: fn(LayerNorm(x)) + x, with fn = Sequential(dense, GELU, Dropout, dense, Dropout). */
class PreNormResidual extends Module {
  readonly norm: LayerNorm;
  readonly fn: Sequential;
  constructor(dim: number, fn: Sequential) {
    super();
    this.fn = this.child('fn', fn);
    this.norm = this.child('norm', new LayerNorm(dim));
  }
  forward(x: Tensor): Tensor {
    return add(this.fn.forward(this.norm.forward(x)), x);
  }
}

/**
 * The official MLPMixer (image_size = grid, patch_size = 1): `mlp` = [Rearrange, Linear(channels, dim), depth x
 * [token-mixing (Conv1d over the tokens, x4), channel-mixing (Linear, x4)], LayerNorm, mean over tokens].
 */
export class MlpMixer extends Module {
  readonly embed: Linear;
  readonly blocks: Sequential[];
  readonly norm: LayerNorm;
  constructor(readonly channels: number, readonly tokens: number, readonly dim: number, readonly depth: number, rng: Rng) {
    super();
    const mlp = this.child('mlp', new Container());
    this.embed = mlp.add('1', new Linear(channels, dim, { rng }));
    const ff = (d: number, dense: (a: number, b: number) => Module) => new Sequential(dense(d, d * 4), new Lambda(gelu), new Dropout(0), dense(d * 4, d), new Dropout(0));
    this.blocks = [];
    for (let i = 0; i < depth; i++) {
      const blk = new Sequential(
        new PreNormResidual(dim, ff(tokens, (a, b) => new Conv1x1d(a, b, rng))),
        new PreNormResidual(dim, ff(dim, (a, b) => new Linear(a, b, { rng }))),
      );
      this.blocks.push(mlp.add(String(2 + i), blk));
    }
    this.norm = mlp.add(String(2 + depth), new LayerNorm(dim));
  }
  /** x [B, channels, g, g] -> pooled [B, dim] and the block outputs [B, tokens, dim] (one per block). */
  encode(x: Tensor): { out: Tensor; inner: Tensor[] } {
    const [b, c, h, w] = x.shape;
    let t = this.embed.forward(transpose(reshape(x, [b, c, h * w]), [0, 2, 1]));
    const inner: Tensor[] = [];
    for (const blk of this.blocks) inner.push((t = blk.forward(t)));
    return { out: mean(this.norm.forward(t), [1]), inner };
  }
  forward(x: Tensor): Tensor {
    return this.encode(x).out;
  }
}

/** RegressionFCNet: l2(l1(x)); relu1 (PReLU), drop1 and bn1 are defined but unused by the official forward. */
class Regressor extends Module {
  readonly l1: Linear;
  readonly l2: Linear;
  constructor(inF: number, hidden: number, rng: Rng) {
    super();
    this.l1 = this.child('l1', new Linear(inF, hidden, { rng }));
    this.child('relu1', new PReLU());
    this.child('bn1', new BatchNorm1dState(hidden));
    this.l2 = this.child('l2', new Linear(hidden, 1, { rng }));
  }
  forward(x: Tensor): Tensor {
    return this.l2.forward(this.l1.forward(x));
  }
}

/** nn.PReLU() (one slope, init 0.25); unused by the official forward. */
class PReLU extends Module {
  constructor() {
    super();
    this.param('weight', [1], new Float32Array([0.25]));
  }
  forward(x: Tensor): Tensor {
    return x;
  }
}

/** Parameters of the unused nn.BatchNorm1d (kept so official checkpoints load by name). */
class BatchNorm1dState extends BatchNorm2d {}

export interface CvrkdOutput {
  /** Predicted quality per image [B]. */
  pred: Tensor;
  /** Difference-encoder block outputs [B, tokens, dim], 2 * depth of them. */
  diffInner: Tensor[];
  lqInner: Tensor[];
}

export class Cvrkd extends Module {
  readonly featureExtractor: ResNet;
  readonly lda: Sequential[];
  readonly encoderDiff: MlpMixer;
  readonly encoderLq: MlpMixer;
  readonly regressor: Regressor;
  constructor(readonly config: CvrkdConfig) {
    super();
    const c = config;
    const rng = new Rng(c.seed ?? 0);
    this.featureExtractor = this.child('feature_extractor', (c.backbone === 'resnet50' ? resnet50 : resnet18)({ numClasses: 0, baseWidth: c.backboneWidth, rng }));
    this.featureExtractor.freeze();
    const chans = BACKBONE_CHANNELS[c.backbone].map((ch) => (ch * (c.backboneWidth ?? 64)) / 64);
    this.lda = chans.map((ch, i) => this.child(`lda${i + 1}_process`, new Sequential(new Conv2d(ch, c.ldaChannel, 1, { rng }), new Lambda((x) => adaptiveAvgPool2d(x, [c.grid, c.grid])))));
    const inC = c.patches * c.ldaChannel * 4;
    const tokens = c.grid * c.grid;
    this.encoderDiff = this.child('MLP_encoder_diff', new MlpMixer(inC, tokens, c.dim, c.depth * 2, rng));
    this.encoderLq = this.child('MLP_encoder_lq', new MlpMixer(inC, tokens, c.dim, c.depth, rng));
    this.regressor = this.child('regressor', new Regressor(2 * c.dim, c.dim, rng));
    for (const m of [this.encoderDiff, this.encoderLq, this.regressor, ...this.lda]) kaimingScaled(m, 0.1, rng);
    this.namedTensors(); // full state-dict names on every Parameter (ONNX initializer names)
  }

  /** Per-scale reduced features [B, m*ldaChannel, g, g] of patches [B*m, 3, p, p] (patch-major channels). */
  reduced(patches: Tensor, batch: number): Tensor[] {
    const g = this.config.grid;
    return this.featureExtractor.features(patches).slice(1).map((f, i) => reshape(this.lda[i].forward(f), [batch, -1, g, g]));
  }

  /**
   * lq, ref: patch batches [B, m, 3, p, p] (ImageNet-normalised). Teacher: ref = the aligned reference's patches at
   * the same positions. Student: ref = patches of any high-quality image (non-aligned reference).
   */
  run(lq: Tensor, ref: Tensor): CvrkdOutput {
    const [b, m, ch, h, w] = lq.shape;
    if (m !== this.config.patches) throw expected('Cvrkd', 'patches per image', String(this.config.patches), String(m), 'E_SHAPE');
    if (ref.shape.join() !== lq.shape.join()) throw expected('Cvrkd', 'reference patches', `[${lq.shape.join(', ')}]`, `[${ref.shape.join(', ')}]`, 'E_SHAPE');
    const fl = this.reduced(reshape(lq, [b * m, ch, h, w]), b);
    const fr = this.reduced(reshape(ref, [b * m, ch, h, w]), b);
    const lqF = concat(fl, 1);
    const diffF = concat(fr.map((r, i) => sub(r, fl[i])), 1);
    const eLq = this.encoderLq.encode(lqF);
    const eDiff = this.encoderDiff.encode(diffF);
    const pred = reshape(this.regressor.forward(concat([eLq.out, eDiff.out], 1)), [b]);
    return { pred, diffInner: eDiff.inner, lqInner: eLq.inner };
  }

  forward(x: Tensor): Tensor {
    return this.run(x, x).pred;
  }
}
