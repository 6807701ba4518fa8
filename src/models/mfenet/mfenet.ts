/**
 * MFENet (docs/models.md §4.6, our design; no official code exists):
 *  - HFEN: conv stem, octave convolutions (Chen et al. 2019) keeping the high-frequency output, then a strided pyramid
 *    h1..h4 with the VAN stage widths;
 *  - QEN: VAN (backbones/van.ts); after each stage q_i <- AFF(q_i, h_i) and the enhanced q_i feeds stage i + 1;
 *  - DAN: a ResNet (ResNet-50 at paper size) contrastively pre-trained on distortion type and level (mfenet-train.ts),
 *    frozen; its last stage enters the FFM with q4;
 *  - AFF (open-aff `AFF`, MS-CAM r = 4, scale 2 as the reference code) and the FFM (channel + spatial attention);
 *  - head: GAP(q1), GAP(q2), GAP(q3), GAP(f) -> Linear -> GELU -> Dropout -> Linear; auxiliary distortion classifier
 *    on GAP(f) and a high-frequency map regressor on the octave output.
 * Ablations: `hfen`, `dan`, `aff` (false: q + h), `ffm` (false: concat + 1x1 conv).
 */
import type { Tensor } from '../../engine/graph/graph.js';
import { add, avgPool2d, concat, expand, gelu, max as reduceMax, mul, relu, reshape, sigmoid, sub, transpose } from '../../engine/ops/index.js';
import { Rng } from '../../engine/rng.js';
import { globalAvgPool, mean } from '../../nn/functional.js';
import { BatchNorm2d, Conv2d, Dropout, Linear } from '../../nn/layers.js';
import { Module, Sequential } from '../../nn/module.js';
import { ResNet } from '../backbones/resnet.js';
import { Van } from '../backbones/van.js';

export interface MfenetConfig {
  /** VAN dims/depths (VAN-B2 "base": [64,128,320,512] / [3,3,12,3]); HFEN pyramid widths equal the dims. */
  vanDims: number[];
  vanDepths: number[];
  /** HFEN stem widths [stem1, stem2 = octave total]; octave alpha 0.5; `octMid` middle octave layers. */
  hfenStem: [number, number];
  octMid: number;
  /** DAN ResNet: 'bottleneck' [3,4,6,3] = ResNet-50; `danWidth` its base width (64 for ResNet-50). */
  danBlock: 'basic' | 'bottleneck';
  danLayers: number[];
  danWidth: number;
  /** Regressor hidden width (design: 256), dropout 0.1. */
  headHidden: number;
  dropout: number;
  /** Distortion classes of the auxiliary classifier (0: none). */
  numClasses: number;
  /** AFF output scale: 2 = open-aff reference code, 1 = paper formula. */
  affScale: 1 | 2;
  hfen: boolean;
  dan: boolean;
  aff: boolean;
  ffm: boolean;
  seed: number;
}

export const MFENET_PAPER: MfenetConfig = {
  vanDims: [64, 128, 320, 512], vanDepths: [3, 3, 12, 3], hfenStem: [32, 64], octMid: 2, danBlock: 'bottleneck', danLayers: [3, 4, 6, 3], danWidth: 64,
  headHidden: 256, dropout: 0.1, numClasses: 25, affScale: 2, hfen: true, dan: true, aff: true, ffm: true, seed: 0,
};
export const MFENET_CPU: MfenetConfig = {
  vanDims: [16, 24, 32, 48], vanDepths: [1, 1, 1, 1], hfenStem: [8, 16], octMid: 1, danBlock: 'basic', danLayers: [1, 1, 1, 1], danWidth: 8,
  headHidden: 64, dropout: 0.1, numClasses: 8, affScale: 2, hfen: true, dan: true, aff: true, ffm: true, seed: 0,
};

class ConvBnRelu extends Module {
  readonly conv: Conv2d;
  readonly bn: BatchNorm2d;
  constructor(cin: number, cout: number, stride: number, rng: Rng, readonly act = true) {
    super();
    this.conv = this.child('conv', new Conv2d(cin, cout, 3, { stride, padding: 1, bias: false, rng }));
    this.bn = this.child('bn', new BatchNorm2d(cout));
  }
  forward(x: Tensor): Tensor {
    const y = this.bn.forward(this.conv.forward(x));
    return this.act ? relu(y) : y;
  }
}

