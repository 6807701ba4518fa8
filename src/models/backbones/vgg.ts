/**
 * VGG-16 feature extractor (Simonyan & Zisserman 2015) with torchvision's `features.{i}` indices, so a torchvision
 * `vgg16` state dict loads by name (the classifier is not built). `features` returns the LPIPS/DISTS taps
 * relu1_2, relu2_2, relu3_3, relu4_3, relu5_3 (features[3], [8], [15], [22], [29]). `pool: 'l2'` replaces every
 * max-pool by DISTS' L2pooling (conventions §2.25).
 */
import type { Tensor } from '../../engine/graph/graph.js';
import { add, constant, conv2d, maxPool2d, mul, relu, sqrt } from '../../engine/ops/index.js';
import type { Rng } from '../../engine/rng.js';
import { Conv2d } from '../../nn/layers.js';
import { Lambda, Module, Sequential, defaultRng } from '../../nn/module.js';
import type { Backbone } from './types.js';

/**
 * DISTS L2pooling: per-channel depthwise filter outer(h, h)/sum with h = hanning(5)[1:-1] = [0.5, 1, 0.5],
 * stride 2, padding 1, out = sqrt(conv(x^2) + 1e-12).
 */
export function l2pool(x: Tensor): Tensor {
  const c = x.shape[1];
  const h = [0.5, 1, 0.5];
  const k = new Float64Array(c * 9);
  for (let ch = 0; ch < c; ch++) for (let i = 0; i < 3; i++) for (let j = 0; j < 3; j++) k[ch * 9 + i * 3 + j] = (h[i] * h[j]) / 4;
  const w = constant(x.graph, [c, 1, 3, 3], k, x.dtype);
  return sqrt(add(conv2d(mul(x, x), w, null, { stride: 2, padding: 1, groups: c }), 1e-12));
}

const CFG16 = [64, 64, 'M', 128, 128, 'M', 256, 256, 256, 'M', 512, 512, 512, 'M', 512, 512, 512, 'M'] as const;

export interface VggOptions {
  /** 'max' (torchvision) or 'l2' (DISTS L2pooling). Default 'max'. */
  pool?: 'max' | 'l2';
  /** Channel divisor for reduced-width test models (default 1). */
  widthDivisor?: number;
  rng?: Rng;
}

export class Vgg16 extends Module implements Backbone {
  readonly features_: Sequential;
  /** Indices of the ReLUs whose outputs are returned by `features`. */
  readonly taps = [3, 8, 15, 22, 29];
  readonly stageChannels: readonly number[];
  constructor(opts: VggOptions = {}) {
    super();
    const rng = opts.rng ?? defaultRng;
    const d = opts.widthDivisor ?? 1;
    const layers: Module[] = [];
    let cin = 3;
    for (const v of CFG16) {
      if (v === 'M') layers.push(new Lambda(opts.pool === 'l2' ? l2pool : (x) => maxPool2d(x, { kernel: 2, stride: 2 })));
      else {
        layers.push(new Conv2d(cin, v / d, 3, { padding: 1, rng }), new Lambda(relu));
        cin = v / d;
      }
    }
    this.features_ = this.child('features', new Sequential(...layers));
    this.stageChannels = [64, 128, 256, 512, 512].map((c) => c / d);
  }
  features(x: Tensor): Tensor[] {
    const out: Tensor[] = [];
    let h = x;
    for (let i = 0; i <= this.taps[this.taps.length - 1]; i++) {
      h = this.features_.layers[i].forward(h);
      if (this.taps.includes(i)) out.push(h);
    }
    return out;
  }
  forward(x: Tensor): Tensor {
    return this.features(x)[4];
  }
}

export const vgg16 = (opts?: VggOptions): Vgg16 => new Vgg16(opts);
