/**
 * SqueezeNet 1.1 features (Iandola et al. 2016; torchvision `squeezenet1_1`, names `features.{i}.squeeze`,
 * `.expand1x1`, `.expand3x3`). `features` returns the 7 LPIPS slices' outputs: after features[1], [4], [7], [9],
 * [10], [11], [12]. torchvision's max-pools use ceil_mode=True: emulated by padding the bottom/right edge with -inf
 * when the floor and ceil sizes differ (same windows, since the last window still starts inside the input).
 */
import type { Tensor } from '../../engine/graph/graph.js';
import { concat, maxPool2d, relu } from '../../engine/ops/index.js';
import type { Rng } from '../../engine/rng.js';
import { Conv2d } from '../../nn/layers.js';
import { Lambda, Module, Sequential, defaultRng } from '../../nn/module.js';
import type { Backbone } from './types.js';

/** max_pool2d(kernel 3, stride 2, ceil_mode=True). */
export function maxPoolCeil(x: Tensor): Tensor {
  const extra = (n: number) => ((n - 3) % 2 === 0 ? 0 : 1);
  return maxPool2d(x, { kernel: 3, stride: 2, padding: [0, 0, extra(x.shape[2]), extra(x.shape[3])] });
}

export class Fire extends Module {
  readonly squeeze: Conv2d;
  readonly expand1x1: Conv2d;
  readonly expand3x3: Conv2d;
  constructor(cin: number, sq: number, e1: number, e3: number, rng: Rng) {
    super();
    this.squeeze = this.child('squeeze', new Conv2d(cin, sq, 1, { rng }));
    this.expand1x1 = this.child('expand1x1', new Conv2d(sq, e1, 1, { rng }));
    this.expand3x3 = this.child('expand3x3', new Conv2d(sq, e3, 3, { padding: 1, rng }));
  }
  forward(x: Tensor): Tensor {
    const s = relu(this.squeeze.forward(x));
    return concat([relu(this.expand1x1.forward(s)), relu(this.expand3x3.forward(s))], 1);
  }
}

export class SqueezeNet extends Module implements Backbone {
  readonly features_: Sequential;
  readonly taps = [1, 4, 7, 9, 10, 11, 12];
  readonly stageChannels: readonly number[];
  constructor(opts: { widthDivisor?: number; rng?: Rng } = {}) {
    super();
    const rng = opts.rng ?? defaultRng;
    const d = opts.widthDivisor ?? 1;
    const f = (cin: number, sq: number, e: number) => new Fire(cin / d, sq / d, e / d, e / d, rng);
    const pool = () => new Lambda(maxPoolCeil);
    this.features_ = this.child(
      'features',
      new Sequential(
        new Conv2d(3, 64 / d, 3, { stride: 2, rng }), new Lambda(relu), pool(),
        f(64, 16, 64), f(128, 16, 64), pool(),
        f(128, 32, 128), f(256, 32, 128), pool(),
        f(256, 48, 192), f(384, 48, 192), f(384, 64, 256), f(512, 64, 256),
      ),
    );
    this.stageChannels = [64, 128, 256, 384, 384, 512, 512].map((c) => c / d);
  }
  features(x: Tensor): Tensor[] {
    const out: Tensor[] = [];
    let h = x;
    for (let i = 0; i <= 12; i++) {
      h = this.features_.layers[i].forward(h);
      if (this.taps.includes(i)) out.push(h);
    }
    return out;
  }
  forward(x: Tensor): Tensor {
    return this.features(x)[6];
  }
}

export const squeezenet1_1 = (opts?: { widthDivisor?: number; rng?: Rng }): SqueezeNet => new SqueezeNet(opts);