/** Nearest ×2 upsampling as Reshape/Expand/Reshape (differentiable with the engine's primitives). */
export function up2(x: Tensor): Tensor {
  const [n, c, h, w] = x.shape;
  return reshape(expand(reshape(x, [n, c, h, 1, w, 1]), [n, c, h, 2, w, 2]), [n, c, 2 * h, 2 * w]);
}
const pool2 = (x: Tensor): Tensor => avgPool2d(x, { kernel: [2, 2], stride: [2, 2] });

/** OctConv 3x3 (§4.2): Y_H = HH(X_H) + Up2(LH(X_L)), Y_L = LL(X_L) + HL(Pool2(X_H)); BN + ReLU per branch. */
export class OctConv extends Module {
  readonly hh: Conv2d;
  readonly lh: Conv2d | null;
  readonly ll: Conv2d | null;
  readonly hl: Conv2d | null;
  readonly bnH: BatchNorm2d;
  readonly bnL: BatchNorm2d | null;
  constructor(cinH: number, cinL: number, coutH: number, coutL: number, rng: Rng) {
    super();
    const conv = (a: number, b: number) => new Conv2d(a, b, 3, { padding: 1, bias: false, rng });
    this.hh = this.child('h2h', conv(cinH, coutH));
    this.lh = cinL ? this.child('l2h', conv(cinL, coutH)) : null;
    this.ll = cinL && coutL ? this.child('l2l', conv(cinL, coutL)) : null;
    this.hl = coutL ? this.child('h2l', conv(cinH, coutL)) : null;
    this.bnH = this.child('bn_h', new BatchNorm2d(coutH));
    this.bnL = coutL ? this.child('bn_l', new BatchNorm2d(coutL)) : null;
  }
  forward(x: Tensor): Tensor {
    return this.oct(x, null)[0];
  }
  oct(xh: Tensor, xl: Tensor | null): [Tensor, Tensor | null] {
    let yh = this.hh.forward(xh);
    if (this.lh && xl) yh = add(yh, up2(this.lh.forward(xl)));
    let yl: Tensor | null = null;
    if (this.hl) {
      yl = this.hl.forward(pool2(xh));
      if (this.ll && xl) yl = add(yl, this.ll.forward(xl));
    }
    return [relu(this.bnH.forward(yh)), yl && this.bnL ? relu(this.bnL.forward(yl)) : null];
  }
}

/** High-frequency extraction network: stem, octave layers (low branch discarded at the end), strided pyramid. */
export class Hfen extends Module {
  readonly stem: Sequential;
  readonly octs: OctConv[] = [];
  readonly pyramid: Sequential[];
  constructor(stem: readonly [number, number], octMid: number, dims: readonly number[], rng: Rng) {
    super();
    const [c0, c1] = stem;
    const half = c1 / 2;
    this.stem = this.child('stem', new Sequential(new ConvBnRelu(3, c0, 1, rng), new ConvBnRelu(c0, c1, 2, rng)));
    // oct-in: alpha_in 0 (X_L = Pool2(X)), alpha_out 0.5; oct-mid: 0.5/0.5; oct-out: alpha_out 0 (Y_L discarded)
    this.octs.push(this.child('oct_in', new OctConv(c1, c1, half, half, rng)));
    for (let i = 0; i < octMid; i++) this.octs.push(this.child(`oct_mid${i}`, new OctConv(half, half, half, half, rng)));
    this.octs.push(this.child('oct_out', new OctConv(half, half, c1, 0, rng)));
    this.pyramid = dims.map((d, i) => this.child(`down${i + 1}`, new Sequential(new ConvBnRelu(i ? dims[i - 1] : c1, d, 2, rng))));
  }
  forward(x: Tensor): Tensor {
    return this.run(x).hf;
  }
  /** hf: the octave high-frequency output [N, c1, H/2, W/2]; levels h1..h4 at strides 4..32. */
  run(x: Tensor): { hf: Tensor; levels: Tensor[] } {
    const s = this.stem.forward(x);
    let h: Tensor = s;
    let l: Tensor | null = pool2(s); // first layer: X_L = AvgPool2(X)
    for (const o of this.octs) [h, l] = o.oct(h, l);
    const levels: Tensor[] = [];
    let p = h;
    for (const d of this.pyramid) levels.push((p = d.forward(p)));
    return { hf: h, levels };
  }
}

