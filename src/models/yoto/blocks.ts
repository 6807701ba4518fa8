/**
 * YOTO's attention blocks with the official module and parameter names (BarCodeReader/YOTO models/model.py):
 * CTR (channel attention over stage tokens), MSSA (distorted<->reference attention, global + 2x2-window local) and
 * CSA (cross-scale attention, shallow queries vs deep keys/values in aligned windows). models.md §1.5.
 */
import type { Tensor } from '../../engine/graph/graph.js';
import { add, gelu, mul, reshape, transpose } from '../../engine/ops/index.js';
import type { Rng } from '../../engine/rng.js';
import { windowPartition, windowReverse } from '../../nn/functional.js';
import { scaledDotProductAttention } from '../../nn/blocks.js';
import { Dropout, Linear } from '../../nn/layers.js';
import { Module, Sequential, Lambda } from '../../nn/module.js';

/** nn.Sequential(nn.Linear(dim, 1), nn.GELU()): the per-token gate ('scale', 'scale1', 'scale2'). */
const gate = (dim: number, rng?: Rng): Sequential => new Sequential(new Linear(dim, 1, { rng }), new Lambda(gelu));

/** softmax(q k^T * f) v over the last two axes (any leading batch axes). */
function attend(q: Tensor, k: Tensor, v: Tensor, f: number): Tensor {
  // as one head of [prod(leading), 1, L, d] (the fused attention node in inference graphs)
  const four = (t: Tensor) => reshape(t, [t.shape.slice(0, -2).reduce((a, b) => a * b, 1), 1, ...t.shape.slice(-2)]);
  const o = scaledDotProductAttention(four(q), four(k), four(v), { scale: f });
  return reshape(o, [...q.shape.slice(0, -1), v.shape[v.rank - 1]]);
}

/**
 * CTR: channels as tokens. x [B, C, N]; q, k, v = Linear(N, N); attn [B, C, C]. Keeps the official reshape quirk
 * `(attn @ v).transpose(1, 2).reshape(B, C, N)` (a row-major re-read, not a transpose back) and the double residual
 * `x * s + 2 x0` (models.md §1.5 and §1.10 #4; required for weight compatibility). Returns [B, C, N].
 */
export class CTR extends Module {
  readonly cQ: Linear;
  readonly cK: Linear;
  readonly cV: Linear;
  readonly scale: Sequential;
  readonly projDrop: Dropout;
  constructor(readonly n: number, opts: { drop?: number; rng?: Rng } = {}) {
    super();
    this.cQ = this.child('c_q', new Linear(n, n, opts));
    this.cK = this.child('c_k', new Linear(n, n, opts));
    this.cV = this.child('c_v', new Linear(n, n, opts));
    this.scale = this.child('scale', gate(n, opts.rng));
    this.projDrop = this.child('proj_drop', new Dropout(opts.drop ?? 0.1));
  }
  forward(x: Tensor): Tensor {
    const [b, c, n] = x.shape;
    const a = attend(this.cQ.forward(x), this.cK.forward(x), this.cV.forward(x), n ** -0.5);
    const quirk = this.projDrop.forward(reshape(transpose(a, [0, 2, 1]), [b, c, n]));
    return add(add(mul(quirk, this.scale.forward(x)), x), x);
  }
}

/**
 * MSSA (the "HA" attention): global attention with queries from the reference tokens y and keys/values from the
 * distorted tokens x, then (stages 1-3) the same inside 2x2 non-overlapping windows. x, y [B, hw*hw, C].
 * `scale2` exists even without windows (the official module always defines it; it then stays unused).
 */
