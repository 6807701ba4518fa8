import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Mlp, TransformerBlock } from '../../src/nn/index.js';

test('dropout and drop-path inside blocks follow train()/eval() (they are children of the block)', () => {
  const m = new Mlp(4, 8, 4, { drop: 0.5 });
  m.eval();
  assert.equal(m.drop.training, false);
  m.train();
  assert.equal(m.drop.training, true);
  // no parameters were added by registering them
  assert.deepEqual(Object.keys(m.stateDict()).sort(), ['fc1.bias', 'fc1.weight', 'fc2.bias', 'fc2.weight']);
  void TransformerBlock;
});
