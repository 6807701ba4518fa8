import { test } from 'node:test';
import assert from 'node:assert/strict';
import { gammaFn, mscn, nearestFast, nearestLinear } from '../../src/signal/nss.js';
import { filterSeparable, gaussian1d } from '../../src/signal/filter.js';
import { makePlane } from '../../src/tensor/image.js';

test('gammaFn: integer and half-integer values', () => {
  assert.ok(Math.abs(gammaFn(5) - 24) < 1e-12);
  assert.ok(Math.abs(gammaFn(0.5) - Math.sqrt(Math.PI)) < 1e-14);
  assert.ok(Math.abs(gammaFn(10) / 362880 - 1) < 1e-14);
  assert.ok(Math.abs(gammaFn(0.1) / 9.513507698668732 - 1) < 1e-14);
});

test('grid lookup: binary search returns the same index as the linear scan of the release', () => {
  for (let i = 0; i < 4000; i++) {
    const v = 0.1 + i * 0.0004 + (i % 7) * 1e-5;
    assert.equal(nearestFast('aggd', v), nearestLinear('aggd', v), `aggd ${v}`);
    const w = 1 + i * 0.01;
    assert.equal(nearestFast('ggd', w), nearestLinear('ggd', w), `ggd ${w}`);
  }
  assert.equal(nearestFast('aggd', NaN), -1);
});

test('mscn equals the definition computed with filterSeparable (replicate and zero borders, sizes 7 and 5)', () => {
  const W = 23, H = 17;
  const p = makePlane(W, H, Float64Array.from({ length: W * H }, (_, i) => (i * 37) % 251));
  for (const [size, pad] of [[7, 'replicate'], [7, 'zero'], [5, 'replicate']] as const) {
    const g = gaussian1d(size, size / 6);
    const mu = filterSeparable(p, g, g, 'same', pad);
    const sq = makePlane(W, H, p.data.map((v) => v * v));
    const mu2 = filterSeparable(sq, g, g, 'same', pad);
    const { mscn: m } = mscn(p, { size, pad });
    for (let i = 0; i < W * H; i++) {
      const s = Math.sqrt(Math.abs(mu2.data[i] - mu.data[i] ** 2));
      const want = (p.data[i] - mu.data[i]) / (s + 1);
      assert.ok(Math.abs(m.data[i] - want) < 1e-9, `${size}/${pad} @${i}: ${m.data[i]} vs ${want}`);
    }
  }
});
