import { test } from 'node:test';
import { checkOp } from './gradcheck.js';
import * as E from '../../src/engine/ops/index.js';

test('mul/add smoke', async () => {
  await checkOp([{ shape: [2, 3] }, { shape: [3] }], (a, b) => E.add(E.mul(a, b), E.mul(a, a)));
});
