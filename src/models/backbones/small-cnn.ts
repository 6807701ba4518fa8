/**
 * A small fast CNN for training from scratch on CPU: a stride-2 3x3 stem, then four stages of two 3x3 conv-BN-ReLU
 * (the first with stride 2 in stages 2-4), widths [16, 32, 64, 128] by default (~0.3M parameters, ~0.1 GMAC at 224).
 * Names: stem.{conv,bn}, stages.{i}.{j}.{conv,bn}.
 */
import type { Tensor } from '../../engine/graph/graph.js';
import { relu } from '../../engine/ops/index.js';
import type { Rng } from '../../engine/rng.js';
import { BatchNorm2d, Conv2d } from '../../nn/layers.js';
import { Module, Sequential, defaultRng } from '../../nn/module.js';
import type { Backbone } from './types.js';

export class ConvBnRelu extends Module {
  readonly conv: Conv2d;
  readonly bn: BatchNorm2d;
  constructor(cin: number, cout: number, stride: number, rng: Rng) {
    super();
    this.conv = this.child('conv', new Conv2d(cin, cout, 3, { stride, padding: 1, bias: false, rng }));
    this.bn = this.child('bn', new BatchNorm2d(cout));
  }
  forward(x: Tensor): Tensor {
    return relu(this.bn.forward(this.conv.forward(x)));
  }
}

export class SmallCnn extends Module implements Backbone {
  readonly stem: ConvBnRelu;
  readonly stages: Sequential;
  readonly stageChannels: readonly number[];
  constructor(opts: { widths?: readonly number[]; rng?: Rng } = {}) {
    super();
    const rng = opts.rng ?? defaultRng;
    const w = opts.widths ?? [16, 32, 64, 128];
    this.stem = this.child('stem', new ConvBnRelu(3, w[0], 2, rng));
    this.stages = this.child('stages', new Sequential(...w.map((c, i) => new Sequential(new ConvBnRelu(i ? w[i - 1] : w[0], c, i ? 2 : 1, rng), new ConvBnRelu(c, c, 1, rng)))));
    this.stageChannels = w;
  }
  features(x: Tensor): Tensor[] {
    let h = this.stem.forward(x);
    return this.stages.layers.map((s) => (h = s.forward(h)));
  }
  forward(x: Tensor): Tensor {
    return this.features(x)[this.stageChannels.length - 1];
  }
}

export const smallCnn = (opts?: { widths?: readonly number[]; rng?: Rng }): SmallCnn => new SmallCnn(opts);
