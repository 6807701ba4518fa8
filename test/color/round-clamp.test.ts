import { test } from 'node:test';
import assert from 'node:assert/strict';
import { roundClampU8, roundHalfAway } from '../../src/color/index.js';

const reference = (x: number) => Math.min(255, Math.max(0, roundHalfAway(x)));

test('roundClampU8 equals min(255, max(0, roundHalfAway(x))) on edge cases and a dense sweep', () => {
  const edge = [
    -Infinity, -1e300, -255.5, -0.5, -0.49999999999999994, -Number.MIN_VALUE, -0, 0, Number.MIN_VALUE, 0.25,
    0.49999999999999994, 0.5, 0.5000000000000001, 1.4999999999999998, 1.5, 2.5, 127.5, 253.49999999999997, 254.5,
    254.50000000000003, 254.99999999999997, 255, 255.49999999999997, 255.5, 256, 1e300, Infinity, NaN,
  ];
  for (const x of edge) assert.ok(Object.is(roundClampU8(x), reference(x)) || (x === -0 && roundClampU8(x) === 0), `x = ${x}: ${roundClampU8(x)} vs ${reference(x)}`);
  // every k + 0.5 boundary and its neighbouring doubles
  for (let k = -2; k <= 257; k++) for (const x of [k - 0.5, k + 0.5, k + 0.49999999999999994, k + 0.4999999999999999, k - 0.49999999999999994]) {
    assert.equal(roundClampU8(x), reference(x) === 0 ? 0 : reference(x), `x = ${x}`);
  }
  for (let i = 0; i < 200000; i++) { const x = -10 + (i * 266) / 200000; assert.equal(roundClampU8(x), reference(x) + 0, `x = ${x}`); }
});
