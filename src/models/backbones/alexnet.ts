/**
 * AlexNet features (Krizhevsky et al. 2012; torchvision's single-tower variant) with torchvision's `features.{i}`
 * names. `features` returns the LPIPS taps relu1..relu5 (features[1], [4], [7], [9], [11]).
 */
import type { Tensor } from '../../engine/graph/graph.js';
import { maxPool2d, relu } from '../../engine/ops/index.js';
import type { Rng } from '../../engine/rng.js';
import { Conv2d } from '../../nn/layers.js';
import { Lambda, Module, Sequential, defaultRng } from '../../nn/module.js';
import type { Backbone } from './types.js';

export class AlexNet extends Module implements Backbone {
  readonly features_: Sequential;
  readonly taps = [1, 4, 7, 9, 11];
  readonly stageChannels: readonly number[];
  constructor(opts: { widthDivisor?: number; rng?: Rng } = {}) {
    super();
    const rng = opts.rng ?? defaultRng;
    const d = opts.widthDivisor ?? 1;
    const [c1, c2, c3, c4] = [64 / d, 192 / d, 384 / d, 256 / d];
    const pool = () => new Lambda((x) => maxPool2d(x, { kernel: 3, stride: 2 }));
    const act = () => new Lambda(relu);
    this.features_ = this.child(
      'features',
      new Sequential(
        new Conv2d(3, c1, 11, { stride: 4, padding: 2, rng }), act(), pool(),
        new Conv2d(c1, c2, 5, { padding: 2, rng }), act(), pool(),
        new Conv2d(c2, c3, 3, { padding: 1, rng }), act(),
        new Conv2d(c3, c4, 3, { padding: 1, rng }), act(),
        new Conv2d(c4, c4, 3, { padding: 1, rng }), act(), pool(),
      ),
    );
    this.stageChannels = [c1, c2, c3, c4, c4];
  }
  features(x: Tensor): Tensor[] {
    const out: Tensor[] = [];
    let h = x;
    for (let i = 0; i <= 11; i++) {
      h = this.features_.layers[i].forward(h);
      if (this.taps.includes(i)) out.push(h);
    }
    return out;
  }
  forward(x: Tensor): Tensor {
    return this.features(x)[4];
  }
}

export const alexnet = (opts?: { widthDivisor?: number; rng?: Rng }): AlexNet => new AlexNet(opts);
