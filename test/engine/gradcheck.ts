/**
 * Gradient and forward checks for primitives and composites.
 * - Gradient: the emitted backward graph, evaluated in float64 with the reference kernels, against central finite
 *   differences of the float64 forward (per-tensor relative L2, default <= 1e-6 as in engine-notes §7).
 * - Forward and backward on onnxruntime: the same graph built in float32 and run on ORT against the float64 values.
 * The loss is sum(y * R) with a fixed random R, so every output element weighs differently.
 */
import assert from 'node:assert/strict';
import { Graph, type RefArray, type Tensor } from '../../src/engine/graph/graph.js';
import { grad } from '../../src/engine/autodiff/grad.js';
import { evaluate } from '../../src/engine/ops/evaluate.js';
import { mul, sum, constant } from '../../src/engine/ops/index.js';
import { toOnnx } from '../../src/engine/onnx/emit.js';
import { Session } from '../../src/engine/runtime/session.js';
import { Rng } from '../../src/engine/rng.js';
import { ndarray, type DType } from '../../src/tensor/ndarray.js';

export interface InputSpec {
  shape: number[];
  /** value generator; default standard normal. 'pos': in [0.5, 2]; 'away': normal with |v| >= 0.2 (off kinks). */
  gen?: 'normal' | 'pos' | 'away' | ((rng: Rng) => number);
}

export function relL2(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let num = 0;
  let den = 0;
  for (let i = 0; i < a.length; i++) {
    num += (a[i] - b[i]) ** 2;
    den += b[i] ** 2;
  }
  return Math.sqrt(num) / Math.max(Math.sqrt(den), 1e-30);
}

function gen(rng: Rng, spec: InputSpec): Float64Array {
  const n = spec.shape.reduce((a, b) => a * b, 1);
  const d = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const g = spec.gen ?? 'normal';
    if (typeof g === 'function') d[i] = g(rng);
    else if (g === 'pos') d[i] = 0.5 + 1.5 * rng.uniform();
    else if (g === 'away') {
      const v = rng.normal();
      d[i] = Math.sign(v) * (0.2 + Math.abs(v));
    } else d[i] = rng.normal();
  }
  return d;
}

export interface CheckOptions {
  seed?: number;
  /** gradient tolerance (float64 FD vs float64 backward) */
  tol?: number;
  /** ORT float32 tolerance for forward and gradients */
  ortTol?: number;
  eps?: number;
  /** skip the gradient check (non-differentiable outputs) */
  noGrad?: boolean;
}

function build(dtype: DType, specs: InputSpec[], f: (...xs: Tensor[]) => Tensor, rSeed: number) {
  const g = new Graph();
  const xs = specs.map((s, i) => g.input(`x${i}`, s.shape, dtype));
  const y = f(...xs);
  const rng = new Rng(rSeed);
  const r = constant(g, y.shape, gen(rng, { shape: [...y.shape] }), y.dtype);
  const loss = sum(mul(y, r));
  return { g, xs, y, loss, grads: grad(loss, xs) };
}

/** Checks `f`'s gradients against finite differences (float64) and its forward and backward on onnxruntime. */
export async function checkOp(specs: InputSpec[], f: (...xs: Tensor[]) => Tensor, o: CheckOptions = {}): Promise<void> {
  const rng = new Rng(o.seed ?? 1);
  const vals = specs.map((s) => gen(rng, s));
  const feeds: Record<string, RefArray> = {};
  specs.forEach((s, i) => (feeds[`x${i}`] = { data: vals[i], shape: s.shape }));

  const b64 = build('float64', specs, f, 99);
  const [y64, ...g64] = evaluate([b64.y, ...b64.grads], feeds);
  if (!o.noGrad) {
    const eps = o.eps ?? 1e-6;
    specs.forEach((s, i) => {
      // Every coordinate for small tensors; otherwise a seeded sample of 64 coordinates (cost is 2 forwards each).
      const n = vals[i].length;
      const coords = n <= 96 ? [...Array(n).keys()] : rng.shuffle([...Array(n).keys()]).slice(0, 64);
      const fd = new Float64Array(coords.length);
      const an = new Float64Array(coords.length);
      coords.forEach((k, j) => {
        const v = vals[i][k];
        vals[i][k] = v + eps;
        const lp = evaluate([b64.loss], feeds)[0].data[0];
        vals[i][k] = v - eps;
        const lm = evaluate([b64.loss], feeds)[0].data[0];
        vals[i][k] = v;
        fd[j] = (lp - lm) / (2 * eps);
        an[j] = g64[i].data[k];
      });
      const err = relL2(an, fd);
      assert.ok(err <= (o.tol ?? 1e-6), `gradient of input ${i} ${JSON.stringify(s.shape)}: relL2 ${err.toExponential(2)} vs finite differences`);
    });
  }

  const b32 = build('float32', specs, f, 99);
  const outs: Record<string, Tensor> = { y: b32.y };
  if (!o.noGrad) b32.grads.forEach((t, i) => (outs[`g${i}`] = t));
  const model = toOnnx(outs);
  const sess = await Session.create(model);
  const f32: Record<string, ReturnType<typeof ndarray>> = {};
  specs.forEach((s, i) => (f32[`x${i}`] = ndarray('float32', s.shape, Float32Array.from(vals[i]))));
  const r = await sess.run(f32);
  await sess.release();
  const tol = o.ortTol ?? 1e-5;
  const yo = Array.from(r.y.data as Float32Array, Number);
  assert.deepEqual(r.y.shape, [...y64.shape], 'ORT output shape');
  const ey = relL2(yo, y64.data);
  assert.ok(ey <= tol, `ORT forward: relL2 ${ey.toExponential(2)}`);
  if (!o.noGrad) g64.forEach((gv, i) => {
    const e = relL2(Array.from(r[`g${i}`].data as Float32Array, Number), gv.data);
    assert.ok(e <= tol, `ORT gradient of input ${i}: relL2 ${e.toExponential(2)}`);
  });
}
