import { test } from 'node:test';
import assert from 'node:assert/strict';
import { makeImage } from '../../src/tensor/image.js';
import { rgb2grayMatlab, rgbToYiq, rgbToYiqMatlab3, rgbToLumaBt601 } from '../../src/color/index.js';

test('grey input is R = G = B: lumas return it unchanged, chroma planes are zero', () => {
  const g = makeImage(3, 1, 1, Float64Array.from([0, 17, 255]));
  const rgb = makeImage(3, 1, 3, Float64Array.from([0, 17, 255, 0, 17, 255, 0, 17, 255]));
  assert.deepEqual(Array.from(rgb2grayMatlab(g).data), [0, 17, 255]);
  assert.deepEqual(Array.from(rgbToLumaBt601(g).data), [0, 17, 255]);
  for (const f of [rgbToYiq, rgbToYiqMatlab3]) {
    const [y, i, q] = f(g);
    const [y3, i3, q3] = f(rgb);
    assert.deepEqual(Array.from(y.data), [0, 17, 255]);
    for (let k = 0; k < 3; k++) {
      assert.ok(Math.abs(i.data[k] - i3.data[k]) < 1e-12 && Math.abs(q.data[k] - q3.data[k]) < 1e-12);
      assert.ok(Math.abs(y.data[k] - y3.data[k]) < 1e-9);
      assert.ok(Math.abs(i.data[k]) < 1e-9 && Math.abs(q.data[k]) < 1e-9);
    }
  }
});
