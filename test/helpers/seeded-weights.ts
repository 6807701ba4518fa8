/**
 * Deterministic pseudo-random weights computed identically here and in tools/lpips_dists_fixtures.py (numpy), so
 * full-size backbones can be checked against PyTorch without committing their weights: value i of tensor k is
 * a murmur3-finalised hash of (i + (seed + k) * 0x9E3779B9) mod 2^32, mapped to U(-sqrt(3) std, sqrt(3) std) in
 * float64 and rounded to float32. Tensors are visited in sorted-name order.
 */
import type { Module } from '../../src/nn/module.js';

export function seededUniform(seed: number, n: number): Float64Array {
  const out = new Float64Array(n);
  const base = Math.imul(seed, 0x9e3779b9) >>> 0;
  for (let i = 0; i < n; i++) {
    let h = (i + base) >>> 0;
    h = (h ^ (h >>> 16)) >>> 0;
    h = Math.imul(h, 0x85ebca6b) >>> 0;
    h = (h ^ (h >>> 13)) >>> 0;
    h = Math.imul(h, 0xc2b2ae35) >>> 0;
    h = (h ^ (h >>> 16)) >>> 0;
    out[i] = h / 4294967296;
  }
  return out;
}

export function seededValues(seed: number, n: number, std: number): Float32Array {
  const u = seededUniform(seed, n);
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) out[i] = (2 * u[i] - 1) * Math.sqrt(3) * std;
  return out;
}

/** Fills every parameter: He-uniform-like std sqrt(2 / fan_in) for weights (rank > 1), 0.05 for vectors. */
export function seedModule(m: Module, seed: number): void {
  const named = m.namedTensors().sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  named.forEach(([, p], k) => {
    const shape = p.shape;
    const n = p.value.data.length;
    const std = shape.length > 1 ? Math.sqrt(2 / (n / shape[0])) : 0.05;
    p.value = { dtype: 'float32', shape, data: seededValues(seed + k, n, std) };
  });
}
