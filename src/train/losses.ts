/**
 * Losses as composites over engine primitives (autodiff differentiates them; no gradient code here).
 * Reductions follow PyTorch's defaults ('mean').
 */
import { expected } from '../tensor/errors.js';
import type { Tensor } from '../engine/graph/graph.js';
import { sameShape, shapeStr } from '../engine/graph/shape.js';
import { abs, add, constant, div, exp, logSoftmax, matmul, mul, relu, sqrt, sub, sum, transpose, where, less } from '../engine/ops/index.js';
import { mean } from '../nn/functional.js';

function same(where_: string, a: Tensor, b: Tensor): void {
  if (!sameShape(a.shape, b.shape)) throw expected(where_, 'target shape', `same as input ${shapeStr(a.shape)}`, shapeStr(b.shape), 'E_SHAPE');
}

/** mean((p - t)^2) (F.mse_loss). */
export function mseLoss(p: Tensor, t: Tensor): Tensor {
  same('mseLoss', p, t);
  const d = sub(p, t);
  return mean(mul(d, d));
}

/** mean|p - t| (F.l1_loss); gradient 0 where p = t. */
export function l1Loss(p: Tensor, t: Tensor): Tensor {
  same('l1Loss', p, t);
  return mean(abs(sub(p, t)));
}

/** Huber-style smooth L1 (F.smooth_l1_loss): 0.5 d^2 / beta if |d| < beta, else |d| - beta / 2. */
export function smoothL1Loss(p: Tensor, t: Tensor, beta = 1): Tensor {
  same('smoothL1Loss', p, t);
  const d = sub(p, t);
  const ad = abs(d);
  return mean(where(less(ad, beta), mul(mul(d, d), 0.5 / beta), sub(ad, 0.5 * beta)));
}

/**
 * mean(max(0, -y (x1 - x2) + margin)) (F.margin_ranking_loss); y = +1 when x1 should rank higher.
 * The hinge uses relu, so the gradient is 0 exactly at the margin (as in PyTorch's clamp_min).
 */
export function marginRankingLoss(x1: Tensor, x2: Tensor, y: Tensor, margin = 0): Tensor {
  same('marginRankingLoss', x1, x2);
  return mean(relu(add(mul(mul(y, sub(x1, x2)), -1), margin)));
}

/** Row-wise L2 normalisation x / max(|x|, eps) approximated as x / sqrt(|x|^2 + eps^2) (smooth at 0). */
export function l2Normalize(x: Tensor, eps = 1e-12): Tensor {
  return div(x, sqrt(add(sum(mul(x, x), [x.rank - 1], true), eps * eps)));
}

/**
 * InfoNCE / NT-Xent with in-batch negatives: q, k [N, D] (row i of k is q_i's positive),
 * logits = normalize(q) normalize(k)^T / temperature; loss = cross-entropy with the diagonal as labels.
 */
export function infoNceLoss(q: Tensor, k: Tensor, temperature = 0.07): Tensor {
  same('infoNceLoss', q, k);
  const n = q.shape[0];
  const logits = mul(matmul(l2Normalize(q), transpose(l2Normalize(k), [1, 0])), 1 / temperature);
  const eye = new Float64Array(n * n);
  for (let i = 0; i < n; i++) eye[i * n + i] = 1;
  return mul(sum(mul(logSoftmax(logits, 1), constant(q.graph, [n, n], eye, q.dtype))), -1 / n);
}

/** Cross-entropy of logits [N, C] against a one-hot / soft target [N, C] (F.cross_entropy with probabilities). */
export function crossEntropy(logits: Tensor, target: Tensor): Tensor {
  same('crossEntropy', logits, target);
  return mul(sum(mul(logSoftmax(logits, 1), target)), -1 / logits.shape[0]);
}

/**
 * KL(softmax(target) || softmax(input)) over axis 1, summed and divided by the batch size
 * (F.kl_div(log_softmax(input), log_softmax(target), log_target=True, reduction='batchmean')).
 */
export function klDivLoss(inputLogits: Tensor, targetLogits: Tensor): Tensor {
  same('klDivLoss', inputLogits, targetLogits);
  const lt = logSoftmax(targetLogits, 1);
  return mul(sum(mul(exp(lt), sub(lt, logSoftmax(inputLogits, 1)))), 1 / inputLogits.shape[0]);
}

/** Feature distillation: mean over stages of MSE(student_i, teacher_i), optionally weighted. */
export function featureDistillationLoss(student: readonly Tensor[], teacher: readonly Tensor[], weights?: readonly number[]): Tensor {
  if (student.length !== teacher.length || student.length === 0) throw expected('featureDistillationLoss', 'feature lists', 'equal non-empty lengths', `${student.length} and ${teacher.length}`);
  const terms = student.map((s, i) => mul(mseLoss(s, teacher[i]), weights?.[i] ?? 1));
  return mul(terms.reduce((a, b) => add(a, b)), 1 / student.length);
}
