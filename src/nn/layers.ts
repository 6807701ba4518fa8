/**
 * Layers with PyTorch state-dict names and default initialisation (kaiming-uniform bounds 1/sqrt(fan_in)).
 */
import { expected } from '../tensor/errors.js';
import type { Parameter, Tensor } from '../engine/graph/graph.js';
import { add, batchNorm, batchNormTrain, conv2d, gather, matmul, mul, reshape, transpose } from '../engine/ops/index.js';
import type { Conv2dOptions } from '../engine/ops/index.js';
import type { Rng } from '../engine/rng.js';
import { dropout, layerNorm } from './functional.js';
import { Module, defaultRng, uniform } from './module.js';

/** y = x W^T + b over the last axis (nn.Linear: weight [out, in], bias [out]). */
export class Linear extends Module {
  readonly weight: Parameter;
  readonly bias: Parameter | null;
  constructor(readonly inFeatures: number, readonly outFeatures: number, opts: { bias?: boolean; rng?: Rng } = {}) {
    super();
    const rng = opts.rng ?? defaultRng;
    const bound = 1 / Math.sqrt(inFeatures);
    this.weight = this.param('weight', [outFeatures, inFeatures], uniform(rng, inFeatures * outFeatures, bound));
    this.bias = opts.bias === false ? null : this.param('bias', [outFeatures], uniform(rng, outFeatures, bound));
  }
  /** y = x W^T + b; with `outScale` [out] (e.g. a LayerScale gamma): x (W^T diag(s)) + b s, folded into the weights. */
  forward(x: Tensor, outScale?: Tensor): Tensor {
    if (x.shape[x.rank - 1] !== this.inFeatures) throw expected('Linear', 'input features', String(this.inFeatures), `${x.shape[x.rank - 1]} (input ${x})`, 'E_SHAPE');
    const g = x.graph;
    const wt = transpose(g.param(this.weight), [1, 0]);
    const y = matmul(x.rank === 1 ? reshape(x, [1, -1]) : x, outScale ? mul(wt, outScale) : wt);
    if (!this.bias) return y;
    return add(y, outScale ? mul(g.param(this.bias), outScale) : g.param(this.bias));
  }
}

/** nn.Conv2d: weight [out, in/groups, k, k], bias [out]. */
export class Conv2d extends Module {
  readonly weight: Parameter;
  readonly bias: Parameter | null;
  constructor(
    inChannels: number,
    outChannels: number,
    kernel: number | readonly [number, number],
    readonly opts: Conv2dOptions & { bias?: boolean; rng?: Rng } = {},
  ) {
    super();
    const [kh, kw] = typeof kernel === 'number' ? [kernel, kernel] : kernel;
    const groups = opts.groups ?? 1;
    const fanIn = (inChannels / groups) * kh * kw;
    const rng = opts.rng ?? defaultRng;
    const bound = 1 / Math.sqrt(fanIn);
    this.weight = this.param('weight', [outChannels, inChannels / groups, kh, kw], uniform(rng, outChannels * fanIn, bound));
    this.bias = opts.bias === false ? null : this.param('bias', [outChannels], uniform(rng, outChannels, bound));
  }
  forward(x: Tensor): Tensor {
    const g = x.graph;
    return conv2d(x, g.param(this.weight), this.bias ? g.param(this.bias) : null, this.opts);
  }
}

/**
 * nn.BatchNorm2d. Train mode: batch statistics, and running stats updated with momentum using the *unbiased*
 * batch variance as PyTorch does (engine-notes §4.1). Eval mode: one BatchNormalization node (folded by ORT).
 * (PyTorch's num_batches_tracked counter is not kept.)
 */
export class BatchNorm2d extends Module {
  readonly weight: Parameter;
  readonly bias: Parameter;
  readonly runningMean: Parameter;
  readonly runningVar: Parameter;
  constructor(readonly channels: number, readonly opts: { eps?: number; momentum?: number } = {}) {
    super();
    this.weight = this.param('weight', [channels], new Float32Array(channels).fill(1));
    this.bias = this.param('bias', [channels], new Float32Array(channels));
    this.runningMean = this.buffer('running_mean', [channels], new Float32Array(channels));
    this.runningVar = this.buffer('running_var', [channels], new Float32Array(channels).fill(1));
  }
  forward(x: Tensor): Tensor {
    const g = x.graph;
    const eps = this.opts.eps ?? 1e-5;
    const [w, b, rm, rv] = [this.weight, this.bias, this.runningMean, this.runningVar].map((p) => g.param(p));
    if (!this.training) return batchNorm(x, w, b, rm, rv, eps);
    const r = batchNormTrain(x, w, b, eps);
    const m = this.opts.momentum ?? 0.1;
    const count = x.size / x.shape[1];
    g.update(this.runningMean, add(mul(rm, 1 - m), mul(r.mean, m)));
    g.update(this.runningVar, add(mul(rv, 1 - m), mul(r.variance, (m * count) / Math.max(count - 1, 1))));
    return r.y;
  }
}

/** nn.LayerNorm over the last axis. */
export class LayerNorm extends Module {
  readonly weight: Parameter;
  readonly bias: Parameter;
  constructor(readonly dim: number, readonly eps = 1e-5) {
    super();
    this.weight = this.param('weight', [dim], new Float32Array(dim).fill(1));
    this.bias = this.param('bias', [dim], new Float32Array(dim));
  }
  forward(x: Tensor): Tensor {
    return layerNorm(x, x.graph.param(this.weight), x.graph.param(this.bias), this.eps);
  }
}

/** nn.Embedding: rows of weight [num, dim] picked by int64 indices of any shape. Init N(0, 1). */
export class Embedding extends Module {
  readonly weight: Parameter;
  constructor(readonly num: number, readonly dim: number, opts: { rng?: Rng } = {}) {
    super();
    const rng = opts.rng ?? defaultRng;
    this.weight = this.param('weight', [num, dim], Float32Array.from({ length: num * dim }, () => rng.normal()));
  }
  forward(idx: Tensor): Tensor {
    if (idx.dtype !== 'int64') throw expected('Embedding', 'indices dtype', 'int64', idx.dtype, 'E_DTYPE');
    return reshape(gather(idx.graph.param(this.weight), reshape(idx, [-1]), 0), [...idx.shape, this.dim]);
  }
}

/** nn.Dropout (identity in eval mode). */
export class Dropout extends Module {
  constructor(readonly p = 0.5) {
    super();
  }
  forward(x: Tensor): Tensor {
    return this.training ? dropout(x, this.p) : x;
  }
}

/** Stochastic depth per sample (timm DropPath): drops whole residual branches in train mode. */
export class DropPath extends Module {
  constructor(readonly p = 0) {
    super();
  }
  forward(x: Tensor): Tensor {
    return this.training && this.p > 0 ? dropout(x, this.p, true) : x;
  }
}