/** MS-CAM (Dai et al. 2021): sigmoid(local(X) + global(X)), both Conv1x1 -> BN -> ReLU -> Conv1x1 -> BN. */
export class MsCam extends Module {
  readonly local: Sequential;
  readonly global: Sequential;
  constructor(c: number, r: number, rng: Rng) {
    super();
    const mid = Math.max(1, Math.floor(c / r));
    const branch = () => new Sequential(new Conv2d(c, mid, 1, { rng }), new BatchNorm2d(mid), new Relu(), new Conv2d(mid, c, 1, { rng }), new BatchNorm2d(c));
    this.local = this.child('local_att', branch());
    this.global = this.child('global_att', branch());
  }
  forward(x: Tensor): Tensor {
    return sigmoid(add(this.local.forward(x), this.global.forward(globalAvgPool(x))));
  }
}

class Relu extends Module {
  forward(x: Tensor): Tensor {
    return relu(x);
  }
}

/** AFF(x, y) = s·x·w + s·y·(1 − w), w = MS-CAM(x + y); s = 2 in the open-aff code (§4.2). */
export class Aff extends Module {
  readonly cam: MsCam;
  constructor(c: number, readonly scale: 1 | 2, rng: Rng) {
    super();
    this.cam = this.child('cam', new MsCam(c, 4, rng));
  }
  forward(x: Tensor): Tensor {
    return x;
  }
  fuse(x: Tensor, y: Tensor): Tensor {
    const w = this.cam.forward(add(x, y));
    return mul(add(mul(x, w), mul(y, sub(1, w))), this.scale);
  }
}

/** FFM (§4.6): u = [q4; BN(1x1(d4))], channel attention × spatial attention, f = q4 + BN(1x1(u ⊙ a ⊙ σ)). */
export class Ffm extends Module {
  readonly reduce: Sequential;
  readonly fc1: Linear;
  readonly fc2: Linear;
  readonly spatial: Conv2d;
  readonly out: Sequential;
  constructor(c: number, cd: number, readonly attention: boolean, rng: Rng) {
    super();
    this.reduce = this.child('reduce', new Sequential(new Conv2d(cd, c, 1, { bias: false, rng }), new BatchNorm2d(c)));
    this.fc1 = this.child('fc1', new Linear(2 * c, Math.max(1, Math.floor(c / 2)), { rng }));
    this.fc2 = this.child('fc2', new Linear(Math.max(1, Math.floor(c / 2)), 2 * c, { rng }));
    this.spatial = this.child('spatial', new Conv2d(2, 1, 7, { padding: 3, rng }));
    this.out = this.child('proj', new Sequential(new Conv2d(2 * c, c, 1, { bias: false, rng }), new BatchNorm2d(c)));
  }
  forward(x: Tensor): Tensor {
    return x;
  }
  fuse(q4: Tensor, d4: Tensor): Tensor {
    let u = concat([q4, this.reduce.forward(d4)], 1);
    if (this.attention) {
      const [n, c2] = u.shape;
      const a = sigmoid(this.fc2.forward(relu(this.fc1.forward(reshape(mean(u, [2, 3]), [n, c2])))));
      const sp = sigmoid(this.spatial.forward(concat([mean(u, [1], true), reduceMax(u, [1], true)], 1)));
      u = mul(mul(u, reshape(a, [n, c2, 1, 1])), sp);
    }
    return add(q4, this.out.forward(u));
  }
}

export interface MfenetOutputs {
  score: Tensor;
  /** distortion logits [N, K] (when numClasses > 0) */
  logits: Tensor | null;
  /** high-frequency map [N, 1, H, W] (when the HFEN is on) */
  hfMap: Tensor | null;
}

