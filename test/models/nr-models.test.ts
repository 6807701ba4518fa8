/** Registry entries, weights round trip, ONNX export, pair mining and data helpers of the NR models. */
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import * as ort from 'onnxruntime-node';
import { Graph } from '../../src/engine/graph/graph.js';
import { Rng } from '../../src/engine/rng.js';
import { compile } from '../../src/engine/runtime/index.js';
import { exportNrModelOnnx, buildNrModel, NR_MODEL_METRICS, saveNrModelBytes } from '../../src/models/nr-models.js';
import { cropInto, laplacianTarget, normaliseImage } from '../../src/models/nr-data.js';
import { minePartners, readNrConfig } from '../../src/train/nr-models.js';
import { IqaError } from '../../src/tensor/errors.js';
import { ndarray } from '../../src/tensor/ndarray.js';
import type { Image } from '../../src/tensor/image.js';
import { tempDirs } from '../helpers/temp-dirs.js';

const tmp = tempDirs();

const tiny = {
  'qfm-iqm': { embedDim: 16, depth: 1, numHeads: 2, imgSize: 16, patch: 8, numQueries: 2 },
  mfenet: { vanDims: [4, 4, 8, 8], vanDepths: [1, 1, 1, 1], hfenStem: [4, 4], octMid: 0, danLayers: [1, 1, 1, 1], danWidth: 4, headHidden: 8, numClasses: 2 },
} as const;
const crops = { 'qfm-iqm': 16, mfenet: 32 } as const;

function image(h: number, w: number, seed: number): Image {
  const rng = new Rng(seed);
  return { width: w, height: h, channels: 3, data: Float64Array.from({ length: 3 * h * w }, () => 255 * rng.uniform()) } as Image;
}

test('registry: a missing weights option is an IqaError naming what to supply', async () => {
  for (const e of NR_MODEL_METRICS) {
    await assert.rejects(async () => e.create({}), (err: unknown) => err instanceof IqaError && /option weights/.test(err.message) && /safetensors/.test(err.message) && err.message.includes(e.name));
    await assert.rejects(async () => e.create({ weights: '/nonexistent/w.safetensors' }), (err: unknown) => err instanceof IqaError && /no such file/.test(err.message));
  }
});

for (const kind of ['qfm-iqm', 'mfenet'] as const) {
  test(`${kind}: weights round trip (fp32), metric = mean of crop predictions, ONNX export runs standalone`, async () => {
    const model = buildNrModel(kind, tiny[kind] as never);
    const crop = crops[kind];
    const dir = tmp('nrm-');
    const path = join(dir, 'w.safetensors');
    writeFileSync(path, saveNrModelBytes(kind, model, crop, 'F32'));
    const entry = NR_MODEL_METRICS.find((e) => e.name === kind)!;
    const metric = await entry.create({ weights: path, crops: 3, seed: 5 });
    const img = image(crop + 7, crop + 4, 1);
    const { score } = await metric.compute(img);
    // same crops by hand through a fresh inference graph
    model.eval();
    const g = new Graph();
    const net = await compile({ y: model.forward(g.input('x', [3, 3, crop, crop])) });
    const norm = normaliseImage(img);
    const x = new Float32Array(3 * 3 * crop * crop);
    const pos = (await import('../../src/models/nr-data.js')).cropPositions(img.height, img.width, crop, 3, new Rng(5));
    pos.forEach(([t, l], b) => cropInto(norm, t, l, crop, x, b));
    const y = (await net.run({ x: ndarray('float32', [3, 3, crop, crop], x) })).y.data as Float32Array;
    await net.release();
    assert.ok(Math.abs(score - (y[0] + y[1] + y[2]) / 3) < 1e-5, `${score} vs ${(y[0] + y[1] + y[2]) / 3}`);
    await assert.rejects(async () => metric.compute(image(crop - 1, crop + 4, 2)), /at least/);
    await metric.dispose?.();
    // standalone ONNX in plain onnxruntime
    const bytes = exportNrModelOnnx(model, crop);
    const sess = await ort.InferenceSession.create(bytes);
    const x1 = x.slice(0, 3 * crop * crop);
    const out = await sess.run({ input: new ort.Tensor('float32', x1, [1, 3, crop, crop]) });
    assert.ok(Math.abs((out.output.data as Float32Array)[0] - y[0]) < 1e-5);
  });
}

test('minePartners: quality-matched (|Δy| ≤ τ), semantically farthest partner; none -> self with mask 0', () => {
  const ys = [0.5, 0.52, 0.54, 0.9];
  const sem = [[1, 0], [0.9, 0.1], [-1, 0.2], [1, 0]].map((v) => Float32Array.from(v));
  const { partner, mask } = minePartners(ys, sem, 0.05);
  assert.deepEqual(partner, [2, 2, 0, 3]);
  assert.deepEqual(mask, [1, 1, 1, 0]);
});

test('laplacianTarget: zero on a flat crop, |4p − neighbours|/4 on grey [0, 1] at an impulse', () => {
  const s = 4;
  const img = image(s, s, 3);
  img.data.fill(128);
  const x = new Float32Array(3 * s * s);
  const n = normaliseImage(img);
  cropInto(n, 0, 0, s, x, 0);
  const out = new Float32Array(s * s);
  laplacianTarget(x, 0, s, out);
  assert.ok(out.every((v) => Math.abs(v) < 1e-6));
  for (let c = 0; c < 3; c++) img.data[c * s * s + 5] = 255;
  cropInto(normaliseImage(img), 0, 0, s, x, 0);
  laplacianTarget(x, 0, s, out);
  assert.ok(Math.abs(out[5] - (4 * (255 - 128)) / 255 / 4) < 1e-5);
  assert.ok(Math.abs(out[4] - (255 - 128) / 255 / 4) < 1e-5);
});

test('readNrConfig: bad kind and missing file are clear errors', async () => {
  const dir = tmp('nrm-');
  const p = join(dir, 'c.json');
  writeFileSync(p, JSON.stringify({ kind: 'nope', data: {}, train: {}, out: 'x' }));
  await assert.rejects(readNrConfig(p), /kind: expected 'qfm-iqm' or 'mfenet', got nope/);
  await assert.rejects(readNrConfig(join(dir, 'none.json')), /expected a readable JSON file/);
  const ok = await readNrConfig(new URL('../../configs/qfm-iqm-cpu.json', import.meta.url).pathname);
  assert.equal(ok.kind, 'qfm-iqm');
});

test('mfenet: the frozen DAN stays in eval mode (running statistics) whatever train() is called with', () => {
  const m = buildNrModel('mfenet', tiny.mfenet as never);
  const dan = (m as import('../../src/models/mfenet/mfenet.js').Mfenet).dan!;
  assert.equal(m.training, true);
  assert.ok(dan.modules().every((x) => !x.training));
  m.train(true);
  assert.ok(dan.modules().every((x) => !x.training));
  assert.ok(dan.trainableParameters().length === 0);
});
