/** Module system: state-dict names, train/eval graphs, frozen parameters, buffers, embedding, dropout. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Graph } from '../../src/engine/graph/graph.js';
import { topoSort } from '../../src/engine/graph/graph.js';
import { compile } from '../../src/engine/runtime/compile.js';
import { toOnnx } from '../../src/engine/onnx/emit.js';
import { TrainStep, sgd } from '../../src/engine/optim/index.js';
import { ndarray } from '../../src/tensor/ndarray.js';
import { BatchNorm2d, Dropout, DropPath, Embedding, Linear, Sequential } from '../../src/nn/index.js';
import { resnet18 } from '../../src/models/backbones/resnet.js';
import { Rng } from '../../src/engine/rng.js';
import { mseLoss } from '../../src/train/losses.js';
import { mean } from '../../src/nn/functional.js';

test('ResNet-18 state dict uses torchvision names (62 parameters + 40 BN running stats)', () => {
  const keys = Object.keys(resnet18().stateDict());
  for (const k of ['conv1.weight', 'bn1.running_mean', 'layer1.0.conv1.weight', 'layer2.0.downsample.0.weight', 'layer2.0.downsample.1.running_var', 'layer4.1.bn2.bias', 'fc.weight', 'fc.bias']) assert.ok(keys.includes(k), k);
  assert.equal(keys.length, 102);
  assert.equal(resnet18().parameters().length, 62);
});

test('loadStateDict checks keys and sizes', () => {
  const m = new Linear(3, 2);
  assert.throws(() => m.loadStateDict({ weight: ndarray('float32', [2, 3]) }), /loadStateDict: key 'bias': expected present, got missing/);
  assert.throws(() => m.loadStateDict({ weight: ndarray('float32', [3, 3]), bias: ndarray('float32', [2]) }), /'weight' size: expected 6 values \[2, 3\], got 9 \[3, 3\]/);
  m.loadStateDict({ weight: ndarray('float32', [2, 3], [1, 2, 3, 4, 5, 6]), bias: ndarray('float32', [2], [0, 1]) });
  assert.deepEqual(Array.from(m.weight.value.data as Float32Array), [1, 2, 3, 4, 5, 6]);
});

test('BatchNorm2d: eval is one BatchNormalization node; train updates running stats with the unbiased variance', async () => {
  const bn = new BatchNorm2d(2);
  bn.namedTensors();
  bn.eval();
  const g = new Graph();
  const y = bn.forward(g.input('x', [2, 2, 1, 2]));
  assert.deepEqual(topoSort([y]).map((n) => n.op.name), ['BatchNorm']);
  bn.train();
  const step = await TrainStep.create({ build: (tg) => mean(bn.forward(tg.input('x', [2, 2, 1, 2]))), params: bn.parameters(), optimizer: sgd(), lr: 0 });
  // channel 0 values 1, 2, 3, 4 (mean 2.5, unbiased var 5/3); channel 1 all 0
  await step.run({ x: ndarray('float32', [2, 2, 1, 2], [1, 2, 0, 0, 3, 4, 0, 0]) });
  const rm = Array.from(bn.runningMean.value.data as Float32Array);
  const rv = Array.from(bn.runningVar.value.data as Float32Array);
  assert.ok(Math.abs(rm[0] - 0.25) < 1e-6 && rm[1] === 0);
  assert.ok(Math.abs(rv[0] - (0.9 + 0.1 * (5 / 3))) < 1e-6 && Math.abs(rv[1] - 0.9) < 1e-6);
  await step.release();
});

test('frozen parameters are initializers of the training graph and are not updated', async () => {
  const net = new Sequential(new Linear(3, 4, { rng: new Rng(1) }), new Linear(4, 1, { rng: new Rng(2) }));
  net.namedTensors();
  (net.layers[0] as Linear).freeze();
  const before = Array.from((net.layers[0] as Linear).weight.value.data as Float32Array);
  const step = await TrainStep.create({ build: (g) => mseLoss(net.forward(g.input('x', [2, 3])), g.input('t', [2, 1])), params: net.trainableParameters(), optimizer: sgd(), lr: 0.1 });
  await step.run({ x: ndarray('float32', [2, 3], [1, 2, 3, 4, 5, 6]), t: ndarray('float32', [2, 1], [1, 0]) });
  assert.deepEqual(Array.from((net.layers[0] as Linear).weight.value.data as Float32Array), before);
  assert.deepEqual(net.trainableParameters().map((p) => p.name), ['1.weight', '1.bias']);
  await step.release();
  const g = new Graph('input');
  net.forward(g.input('x', [2, 3]));
  const m = toOnnx({ y: net.forward(g.input('x2', [2, 3])) });
  assert.deepEqual(m.inputs.map((i) => i.name), ['x2', '1.weight', '1.bias']);
});

test('Embedding picks rows for int64 indices of any shape', async () => {
  const e = new Embedding(5, 3, { rng: new Rng(3) });
  e.namedTensors();
  const g = new Graph();
  const net = await compile({ y: e.forward(g.input('i', [2, 2], 'int64')) });
  const r = await net.run({ i: ndarray('int64', [2, 2], [4, 0, 0, 2]) });
  const w = e.weight.value.data as Float32Array;
  assert.deepEqual(r.y.shape, [2, 2, 3]);
  assert.deepEqual(Array.from((r.y.data as Float32Array).slice(0, 3)), Array.from(w.slice(12, 15)));
  assert.deepEqual(Array.from((r.y.data as Float32Array).slice(9, 12)), Array.from(w.slice(6, 9)));
});

test('Dropout / DropPath: identity in eval; seeded masks in train (same seed, same masks); inverted scaling', async () => {
  const run = async (seed: number) => {
    const d = new Sequential(new Dropout(0.5), new DropPath(0.5));
    const g = new Graph();
    const net = await compile({ y: d.forward(g.input('x', [4, 64])) }, { seed });
    const r = await net.run({ x: ndarray('float32', [4, 64], new Float32Array(256).fill(1)) });
    return Array.from(r.y.data as Float32Array);
  };
  const a = await run(1);
  assert.deepEqual(await run(1), a);
  assert.notDeepEqual(await run(2), a);
  assert.ok(a.every((v) => v === 0 || v === 4));
  const kept = a.filter((v) => v > 0).length / a.length;
  assert.ok(kept > 0.1 && kept < 0.45, `kept ${kept}`);
  const d = new Dropout(0.5).eval();
  const g = new Graph();
  const x = g.input('x', [2]);
  assert.equal(d.forward(x), x);
});

test('Predictor compiles one session per input shape and caches it', async () => {
  const { Predictor } = await import('../../src/engine/predictor.js');
  const m = new Linear(3, 2, { rng: new Rng(4) });
  const p = new Predictor(m);
  const a = await p.predict(ndarray('float32', [1, 3], [1, 2, 3]));
  await p.predict(ndarray('float32', [1, 3], [0, 0, 0]));
  const b = await p.predict(ndarray('float32', [2, 3], [1, 2, 3, 1, 2, 3]));
  assert.equal(p.compiled, 2);
  assert.deepEqual(Array.from(b.data as Float32Array).slice(0, 2), Array.from(a.data as Float32Array));
  const w = m.weight.value.data as Float32Array;
  const bias = m.bias!.value.data as Float32Array;
  assert.ok(Math.abs((a.data as Float32Array)[0] - (w[0] + 2 * w[1] + 3 * w[2] + bias[0])) < 1e-6);
  await p.reset();
});
