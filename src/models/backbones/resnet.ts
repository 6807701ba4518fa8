/**
 * ResNet-18/34/50 (He et al., "Deep Residual Learning for Image Recognition", CVPR 2016) with torchvision's module
 * layout and state-dict names (conv1, bn1, layer1.0.conv1, layer1.0.downsample.0, ..., fc), so torchvision
 * checkpoints load by name. Bottleneck is v1.5 (stride on the 3x3 conv), as in torchvision.
 */
import type { Tensor } from '../../engine/graph/graph.js';
import { add, maxPool2d, relu, reshape } from '../../engine/ops/index.js';
import type { Rng } from '../../engine/rng.js';
import { globalAvgPool } from '../../nn/functional.js';
import { BatchNorm2d, Conv2d, Linear } from '../../nn/layers.js';
import { Module, Sequential, defaultRng } from '../../nn/module.js';
import type { Backbone } from './types.js';

class Downsample extends Sequential {}

export class BasicBlock extends Module {
  static readonly expansion = 1;
  readonly conv1: Conv2d;
  readonly bn1: BatchNorm2d;
  readonly conv2: Conv2d;
  readonly bn2: BatchNorm2d;
  readonly downsample: Downsample | null;
  constructor(inPlanes: number, planes: number, stride: number, rng: Rng) {
    super();
    this.conv1 = this.child('conv1', new Conv2d(inPlanes, planes, 3, { stride, padding: 1, bias: false, rng }));
    this.bn1 = this.child('bn1', new BatchNorm2d(planes));
    this.conv2 = this.child('conv2', new Conv2d(planes, planes, 3, { padding: 1, bias: false, rng }));
    this.bn2 = this.child('bn2', new BatchNorm2d(planes));
    this.downsample =
      stride !== 1 || inPlanes !== planes ? this.child('downsample', new Downsample(new Conv2d(inPlanes, planes, 1, { stride, bias: false, rng }), new BatchNorm2d(planes))) : null;
  }
  forward(x: Tensor): Tensor {
    const h = this.bn2.forward(this.conv2.forward(relu(this.bn1.forward(this.conv1.forward(x)))));
    return relu(add(h, this.downsample ? this.downsample.forward(x) : x));
  }
}

export class Bottleneck extends Module {
  static readonly expansion = 4;
  readonly conv1: Conv2d;
  readonly bn1: BatchNorm2d;
  readonly conv2: Conv2d;
  readonly bn2: BatchNorm2d;
  readonly conv3: Conv2d;
  readonly bn3: BatchNorm2d;
  readonly downsample: Downsample | null;
  constructor(inPlanes: number, planes: number, stride: number, rng: Rng) {
    super();
    this.conv1 = this.child('conv1', new Conv2d(inPlanes, planes, 1, { bias: false, rng }));
    this.bn1 = this.child('bn1', new BatchNorm2d(planes));
    this.conv2 = this.child('conv2', new Conv2d(planes, planes, 3, { stride, padding: 1, bias: false, rng }));
    this.bn2 = this.child('bn2', new BatchNorm2d(planes));
    this.conv3 = this.child('conv3', new Conv2d(planes, planes * 4, 1, { bias: false, rng }));
    this.bn3 = this.child('bn3', new BatchNorm2d(planes * 4));
    this.downsample =
      stride !== 1 || inPlanes !== planes * 4 ? this.child('downsample', new Downsample(new Conv2d(inPlanes, planes * 4, 1, { stride, bias: false, rng }), new BatchNorm2d(planes * 4))) : null;
  }
  forward(x: Tensor): Tensor {
    let h = relu(this.bn1.forward(this.conv1.forward(x)));
    h = relu(this.bn2.forward(this.conv2.forward(h)));
    h = this.bn3.forward(this.conv3.forward(h));
    return relu(add(h, this.downsample ? this.downsample.forward(x) : x));
  }
}

export interface ResNetOptions {
  /** Output size of the fc head; 0 drops the head (features [N, C]). Default 1000. */
  numClasses?: number;
  /** Channels of the stem and first stage (torchvision: 64). Smaller values give reduced-width test models. */
  baseWidth?: number;
  rng?: Rng;
}

export class ResNet extends Module implements Backbone {
  readonly conv1: Conv2d;
  readonly bn1: BatchNorm2d;
  readonly layers: Sequential[];
  readonly fc: Linear | null;
  constructor(block: 'basic' | 'bottleneck', counts: readonly number[], opts: ResNetOptions = {}) {
    super();
    const rng = opts.rng ?? defaultRng;
    const B = block === 'basic' ? BasicBlock : Bottleneck;
    const w = opts.baseWidth ?? 64;
    this.conv1 = this.child('conv1', new Conv2d(3, w, 7, { stride: 2, padding: 3, bias: false, rng }));
    this.bn1 = this.child('bn1', new BatchNorm2d(w));
    let inPlanes = w;
    const chans = [w];
    this.layers = counts.map((n, li) => {
      const planes = w * 2 ** li;
      chans.push(planes * B.expansion);
      const blocks: Module[] = [];
      for (let i = 0; i < n; i++) {
        blocks.push(new B(inPlanes, planes, i === 0 && li > 0 ? 2 : 1, rng));
        inPlanes = planes * B.expansion;
      }
      return this.child(`layer${li + 1}`, new Sequential(...blocks));
    });
    const nc = opts.numClasses ?? 1000;
    this.fc = nc > 0 ? this.child('fc', new Linear(inPlanes, nc, { rng })) : null;
    this.featureDim = inPlanes;
    this.stageChannels = chans;
  }
  readonly featureDim: number;
  readonly stageChannels: readonly number[];

  /** Stage outputs [stem, layer1..layer4] (for feature-extraction heads). */
  features(x: Tensor): Tensor[] {
    // relu(maxpool(z)) == maxpool(relu(z)) (torchvision's order) exactly, gradient included (the window maximum is
    // the first positive maximum or the gradient is zero either way); the ReLU then runs on the 4x smaller map
    let h = relu(maxPool2d(this.bn1.forward(this.conv1.forward(x)), { kernel: 3, stride: 2, padding: 1 }));
    const out = [h];
    for (const l of this.layers) out.push((h = l.forward(h)));
    return out;
  }

  forward(x: Tensor): Tensor {
    const f = this.features(x);
    const pooled = reshape(globalAvgPool(f[f.length - 1]), [x.shape[0], this.featureDim]);
    return this.fc ? this.fc.forward(pooled) : pooled;
  }
}

export const resnet18 = (opts?: ResNetOptions): ResNet => new ResNet('basic', [2, 2, 2, 2], opts);
export const resnet34 = (opts?: ResNetOptions): ResNet => new ResNet('basic', [3, 4, 6, 3], opts);
export const resnet50 = (opts?: ResNetOptions): ResNet => new ResNet('bottleneck', [3, 4, 6, 3], opts);
