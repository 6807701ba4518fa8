/**
 * Training smoke test: a tiny conv net learns to predict the blur level of generated textures (5 Gaussian levels)
 * on CPU in a few seconds. Asserts the loss falls and the held-out pairwise ranking accuracy is high.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Graph } from '../../src/engine/graph/graph.js';
import { relu, reshape } from '../../src/engine/ops/index.js';
import { compile } from '../../src/engine/runtime/compile.js';
import { TrainStep, adam, cosineLr } from '../../src/engine/optim/index.js';
import { Conv2d, Linear, Module, globalAvgPool } from '../../src/nn/index.js';
import type { Tensor } from '../../src/engine/graph/graph.js';
import { Rng } from '../../src/engine/rng.js';
import { ndarray } from '../../src/tensor/ndarray.js';
import { mseLoss } from '../../src/train/losses.js';
import { blurSet, SIZE } from '../helpers/blur-data.js';

class BlurNet extends Module {
  c1 = this.child('c1', new Conv2d(1, 16, 3, { padding: 1, rng: new Rng(1) }));
  c2 = this.child('c2', new Conv2d(16, 16, 3, { stride: 2, padding: 1, rng: new Rng(2) }));
  fc = this.child('fc', new Linear(16, 1, { rng: new Rng(3) }));
  forward(x: Tensor): Tensor {
    const h = relu(this.c2.forward(relu(this.c1.forward(x))));
    return this.fc.forward(reshape(globalAvgPool(h), [x.shape[0], 16]));
  }
}

test('a tiny conv net learns to rank blur levels (loss falls, held-out ranking accuracy > 0.9)', async () => {
  const B = 16;
  const train = blurSet(320, 1);
  const held = blurSet(100, 2);
  const net = new BlurNet();
  net.namedTensors();
  const steps = 300;
  const step = await TrainStep.create({
    build: (g) => mseLoss(net.forward(g.input('x', [B, 1, SIZE, SIZE])), g.input('t', [B, 1])),
    params: net.parameters(),
    optimizer: adam(),
    lr: cosineLr(0.005, steps),
  });
  const losses: number[] = [];
  for (let s = 0; s < steps; s++) {
    const at = (s * B) % 320;
    const x = ndarray('float32', [B, 1, SIZE, SIZE], train.x.subarray(at * SIZE * SIZE, (at + B) * SIZE * SIZE));
    const t = ndarray('float32', [B, 1], train.level.slice(at, at + B));
    losses.push((await step.run({ x, t })).loss);
  }
  await step.release();
  const mean = (a: number[]) => a.reduce((p, q) => p + q) / a.length;
  const first = mean(losses.slice(0, 20));
  const last = mean(losses.slice(-20));
  assert.ok(last < 0.4 * first, `loss fell from ${first.toFixed(3)} to ${last.toFixed(3)}`);

  net.eval();
  const g = new Graph();
  const inf = await compile({ y: net.forward(g.input('x', [100, 1, SIZE, SIZE])) });
  const y = (await inf.run({ x: ndarray('float32', [100, 1, SIZE, SIZE], held.x) })).y.data as Float32Array;
  await inf.release();
  let ok = 0;
  let pairs = 0;
  for (let i = 0; i < 100; i++)
    for (let j = 0; j < 100; j++)
      if (held.level[i] < held.level[j]) {
        pairs++;
        if (y[i] < y[j]) ok++;
      }
  const acc = ok / pairs;
  console.log(`blur ranking: loss ${first.toFixed(3)} -> ${last.toFixed(3)}, held-out pairwise accuracy ${acc.toFixed(3)}`);
  assert.ok(acc > 0.9, `held-out ranking accuracy ${acc}`);
});
