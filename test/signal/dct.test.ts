import { test } from 'node:test';
import assert from 'node:assert/strict';
import { makePlane } from '../../src/tensor/image.js';
import { dctmtx, blockDct2, blockIdct2 } from '../../src/signal/dct.js';
import { rng } from '../metrics/fr/property-helpers.js';

test('dctmtx is MATLAB dctmtx: known 2x2 values and orthonormal rows for n = 8', () => {
  const s = Math.SQRT1_2;
  const d2 = dctmtx(2), want2 = [s, s, s, -s];
  for (let i = 0; i < 4; i++) assert.ok(Math.abs(d2[i] - want2[i]) < 1e-15);
  const d = dctmtx(8);
  for (let i = 0; i < 8; i++) for (let j = 0; j < 8; j++) {
    let dot = 0;
    for (let k = 0; k < 8; k++) dot += d[i * 8 + k] * d[j * 8 + k];
    assert.ok(Math.abs(dot - (i === j ? 1 : 0)) < 1e-14);
  }
  // MATLAB dctmtx(8)(2,1) = sqrt(2/8)·cos(pi/16)
  assert.ok(Math.abs(d[8] - 0.5 * Math.cos(Math.PI / 16)) < 1e-15);
});

test('blockDct2 equals the orthonormal 2-D DCT-II formula per block, and blockIdct2 inverts it', () => {
  const r = rng(4), W = 16, H = 8;
  const p = makePlane(W, H, Float64Array.from({ length: W * H }, () => 255 * r()));
  const c = blockDct2(p);
  const a = (k: number) => (k === 0 ? Math.sqrt(1 / 8) : Math.sqrt(2 / 8));
  for (const [bx, u, v] of [[0, 0, 0], [1, 3, 5], [1, 7, 7], [0, 2, 0]]) {
    let s = 0;
    for (let y = 0; y < 8; y++) for (let x = 0; x < 8; x++) {
      s += p.data[y * W + bx * 8 + x] * Math.cos((Math.PI * (2 * y + 1) * u) / 16) * Math.cos((Math.PI * (2 * x + 1) * v) / 16);
    }
    assert.ok(Math.abs(c.data[u * W + bx * 8 + v] - a(u) * a(v) * s) < 1e-9);
  }
  const back = blockIdct2(c).data;
  for (let i = 0; i < back.length; i++) assert.ok(Math.abs(back[i] - p.data[i]) < 1e-9);
  assert.throws(() => blockDct2(makePlane(12, 8)), /blockDct2: plane size: expected multiples of 8, got 12x8/);
});
