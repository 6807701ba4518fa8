import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Rng } from '../../src/engine/rng.js';
import { fivePointCrops, normalise, randomCrops, stackCrops, assertCropFits } from '../../src/models/preprocess.js';
import { makeImage } from '../../src/tensor/image.js';

test('five-point crop: corners and centre (MANIQA order)', () => {
  assert.deepEqual(fivePointCrops(10, 12, 4), [
    { top: 0, left: 0 },
    { top: 0, left: 8 },
    { top: 6, left: 0 },
    { top: 6, left: 8 },
    { top: 3, left: 4 },
  ]);
});

test('random crops: offsets in [0, h - size] inclusive, seeded', () => {
  const ps = randomCrops(5, 6, 4, 400, new Rng(1));
  assert.ok(ps.every((p) => p.top >= 0 && p.top <= 1 && p.left >= 0 && p.left <= 2));
  assert.ok(ps.some((p) => p.top === 1) && ps.some((p) => p.left === 2), 'the last offset is drawn (official bug #10 fixed)');
  assert.deepEqual(randomCrops(5, 6, 4, 3, new Rng(7)), randomCrops(5, 6, 4, 3, new Rng(7)));
  assert.deepEqual(randomCrops(4, 4, 4, 2, new Rng(0)), [{ top: 0, left: 0 }, { top: 0, left: 0 }]);
});

test('normalise: half and ImageNet; grey repeated to 3 channels; crops and flips', () => {
  const img = makeImage(3, 2, 1, Float64Array.from([0, 51, 102, 153, 204, 255]));
  const h = normalise(img, 'half');
  assert.equal(h.length, 18);
  assert.ok(Math.abs(h[0] + 1) < 1e-6 && Math.abs(h[5] - 1) < 1e-6 && Math.abs(h[6 + 5] - 1) < 1e-6);
  const n = normalise(img, 'imagenet');
  assert.ok(Math.abs(n[5] - (1 - 0.485) / 0.229) < 1e-5);
  const c = stackCrops(h, 2, 3, [{ top: 0, left: 1 }], 2);
  assert.deepEqual([...c.slice(0, 4)].map((v) => Math.round(v * 10) / 10), [-0.6, -0.2, 0.6, 1]);
  const f = stackCrops(h, 2, 3, [{ top: 0, left: 1 }], 2, [true]);
  assert.deepEqual([...f.slice(0, 4)].map((v) => Math.round(v * 10) / 10), [-0.2, -0.6, 1, 0.6]);
  assert.throws(() => assertCropFits('yoto', img, 4), /yoto: image size: expected at least 4x4/);
});
