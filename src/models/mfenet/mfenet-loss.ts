/**
 * MFENet multi-task loss (docs/models.md §4.6): L = L1(ŷ, y) + λ_cls·CE(logits, type) + λ_hf·L1(r, |∇²grey|),
 * and the supervised-contrastive (InfoNCE over same type+level positives, Khosla et al. 2020) loss that
 * pre-trains the DAN on synthetic distortions.
 */
import type { Tensor } from '../../engine/graph/graph.js';
import { abs, add, constant, div, logSoftmax, matmul, mul, relu, reshape, sqrt, sub, sum, transpose } from '../../engine/ops/index.js';
import { mean } from '../../nn/functional.js';
import { Linear } from '../../nn/layers.js';
import { Module } from '../../nn/module.js';
import type { Rng } from '../../engine/rng.js';
import type { ResNet } from '../backbones/resnet.js';
import type { Mfenet } from './mfenet.js';

export interface MfenetLossWeights {
  cls: number;
  hf: number;
}

export function mfenetLoss(model: Mfenet, x: Tensor, y: Tensor, onehot: Tensor | null, hfTarget: Tensor | null, w: MfenetLossWeights): { loss: Tensor; pred: Tensor } {
  const o = model.run(x);
  let loss = mean(abs(sub(o.score, y)));
  if (w.cls > 0 && o.logits && onehot) loss = add(loss, mul(mul(sum(mul(logSoftmax(o.logits, 1), onehot)), -1 / x.shape[0]), w.cls));
  if (w.hf > 0 && o.hfMap && hfTarget) loss = add(loss, mul(mean(abs(sub(o.hfMap, hfTarget))), w.hf));
  return { loss, pred: o.score };
}

/** Projection head 2-layer MLP (SupCon: dim -> dim -> 128 at paper size). */
export class ProjectionHead extends Module {
  readonly fc1: Linear;
  readonly fc2: Linear;
  constructor(dim: number, out: number, rng: Rng) {
    super();
    this.fc1 = this.child('fc1', new Linear(dim, dim, { rng }));
    this.fc2 = this.child('fc2', new Linear(dim, out, { rng }));
  }
  forward(x: Tensor): Tensor {
    return this.fc2.forward(relu(this.fc1.forward(x)));
  }
}

/**
 * SupCon loss: z = normalize(proj(GAP(dan(x)))), logits = z zᵀ/τ with the diagonal removed,
 * loss = −mean_i Σ_j P_ij log softmax_j(logits_i), P = positives (same type and level) row-normalised (input [B, B]).
 */
export function supConLoss(dan: ResNet, head: ProjectionHead, x: Tensor, pos: Tensor, temperature: number): Tensor {
  const n = x.shape[0];
  const f = dan.features(x);
  const last = f[f.length - 1];
  const v = reshape(mean(last, [2, 3]), [n, last.shape[1]]);
  const z0 = head.forward(v);
  const z = div(z0, sqrt(add(sum(mul(z0, z0), [1], true), 1e-12)));
  const diag = new Float64Array(n * n);
  for (let i = 0; i < n; i++) diag[i * n + i] = -1e4; // self-similarity excluded from the softmax
  const logits = add(mul(matmul(z, transpose(z, [1, 0])), 1 / temperature), constant(x.graph, [n, n], diag, x.dtype));
  return mul(sum(mul(logSoftmax(logits, 1), pos)), -1 / n);
}