export class MSSA extends Module {
  readonly cQ1: Linear;
  readonly cK1: Linear;
  readonly cV1: Linear;
  readonly projDrop1: Dropout;
  readonly cQ2: Linear | null = null;
  readonly cK2: Linear | null = null;
  readonly cV2: Linear | null = null;
  readonly projDrop2: Dropout | null = null;
  readonly scale1: Sequential;
  readonly scale2: Sequential;
  constructor(readonly dim: number, readonly hw: number, readonly patchify: boolean, opts: { drop?: number; rng?: Rng } = {}) {
    super();
    const lin = () => new Linear(dim, dim, { rng: opts.rng });
    this.cQ1 = this.child('c_q1', lin());
    this.cK1 = this.child('c_k1', lin());
    this.cV1 = this.child('c_v1', lin());
    this.projDrop1 = this.child('proj_drop1', new Dropout(opts.drop ?? 0.1));
    if (patchify) {
      this.cQ2 = this.child('c_q2', lin());
      this.cK2 = this.child('c_k2', lin());
      this.cV2 = this.child('c_v2', lin());
      this.projDrop2 = this.child('proj_drop2', new Dropout(opts.drop ?? 0.1));
    }
    this.scale1 = this.child('scale1', gate(dim, opts.rng));
    this.scale2 = this.child('scale2', gate(dim, opts.rng));
  }
  /** (x, y): distorted and reference tokens. */
  attend(x0: Tensor, y: Tensor): Tensor {
    const f = this.dim ** -0.5;
    const xg = this.projDrop1.forward(attend(this.cQ1.forward(y), this.cK1.forward(x0), this.cV1.forward(x0), f));
    let x = add(mul(this.scale1.forward(x0), xg), x0);
    if (this.patchify) {
      const [b, , c] = x.shape;
      const hw = this.hw;
      const ws = hw / 2;
      // F.unfold(kernel = stride = hw/2) + rearrange == a window partition in row-major window order
      const win = (t: Tensor) => windowPartition(reshape(t, [b, hw, hw, c]), ws);
      const xw = win(x);
      const yw = win(y);
      const l = attend(this.cQ2!.forward(yw), this.cK2!.forward(xw), this.cV2!.forward(xw), f);
      const xl = this.projDrop2!.forward(reshape(windowReverse(l, ws, hw, hw), [b, hw * hw, c]));
      x = add(mul(this.scale2.forward(x), xl), x);
    }
    return x;
  }
  forward(x: Tensor): Tensor {
    return this.attend(x, x);
  }
}

/**
 * CSA (the "SDA" cross-scale attention): lo (shallow, large map, lohw^2 tokens) queries hi (deep, hihw^2 tokens)
 * inside `grid`^2 aligned windows: base = hihw / grid, rate = lohw / hihw * base (official: grid = 7, the last
 * stage's side). Returns lo updated, [B, lohw^2, C].
 */
export class CSA extends Module {
  readonly cQ: Linear;
  readonly cK: Linear;
  readonly cV: Linear;
  readonly scale: Sequential;
  readonly projDrop: Dropout;
  constructor(readonly dim: number, opts: { drop?: number; rng?: Rng } = {}) {
    super();
    const lin = () => new Linear(dim, dim, { rng: opts.rng });
    this.cQ = this.child('c_q', lin());
    this.cK = this.child('c_k', lin());
    this.cV = this.child('c_v', lin());
    this.scale = this.child('scale', gate(dim, opts.rng));
    this.projDrop = this.child('proj_drop', new Dropout(opts.drop ?? 0.1));
  }
  cross(lo: Tensor, hi: Tensor, lohw: number, hihw: number, grid: number): Tensor {
    const [b, , c] = lo.shape;
    const base = hihw / grid;
    const rate = (lohw / hihw) * base;
    const low = windowPartition(reshape(lo, [b, lohw, lohw, c]), rate);
    const hiw = windowPartition(reshape(hi, [b, hihw, hihw, c]), base);
    const o = this.projDrop.forward(attend(this.cQ.forward(low), this.cK.forward(hiw), this.cV.forward(hiw), this.dim ** -0.5));
    const upd = add(mul(o, this.scale.forward(low)), low);
    return reshape(windowReverse(upd, rate, lohw, lohw), [b, lohw * lohw, c]);
  }
  forward(x: Tensor): Tensor {
    return x;
  }
}
