/**
 * QFM-IQM training objective (docs/models.md §3.6, "Losses" and "Distillation"), as one graph over a batch:
 *   L = w_q·L_q + λ_s·L_sens + λ_m·L_match + λ_c·L_con + λ_kd·SmoothL1(ŷ, ŷ_teacher) + λ_f·MSE(z, z_teacher)
 * with the quality-matched, semantically most different partner j*(i) of each anchor chosen outside the graph
 * (qfm-pairs.ts) and fed as an int64 index. Semantic noise: T̃_i = T'_i + ε_i·Δ_i·‖T'_i‖_F/‖Δ_i‖_F, Δ_i = T'_{j*} − T'_i.
 * Anchors without a partner have j* = i and mask 0. L_sens uses stop-grad on ŷ (returned in `stop` for TrainStep).
 * Means are over the whole batch (masked terms divided by B, not by the number of pairs).
 * Optional parts of §3.6, each off unless asked for (off builds exactly the graph it did before they existed):
 *  - adversarial refinement of ε (step 4, `advEps`): ε_i ← clip(ε_i + η·sign(∂L_q(h(T̃_i), y_i)/∂ε_i), 0, ε_max),
 *    computed inside this one graph: the inner derivative is the engine's `grad` of Σ_i L_q(h(T̃_i), y_i) with
 *    respect to the ε input (the decoder is per-sample, so the gradient of the sum is the per-anchor derivative; only
 *    the decoder path from ε is differentiated, dead weight-gradient nodes are pruned at emission). The refined ε is
 *    returned in `stop`, so the weights' backward treats it as a constant: the inner step never updates a weight.
 *    This costs one extra decoder forward + backward per step and keeps one TrainStep (no second session, no
 *    second encoder pass, which a separate decoder-only graph would need to get T').
 *  - contrastive term L_con (v1 framing): the mined negatives (i, k) (similar semantics, different quality) come in
 *    as a [B, B] weight matrix `conW` (1/#pairs on each mined ordered pair, else 0; mined outside the graph);
 *    L_con = Σ_ik conW_ik · max(0, m − ‖z_i − z_k‖₂/√D), i.e. the mean hinge over the mined pairs.
 */
import { grad } from '../../engine/autodiff/grad.js';
import type { Tensor } from '../../engine/graph/graph.js';
import { abs, add, div, gather, mul, relu, reshape, sign, sqrt, sub, sum } from '../../engine/ops/index.js';
import { mean } from '../../nn/functional.js';
import { patchMean, type QfmIqm } from './qfm-iqm.js';

export interface QfmLossWeights {
  /** λ_s (sensitivity), λ_m (matching), λ_kd (teacher); 0 switches a term off. */
  sens: number;
  match: number;
  kd: number;
  /** FGSM refinement of ε (§3.6 step 4): step η, clip to [0, max]; null / absent = the fed ε as is. Needs sens > 0. */
  advEps?: { eta: number; max: number } | null;
  /** λ_c of the contrastive term (0 / absent = off; needs the `conW` input) and its margin m (default 0.5). */
  con?: number;
  conMargin?: number;
  /** λ_f of the student's feature distillation MSE(z_s, z_t) (§3.6 stage B; 0 / absent = off; needs `zt`). */
  feat?: number;
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
  /** L_con pair weights [B, B]: 1/#pairs at each mined negative (i, k), 0 elsewhere; optional (needed when con > 0) */
  conW?: Tensor;
  /** teacher's pooled gated feature z_t [B, D] (stage B feature distillation); optional (needed when feat > 0) */
  zt?: Tensor;
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

/** clip(x, 0, hi) for hi ≥ 0 as relu(x) − relu(x − hi) (no Min/Max primitive in the engine). */
const clip0 = (x: Tensor, hi: number): Tensor => sub(relu(x), relu(sub(x, hi)));

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
    const perturbed = (e: Tensor) => add(t, mul(delta, mul(reshape(e, [b, 1, 1]), scale)));
    let eps = inp.eps;
    if (w.advEps) {
      // §3.6 step 4, inner step: ∂/∂ε_i of Σ_i L_q(h(T̃_i(ε_i)), y_i) = the per-anchor derivative (per-sample decoder)
      const inner = sum(smoothL1(model.panel.score(perturbed(inp.eps)), inp.y));
      const [dEps] = grad(inner, [inp.eps]);
      eps = clip0(add(inp.eps, mul(sign(dEps), w.advEps.eta)), w.advEps.max);
      stop.push(eps); // a constant for the weights' backward: the inner step updates no weight
      parts.epsGrad = dEps;
      parts.epsAdv = eps;
    }
    const pt = model.panel.score(perturbed(eps));
    parts.predTilde = pt; // h(T̃) [B, 1]
    // detach a copy (not `pred` itself, which L_q still differentiates): a Mul by 1 is a distinct node to stop
    const target = mul(pred, 1);
    stop.push(target);
    // mask also covers the ground-truth term: teacher-only samples (wq = 0) use only the consistency part
    const gt = inp.wq ? mul(smoothL1(pt, inp.y), inp.wq) : smoothL1(pt, inp.y);
    const ls = mean(mul(add(smoothL1(pt, target), gt), inp.mask));
    parts.lsens = ls;
    loss = add(loss, mul(ls, w.sens));
  }
  let zMemo: Tensor | null = null;
  const zOf = () => (zMemo ??= patchMean(t));
  if (w.match > 0) {
    const z = zOf();
    const zj = gather(z, inp.partner, 0);
    const cos = div(sum(mul(z, zj), [1], true), sqrt(add(mul(sum(mul(z, z), [1], true), sum(mul(zj, zj), [1], true)), 1e-12)));
    const lm = mean(mul(sub(1, cos), inp.mask));
    parts.lmatch = lm;
    loss = add(loss, mul(lm, w.match));
  }
  if ((w.con ?? 0) > 0 && inp.conW) {
    // L_con: hinge on the pairwise distance of the gated pooled features, ‖z_i − z_k‖₂/√D ([B, B, D] differences:
    // exact, unlike |z_i|² + |z_k|² − 2 z_i·z_k; the 1e-12 keeps the diagonal's sqrt gradient finite, its weight is 0)
    const z = zOf();
    const d = z.shape[1];
    const diff = sub(reshape(z, [b, 1, d]), reshape(z, [1, b, d]));
    const dist = sqrt(add(sum(mul(diff, diff), [2]), 1e-12));
    const lc = sum(mul(relu(sub(w.conMargin ?? 0.5, div(dist, Math.sqrt(d)))), inp.conW));
    parts.lcon = lc;
    loss = add(loss, mul(lc, w.con!));
  }
  if ((w.feat ?? 0) > 0 && inp.zt) {
    // λ_f·MSE(z_s, z_t): mean over the batch and the D channels, as torch.nn.functional.mse_loss
    const dz = sub(zOf(), inp.zt);
    const lf = mean(mul(dz, dz));
    parts.lfeat = lf;
    loss = add(loss, mul(lf, w.feat!));
  }
  if (w.kd > 0 && inp.yt) {
    const lkd = mean(smoothL1(pred, inp.yt));
    parts.lkd = lkd;
    loss = add(loss, mul(lkd, w.kd));
  }
  return { loss, stop, pred, parts };
}
