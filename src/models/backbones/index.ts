/** Backbones by name (torchvision / timm model names), each with multi-stage `features`. */
import type { Rng } from '../../engine/rng.js';
import { expected } from '../../tensor/errors.js';
import { alexnet } from './alexnet.js';
import { resnet18, resnet34, resnet50 } from './resnet.js';
import { smallCnn } from './small-cnn.js';
import { squeezenet1_1 } from './squeezenet.js';
import { swinTiny } from './swin.js';
import type { Backbone } from './types.js';
import { vanB0, vanB1, vanB2 } from './van.js';
import { vgg16 } from './vgg.js';
import { vitSmall } from './vit.js';

export type BackboneName =
  | 'resnet18' | 'resnet34' | 'resnet50' | 'vgg16' | 'alexnet' | 'squeezenet1_1'
  | 'swin_tiny_patch4_window7_224' | 'van_b0' | 'van_b1' | 'van_b2' | 'deit3_small_patch16_224' | 'small_cnn';

/** Builders with their default (full-size, ImageNet) configurations; heads are not built. */
export const BACKBONES: Readonly<Record<BackboneName, (rng?: Rng) => Backbone>> = {
  resnet18: (rng) => resnet18({ numClasses: 0, rng }),
  resnet34: (rng) => resnet34({ numClasses: 0, rng }),
  resnet50: (rng) => resnet50({ numClasses: 0, rng }),
  vgg16: (rng) => vgg16({ rng }),
  alexnet: (rng) => alexnet({ rng }),
  squeezenet1_1: (rng) => squeezenet1_1({ rng }),
  swin_tiny_patch4_window7_224: (rng) => swinTiny({ rng }),
  van_b0: (rng) => vanB0({ rng }),
  van_b1: (rng) => vanB1({ rng }),
  van_b2: (rng) => vanB2({ rng }),
  deit3_small_patch16_224: (rng) => vitSmall({ rng }),
  small_cnn: (rng) => smallCnn({ rng }),
};

/** Builds a backbone by name (random init; load weights with `loadBackbone` in models/weights.ts). */
export function createBackbone(name: string, rng?: Rng): Backbone {
  const f = BACKBONES[name as BackboneName];
  if (!f) throw expected('createBackbone', 'name', Object.keys(BACKBONES).join(', '), `'${name}'`);
  return f(rng);
}

export type { Backbone };
export * from './alexnet.js';
export * from './resnet.js';
export * from './small-cnn.js';
export * from './squeezenet.js';
export * from './swin.js';
export * from './van.js';
export * from './vgg.js';
export * from './vit.js';
