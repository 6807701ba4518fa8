/**
 * Optimisers written as graph updates, compiled into the training step. Hyper-parameters that change between steps
 * (learning rate, Adam's bias corrections) are scalar graph inputs, so schedules never recompile the graph.
 * Each rule follows PyTorch's `torch.optim` update equations exactly (same order of operations).
 */
import type { Tensor } from '../graph/graph.js';
import { add, div, mul, sqrt, sub } from '../ops/index.js';

export interface Optimizer {
  readonly name: string;
  /** Per-parameter state tensors (zeros at step 0), e.g. Adam's exp_avg and exp_avg_sq. */
  readonly state: readonly string[];
  /** Scalar inputs for step `t` (1-based) at learning rate `lr`. */
  scalars(t: number, lr: number): Record<string, number>;
  /** New parameter and state values. `s` holds the scalar inputs by name. */
  update(p: Tensor, g: Tensor, state: readonly Tensor[], s: Readonly<Record<string, Tensor>>): { param: Tensor; state: Tensor[] };
}

export interface SgdOptions {
  momentum?: number;
  nesterov?: boolean;
  weightDecay?: number;
}

/** SGD with momentum and Nesterov (torch.optim.SGD, dampening 0). */
export function sgd(o: SgdOptions = {}): Optimizer {
  const mu = o.momentum ?? 0;
  const wd = o.weightDecay ?? 0;
  return {
    name: 'sgd',
    state: mu ? ['momentum_buffer'] : [],
    scalars: (_t, lr) => ({ lr }),
    update: (p, g0, [buf], s) => {
      const g = wd ? add(g0, mul(p, wd)) : g0;
      if (!mu) return { param: sub(p, mul(g, s.lr)), state: [] };
      // buf starts at zero, so buf_1 = g_1 as in PyTorch (which clones g at the first step).
      const b = add(mul(buf, mu), g);
      const d = o.nesterov ? add(g, mul(b, mu)) : b;
      return { param: sub(p, mul(d, s.lr)), state: [b] };
    },
  };
}

export interface AdamOptions {
  betas?: readonly [number, number];
  eps?: number;
  weightDecay?: number;
  /** decoupled weight decay (AdamW) */
  decoupled?: boolean;
}

/** Adam (torch.optim.Adam); with `decoupled` it is AdamW. Bias corrections come in as scalars per step. */
export function adam(o: AdamOptions = {}): Optimizer {
  const [b1, b2] = o.betas ?? [0.9, 0.999];
  const eps = o.eps ?? 1e-8;
  const wd = o.weightDecay ?? (o.decoupled ? 0.01 : 0);
  return {
    name: o.decoupled ? 'adamw' : 'adam',
    state: ['exp_avg', 'exp_avg_sq'],
    scalars: (t, lr) => ({ lr, step_size: lr / (1 - b1 ** t), bc2_sqrt: Math.sqrt(1 - b2 ** t) }),
    update: (p0, g0, [m0, v0], s) => {
      const p = o.decoupled && wd ? mul(p0, sub(1, mul(s.lr, wd))) : p0;
      const g = !o.decoupled && wd ? add(g0, mul(p0, wd)) : g0;
      const m = add(mul(m0, b1), mul(g, 1 - b1));
      const v = add(mul(v0, b2), mul(mul(g, g), 1 - b2));
      const denom = add(div(sqrt(v), s.bc2_sqrt), eps);
      return { param: sub(p, mul(div(m, denom), s.step_size)), state: [m, v] };
    },
  };
}

/** AdamW (torch.optim.AdamW; default weight decay 0.01). */
export const adamw = (o: Omit<AdamOptions, 'decoupled'> = {}): Optimizer => adam({ ...o, decoupled: true });
