import { test } from 'node:test';
import assert from 'node:assert/strict';
import { imresize } from '../../src/signal/imresize.js';
import { makePlane } from '../../src/tensor/image.js';

const ramp = (w: number, h: number) => makePlane(w, h, Float64Array.from({ length: w * h }, (_, i) => (i * 37) % 251));

test('imresize: output size is ceil(scale * n); scale 1 is the identity', () => {
  const p = ramp(13, 7);
  const q = imresize(p, { scale: 0.5 });
  assert.deepEqual([q.width, q.height], [7, 4]);
  const id = imresize(p, { scale: 1 });
  for (let i = 0; i < p.data.length; i++) assert.ok(Math.abs(id.data[i] - p.data[i]) < 1e-12);
});

test('imresize: constants stay constant (weights sum to 1) with and without antialiasing', () => {
  const p = makePlane(20, 11, new Float64Array(220).fill(42));
  for (const scale of [0.25, 0.5, 0.7, 1.3, 2]) for (const antialias of [true, false]) {
    const q = imresize(p, { scale, antialias });
    for (const v of q.data) assert.ok(Math.abs(v - 42) < 1e-9);
  }
});

test('imresize: 2x bicubic upscale of a 1-D ramp reproduces MATLAB interior values', () => {
  // MATLAB: imresize(0:7, 2) interior samples follow u = x/2 + 0.25 on a linear ramp: value = u - 1
  const p = makePlane(8, 1, Float64Array.from([0, 1, 2, 3, 4, 5, 6, 7]));
  const q = imresize(p, { size: [1, 16] });
  for (let x = 4; x < 12; x++) assert.ok(Math.abs(q.data[x] - ((x + 1) / 2 + 0.25 - 1)) < 1e-12, `x=${x}: ${q.data[x]}`);
});
