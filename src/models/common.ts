/**
 * Small helpers shared by the learned models: a named container (PyTorch attribute names), nn.Sequential-style
 * index naming, and a deterministic "formula" initialisation used by parity fixtures (the PyTorch reference in
 * tools/ fills the same values, so no weights need committing).
 */
import type { Tensor } from '../engine/graph/graph.js';
import { Module } from '../nn/module.js';
import type { NdArray } from '../tensor/ndarray.js';
import { ndarray } from '../tensor/ndarray.js';
import { expected } from '../tensor/errors.js';

/** A module holding named children only (its `forward` is never called). */
export class Container extends Module {
  add<M extends Module>(name: string, m: M): M {
    return this.child(name, m);
  }
  forward(x: Tensor): Tensor {
    return x;
  }
}

/**
 * Deterministic weights for parity tests: parameter k (in sorted-name order) gets
 * v[i] = a * sin(0.37 * i + 1.7 * k + 0.3), a = 0.5 / sqrt(prod(shape[1:])) for rank >= 2, 0.2 for vectors
 * (vectors named '*.weight', i.e. norm and PReLU weights: 1 + 0.2 sin(...); running variances: 1 + 0.5 |sin|). Same rule in tools/*_ref.py.
 */
export function formulaStateDict(m: Module): Record<string, NdArray> {
  const names = m.namedTensors().map(([n]) => n).sort();
  const shapes = new Map(m.namedTensors().map(([n, p]) => [n, p.shape] as const));
  const out: Record<string, NdArray> = {};
  names.forEach((n, k) => {
    const shape = shapes.get(n)!;
    const len = shape.reduce((a, b) => a * b, 1);
    const d = new Float32Array(len);
    const fan = shape.slice(1).reduce((a, b) => a * b, 1);
    const isNormWeight = n.endsWith('.weight');
    for (let i = 0; i < len; i++) {
      const s = Math.sin(0.37 * i + 1.7 * k + 0.3);
      if (n.endsWith('running_var')) d[i] = 1 + 0.5 * Math.abs(s);
      else if (shape.length === 1 && isNormWeight) d[i] = 1 + 0.2 * s;
      else d[i] = shape.length >= 2 ? (0.5 / Math.sqrt(fan)) * s : 0.2 * s;
    }
    out[n] = ndarray('float32', shape, d);
  });
  return out;
}

/**
 * Loads `tensors` into `net` by name: every parameter and buffer must be present (a clear error names the first
 * missing ones); extra keys (e.g. the official checkpoints' unused layers, `num_batches_tracked`) are ignored.
 */
export function loadNamed(net: Module, tensors: Readonly<Record<string, NdArray>>, where: string): void {
  const missing = net.namedTensors().map(([n]) => n).filter((n) => !(n in tensors));
  if (missing.length) throw expected(where, 'weights', 'every parameter of the configured model', `${missing.length} missing (${missing.slice(0, 3).join(', ')}...)`, 'E_WEIGHTS');
  net.loadStateDict(tensors, false);
}
