import { test } from 'node:test';
import assert from 'node:assert/strict';
import { deriveSeed, makeRng } from '../../../src/data/synth/rng.js';

test('deriveSeed is stable and separates its parts', () => {
  assert.equal(deriveSeed(1, 'a', 3), deriveSeed(1, 'a', 3));
  assert.notEqual(deriveSeed(1, 'a', 3), deriveSeed(2, 'a', 3));
  assert.notEqual(deriveSeed(1, 'a', 3), deriveSeed(1, 'a', 4));
  assert.notEqual(deriveSeed(1, 'ab', 1), deriveSeed(1, 'a', 'b1'));
  assert.ok(Number.isInteger(deriveSeed(0, 'x')));
});

test('makeRng: same seed, same stream; uniform and normal moments', () => {
  const a = makeRng(42);
  const b = makeRng(42);
  for (let i = 0; i < 10; i++) assert.equal(a.normal(), b.normal());
  const r = makeRng(7);
  const N = 100000;
  let su = 0;
  let sn = 0;
  let sn2 = 0;
  for (let i = 0; i < N; i++) {
    const u = r.uniform();
    assert.ok(u >= 0 && u < 1);
    su += u;
    const z = r.normal();
    sn += z;
    sn2 += z * z;
  }
  assert.ok(Math.abs(su / N - 0.5) < 0.01);
  assert.ok(Math.abs(sn / N) < 0.02);
  assert.ok(Math.abs(sn2 / N - 1) < 0.02);
  const k = makeRng(1);
  for (let i = 0; i < 100; i++) {
    const v = k.int(2, 4);
    assert.ok(v >= 2 && v <= 4 && Number.isInteger(v));
  }
  assert.throws(() => makeRng(0.5), /makeRng: seed: expected an integer, got 0.5/);
});
