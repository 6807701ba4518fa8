/** TrainStep `stop`: tensors returned in `stop` are constants of the backward (detach), other paths still train. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Parameter } from '../../src/engine/graph/graph.js';
import { mul, sum } from '../../src/engine/ops/index.js';
import { sgd } from '../../src/engine/optim/optimizer.js';
import { TrainStep } from '../../src/engine/optim/train-step.js';
import { ndarray } from '../../src/tensor/ndarray.js';

test('TrainStep: stop-gradient on a copy of y leaves the other use of y differentiated', async () => {
  for (const detach of [true, false]) {
    const w = new Parameter('w', ndarray('float32', [1], [1]));
    const step = await TrainStep.create({
      build: (g) => {
        const y = mul(g.param(w), 2);
        const c = mul(y, 1); // the detached copy (PyTorch: y.detach())
        return { loss: sum(mul(y, c)), stop: detach ? [c] : [] };
      },
      params: [w],
      optimizer: sgd(),
      lr: 0.1,
    });
    await step.run({});
    await step.release();
    // loss = 4 w^2: d/dw = 8w without stop, 2·c = 4w with c detached; w = 1 - 0.1·grad
    assert.ok(Math.abs(Number(w.value.data[0]) - (detach ? 0.6 : 0.2)) < 1e-6, `detach ${detach}: ${w.value.data[0]}`);
  }
});
