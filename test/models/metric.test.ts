/**
 * The yoto/cvrkd metrics and the training graph: the joint-training forward equals the FR and NR inference forwards
 * (eval mode), five-crop metric scores equal the mean of per-crop forwards, clear errors for missing weights, a
 * missing reference or reference pool, and checkpoint save/resume continuing bit for bit.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Graph } from '../../src/engine/graph/graph.js';
import { compile } from '../../src/engine/runtime/compile.js';
import { mul, sub, sum } from '../../src/engine/ops/index.js';
import { sgd, adam } from '../../src/engine/optim/optimizer.js';
import { TrainStep } from '../../src/engine/optim/train-step.js';
import { Rng } from '../../src/engine/rng.js';
import { ndarray } from '../../src/tensor/ndarray.js';
import { makeImage } from '../../src/tensor/image.js';
import { Yoto, type YotoConfig } from '../../src/models/yoto/yoto.js';
import { createYoto } from '../../src/models/yoto/metric.js';
import { createCvrkd } from '../../src/models/cvrkd/metric.js';
import { fivePointCrops, normalise, stackCrops } from '../../src/models/preprocess.js';
import { Linear } from '../../src/nn/layers.js';
import { loadCheckpoint, saveCheckpoint } from '../../src/train/model-checkpoint.js';
import { MODEL_METRICS } from '../../src/models/index.js';

const cfg: YotoConfig = { encoder: 'resnet18', dim: 16, crop: 64, seed: 3 };
const rnd = (n: number, seed: number) => {
  const r = new Rng(seed);
  return Float32Array.from({ length: n }, () => r.normal());
};

test('yoto: the joint-training forward equals the FR and NR inference forwards (eval mode)', async () => {
  const net = new Yoto(cfg).eval();
  const g = new Graph();
  const s = [2, 3, 64, 64];
  const x = g.input('x', s);
  const y = g.input('y', s);
  const fr = g.input('fr', []);
  const c = await compile({ train: net.forwardTrain(x, y, fr), FR: net.forwardMode(x, y, 'FR'), NR: net.forwardMode(x, null, 'NR') });
  const xv = ndarray('float32', s, rnd(2 * 3 * 64 * 64, 1));
  const yv = ndarray('float32', s, rnd(2 * 3 * 64 * 64, 2));
  const a = await c.run({ x: xv, y: yv, fr: ndarray('float32', [], [1]) });
  const b = await c.run({ x: xv, y: xv, fr: ndarray('float32', [], [0]) });
  for (let i = 0; i < 2; i++) {
    assert.ok(Math.abs(Number(a.train.data[i]) - Number(a.FR.data[i])) < 1e-6);
    assert.ok(Math.abs(Number(b.train.data[i]) - Number(b.NR.data[i])) < 1e-6);
  }
  await c.release();
});

test('yoto metric: five-point-crop score = mean of the per-crop forwards; FR needs a reference', async () => {
  const net = new Yoto(cfg).eval();
  const px = (seed: number) => Float64Array.from(rnd(3 * 70 * 80, seed), (v) => Math.min(255, Math.max(0, 128 + 40 * v)));
  const dist = makeImage(80, 70, 3, px(5));
  const ref = makeImage(80, 70, 3, px(6));
  const m = await createYoto({ mode: 'FR', weights: { tensors: net.stateDict(), config: cfg } });
  const got = (await m.compute(dist, ref)).score;
  const g = new Graph();
  const x = g.input('x', [5, 3, 64, 64]);
  const y = g.input('y', [5, 3, 64, 64]);
  const c = await compile({ s: net.forwardMode(x, y, 'FR') });
  const ps = fivePointCrops(70, 80, 64);
  const r = await c.run({ x: ndarray('float32', [5, 3, 64, 64], stackCrops(normalise(dist, 'half'), 70, 80, ps, 64)), y: ndarray('float32', [5, 3, 64, 64], stackCrops(normalise(ref, 'half'), 70, 80, ps, 64)) });
  const want = [...(r.s.data as Float32Array)].reduce((p, q) => p + q, 0) / 5;
  assert.ok(Math.abs(got - want) < 1e-6, `${got} vs ${want}`);
  await assert.rejects(m.compute(dist), /reference: expected an image in FR mode/);
  await assert.rejects(m.compute(makeImage(40, 40, 3, new Float64Array(4800)), makeImage(40, 40, 3, new Float64Array(4800))), /image size: expected at least 64x64/);
  await m.dispose?.();
  await c.release();
});

test('yoto/cvrkd metrics: missing weights and reference pool are clear errors; registry entries', async () => {
  await assert.rejects(createYoto({ mode: 'NR', weights: '/nonexistent/yoto.safetensors' }), /yoto: weights: expected a safetensors file at '\/nonexistent\/yoto.safetensors'/);
  await assert.rejects(createYoto({ mode: 'NR' }), /yoto: weights: expected a safetensors file path/);
  await assert.rejects(createCvrkd({ role: 'student', weights: '/x.safetensors' }), /cvrkd: referencePool: expected a folder/);
  await assert.rejects(createCvrkd({ role: 'teacher', weights: '/nonexistent/t.safetensors' }), /cvrkd: weights: expected a safetensors file/);
  await assert.rejects(createYoto({ mode: 'XR' as never, weights: '/a' }), /mode: expected 'FR' or 'NR'/);
  assert.deepEqual(MODEL_METRICS.filter((e) => ['yoto', 'cvrkd'].includes(e.name)).map((e) => [e.name, e.mode, e.needsWeights]), [['yoto', 'NR', true], ['cvrkd', 'NAR', true]]);
  assert.deepEqual(new Yoto({ encoder: 'swin-t', dim: 16, crop: 224 }).channels, [96, 192, 384, 768]);
});

test('checkpoint: save after 2 steps, resume, 2 more steps = 4 uninterrupted steps', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'ckpt-'));
  try {
    const run = async (resumeFrom: string | null, n: number, save: string | null) => {
      const lin = new Linear(3, 2, { rng: new Rng(4) });
      const st = await TrainStep.create({
        build: (g) => {
          const d = sub(lin.forward(g.input('x', [4, 3])), g.input('t', [4, 2]));
          return mul(sum(mul(d, d)), 0.25);
        },
        params: lin.parameters(),
        optimizer: adam({ weightDecay: 1e-5 }),
        lr: 0.01,
      });
      if (resumeFrom) st.load((await loadCheckpoint(resumeFrom))!.state);
      for (let i = 0; i < n; i++) await st.run({ x: ndarray('float32', [4, 3], rnd(12, 10 + st.step)), t: ndarray('float32', [4, 2], rnd(8, 20 + st.step)) });
      if (save) await saveCheckpoint(save, st.state(), { epoch: 0, dataRng: [1, 2, 3, 4] });
      await st.release();
      return [...(lin.weight.value.data as Float32Array)];
    };
    const p = join(dir, 'c.safetensors');
    const full = await run(null, 4, null);
    await run(null, 2, p);
    assert.equal((await loadCheckpoint(p))!.meta.epoch, 0);
    assert.deepEqual(await run(p, 2, null), full);
    assert.equal(await loadCheckpoint(join(dir, 'none.safetensors')), null);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  void sgd;
});

test('yoto metric: weights from a safetensors file (config in its metadata) score like the in-memory weights', async () => {
  const { writeWeights } = await import('../../src/io/weights.js');
  const dir = mkdtempSync(join(tmpdir(), 'yoto-w-'));
  try {
    const net = new Yoto(cfg).eval();
    const p = join(dir, 'w.safetensors');
    await writeWeights(p, net.stateDict(), 'F32', { config: JSON.stringify(cfg) });
    const img = makeImage(64, 64, 3, Float64Array.from(rnd(3 * 64 * 64, 9), (v) => Math.min(255, Math.max(0, 128 + 50 * v))));
    const a = await createYoto({ mode: 'NR', weights: p });
    const b = await createYoto({ mode: 'NR', weights: { tensors: net.stateDict(), config: cfg } });
    assert.equal((await a.compute(img)).score, (await b.compute(img)).score);
    await a.dispose?.();
    await b.dispose?.();
    await writeWeights(p, net.stateDict(), 'F32', {});
    await assert.rejects(createYoto({ mode: 'NR', weights: p }), /weights metadata: expected a 'config' entry/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
