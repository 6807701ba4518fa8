/**
 * QFM-IQM training objective (docs/models.md §3.6, "Losses" and "Distillation"), as one graph over a batch:
 *   L = w_q·L_q + λ_s·L_sens + λ_m·L_match + λ_kd·SmoothL1(ŷ, ŷ_teacher)
 * with the quality-matched, semantically most different partner j*(i) of each anchor chosen outside the graph
 * (qfm-pairs.ts) and fed as an int64 index. Semantic noise: T̃_i = T'_i + ε_i·Δ_i·‖T'_i‖_F/‖Δ_i‖_F, Δ_i = T'_{j*} − T'_i.
 * Anchors without a partner have j* = i and mask 0. L_sens uses stop-grad on ŷ (returned in `stop` for TrainStep).
 * Means are over the whole batch (masked terms divided by B, not by the number of pairs).
 */
import type { Tensor } from '../../engine/graph/graph.js';
import { abs, add, div, gather, mul, relu, reshape, sqrt, sub, sum } from '../../engine/ops/index.js';
import { mean } from '../../nn/functional.js';
import { patchMean, type QfmIqm } from './qfm-iqm.js';

export interface QfmLossWeights {
  /** λ_s (sensitivity), λ_m (matching), λ_kd (teacher); 0 switches a term off. */
  sens: number;
  match: number;
  kd: number;
}

export interface QfmLossInputs {
  x: Tensor;
  /** normalised MOS [B, 1] */
  y: Tensor;
  /** partner index j*(i) [B] int64 */
  partner: Tensor;
  /** 1 where the anchor has a partner [B, 1] */
  mask: Tensor;
  /** perturbation strength ε_i [B, 1] */
  eps: Tensor;
  /** weight of the labelled loss per sample [B, 1] (0 for teacher-only samples); optional */
  wq?: Tensor;
  /** teacher prediction [B, 1]; optional (needed when kd > 0) */
  yt?: Tensor;
}

/** Element-wise SmoothL1 (β = 1): 0.5·m² + (d − m), m = min(d, 1) = d − relu(d − 1). */
export function smoothL1(p: Tensor, t: Tensor): Tensor {
  const d = abs(sub(p, t));
  const over = relu(sub(d, 1));
  const m = sub(d, over);
  return add(mul(mul(m, m), 0.5), over);
}

/** Frobenius norm per sample of [B, L, C] -> [B, 1, 1]. */
const frob = (t: Tensor): Tensor => sqrt(add(sum(mul(t, t), [1, 2], true), 1e-12));

export function qfmLoss(model: QfmIqm, inp: QfmLossInputs, w: QfmLossWeights): { loss: Tensor; stop: Tensor[]; pred: Tensor; parts: Record<string, Tensor> } {
  const b = inp.x.shape[0];
  const t = model.tokens(inp.x);
  const pred = model.panel.score(t);
  const lq = smoothL1(pred, inp.y);
  let loss = mean(inp.wq ? mul(lq, inp.wq) : lq);
  const parts: Record<string, Tensor> = { lq: mean(lq) };
  const stop: Tensor[] = [];
  if (w.sens > 0) {
    const tj = gather(t, inp.partner, 0);
    const delta = sub(tj, t);
    const scale = div(frob(t), add(frob(delta), 1e-6));
    const tt = add(t, mul(delta, mul(reshape(inp.eps, [b, 1, 1]), scale)));
    const pt = model.panel.score(tt);
    // detach a copy (not `pred` itself, which L_q still differentiates): a Mul by 1 is a distinct node to stop
    const target = mul(pred, 1);
    stop.push(target);
    // mask also covers the ground-truth term: teacher-only samples (wq = 0) use only the consistency part
    const gt = inp.wq ? mul(smoothL1(pt, inp.y), inp.wq) : smoothL1(pt, inp.y);
    const ls = mean(mul(add(smoothL1(pt, target), gt), inp.mask));
    parts.lsens = ls;
    loss = add(loss, mul(ls, w.sens));
  }
  if (w.match > 0) {
    const z = patchMean(t);
    const zj = gather(z, inp.partner, 0);
    const cos = div(sum(mul(z, zj), [1], true), sqrt(add(mul(sum(mul(z, z), [1], true), sum(mul(zj, zj), [1], true)), 1e-12)));
    const lm = mean(mul(sub(1, cos), inp.mask));
    parts.lmatch = lm;
    loss = add(loss, mul(lm, w.match));
  }
  if (w.kd > 0 && inp.yt) {
    const lkd = mean(smoothL1(pred, inp.yt));
    parts.lkd = lkd;
    loss = add(loss, mul(lkd, w.kd));
  }
  return { loss, stop, pred, parts };
}
