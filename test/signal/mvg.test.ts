import { test } from 'node:test';
import assert from 'node:assert/strict';
import { pinv, pinvSpd, pooledPinv } from '../../src/signal/mvg.js';
import { rng } from '../helpers/rng.js';

/** A random symmetric positive semi-definite n x n matrix of rank r (B·Bᵀ with B n x r). */
function spd(n: number, r: number, seed: number): Float64Array {
  const rand = rng(seed), b = Float64Array.from({ length: n * r }, () => rand() - 0.5), a = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) { let s = 0; for (let k = 0; k < r; k++) s += b[i * r + k] * b[j * r + k]; a[i * n + j] = s; }
  return a;
}

test('pinvSpd equals the SVD pinv on positive-definite matrices and refuses singular ones', () => {
  for (const [n, seed] of [[5, 1], [36, 2], [120, 3]] as const) {
    const a = spd(n, n + 10, seed);
    const fast = pinvSpd(a, n)!, ref = pinv(a, n);
    assert.ok(fast, `n = ${n}: expected the Cholesky path`);
    let scale = 0, err = 0;
    for (let i = 0; i < n * n; i++) { scale = Math.max(scale, Math.abs(ref[i])); err = Math.max(err, Math.abs(fast[i] - ref[i])); }
    assert.ok(err <= 1e-9 * scale, `n = ${n}: max |Δ| ${err} vs scale ${scale}`);
  }
  // rank-deficient: pinv drops the null space, inv does not exist -> null, and pooledPinv falls back to the SVD
  const sing = spd(20, 12, 4);
  assert.equal(pinvSpd(sing, 20), null);
  const pooled = pooledPinv(sing, sing, 20), ref = pinv(sing, 20);
  for (let i = 0; i < 400; i++) assert.ok(Math.abs(pooled[i] - ref[i]) <= 1e-12 * (1 + Math.abs(ref[i])));
});