export class Mfenet extends Module {
  readonly qen: Van;
  readonly hfen: Hfen | null;
  readonly affs: Aff[] = [];
  readonly dan: ResNet | null;
  readonly ffm: Ffm | null;
  readonly hfHead: Conv2d | null;
  readonly fc1: Linear;
  readonly drop: Dropout;
  readonly fc2: Linear;
  readonly cls: Linear | null;
  constructor(readonly cfg: MfenetConfig) {
    super();
    const rng = new Rng(cfg.seed);
    const dims = cfg.vanDims;
    this.qen = this.child('qen', new Van({ embedDims: dims, depths: cfg.vanDepths, rng }));
    this.hfen = cfg.hfen ? this.child('hfen', new Hfen(cfg.hfenStem, cfg.octMid, dims, rng)) : null;
    if (cfg.hfen && cfg.aff) dims.forEach((d, i) => this.affs.push(this.child(`aff${i + 1}`, new Aff(d, cfg.affScale, rng))));
    this.hfHead = cfg.hfen ? this.child('hf_head', new Conv2d(cfg.hfenStem[1], 1, 1, { rng })) : null;
    this.dan = cfg.dan ? this.child('dan', new ResNet(cfg.danBlock, cfg.danLayers, { numClasses: 0, baseWidth: cfg.danWidth, rng })) : null;
    if (this.dan) this.dan.freeze();
    const c4 = dims[3];
    const cd = this.dan ? this.dan.stageChannels[this.dan.stageChannels.length - 1] : 0;
    this.ffm = this.dan ? this.child('ffm', new Ffm(c4, cd, cfg.ffm, rng)) : null;
    const v = dims.reduce((a, b) => a + b, 0);
    this.fc1 = this.child('fc1', new Linear(v, cfg.headHidden, { rng }));
    this.drop = this.child('drop', new Dropout(cfg.dropout)); // a child so eval() switches it off (no parameters)
    this.fc2 = this.child('fc2', new Linear(cfg.headHidden, 1, { rng }));
    this.cls = cfg.numClasses > 0 ? this.child('cls', new Linear(c4, cfg.numClasses, { rng })) : null;
    this.train(true); // the frozen DAN starts (and stays) in eval mode
  }
  /** Sets train/eval but keeps the frozen DAN in eval mode (its BN running stats are part of the pre-training). */
  override train(on = true): this {
    super.train(on);
    if (this.dan) this.dan.train(false);
    return this;
  }
  run(x: Tensor): MfenetOutputs {
    const hf = this.hfen ? this.hfen.run(x) : null;
    const qs: Tensor[] = [];
    let h = x;
    this.qen.stages.forEach((s, i) => {
      h = s.blocks.forward(s.embed.forward(h));
      const [b, c, hh, ww] = h.shape;
      // VAN: LayerNorm over channels per stage output (backbones/van.ts `features`)
      h = reshape(transpose(s.norm.forward(transpose(reshape(h, [b, c, hh * ww]), [0, 2, 1])), [0, 2, 1]), [b, c, hh, ww]);
      if (hf) h = this.affs.length ? this.affs[i].fuse(h, hf.levels[i]) : add(h, hf.levels[i]); // "AFF vs add" ablation
      qs.push(h);
    });
    let f = qs[3];
    if (this.dan && this.ffm) {
      const d = this.dan.features(x);
      f = this.ffm.fuse(f, d[d.length - 1]);
    }
    const n = x.shape[0];
    const gap = (t: Tensor) => reshape(mean(t, [2, 3]), [n, t.shape[1]]);
    const v = concat([gap(qs[0]), gap(qs[1]), gap(qs[2]), gap(f)], 1);
    const score = this.fc2.forward(this.drop.forward(gelu(this.fc1.forward(v))));
    const logits = this.cls ? this.cls.forward(gap(f)) : null;
    const hfMap = hf && this.hfHead ? up2(this.hfHead.forward(hf.hf)) : null;
    return { score, logits, hfMap };
  }
  /** Score [N, 1] for ImageNet-normalised crops. */
  forward(x: Tensor): Tensor {
    return this.run(x).score;
  }
}

