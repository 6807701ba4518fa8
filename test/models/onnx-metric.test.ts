/** A user's ONNX file as a metric: input contract (NCHW RGB [0,1] or ImageNet-normalised), NR and FR, errors. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Graph } from '../../src/engine/graph/graph.js';
import { abs, sub, mul } from '../../src/engine/ops/index.js';
import { toOnnx } from '../../src/engine/onnx/index.js';
import { mean } from '../../src/nn/functional.js';
import { ONNX_METRIC } from '../../src/models/onnx-metric.js';
import { makeImage } from '../../src/tensor/image.js';

const W = 5;
const H = 4;
const img = (f: (i: number) => number) => makeImage(W, H, 3, Float64Array.from({ length: 3 * W * H }, (_, i) => f(i)));
const a = img((i) => (i * 7) % 256);
const b = img((i) => (i * 13) % 256);

test('onnx metric: NR and FR models run under the documented input contract', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'onnx-metric-'));
  try {
    // NR: score = mean(2x) over [1, 3, H, W]; FR: score = mean|x - y|
    const g1 = new Graph();
    const x = g1.input('image', [1, 3, H, W]);
    writeFileSync(join(dir, 'nr.onnx'), toOnnx({ s: mul(mean(x), 2) }).bytes);
    const g2 = new Graph();
    const d = g2.input('dist', [1, 3, H, W]);
    const r = g2.input('ref', [1, 3, H, W]);
    writeFileSync(join(dir, 'fr.onnx'), toOnnx({ s: mean(abs(sub(d, r))) }).bytes);

    const nr = await ONNX_METRIC.create({ path: join(dir, 'nr.onnx'), mode: 'NR' });
    const want = (2 * a.data.reduce((p, v) => p + v / 255, 0)) / a.data.length;
    assert.ok(Math.abs((await nr.compute(a)).score - want) < 1e-5);
    const nrIn = await ONNX_METRIC.create({ path: join(dir, 'nr.onnx'), mode: 'NR', input: 'imagenet' });
    const m = [0.485, 0.456, 0.406];
    const s = [0.229, 0.224, 0.225];
    const wantIn = (2 * a.data.reduce((p, v, i) => p + (v / 255 - m[Math.floor(i / (W * H))]) / s[Math.floor(i / (W * H))], 0)) / a.data.length;
    assert.ok(Math.abs((await nrIn.compute(a)).score - wantIn) < 1e-4);
    await assert.rejects(nr.compute(makeImage(3, 3, 3, new Float64Array(27))), /image size \(H x W\): expected 4x5 \(fixed by the model\), got 3x3/);

    const fr = await ONNX_METRIC.create({ path: join(dir, 'fr.onnx'), mode: 'FR' });
    const wantFr = a.data.reduce((p, v, i) => p + Math.abs(v - b.data[i]) / 255, 0) / a.data.length;
    assert.ok(Math.abs((await fr.compute(a, b)).score - wantFr) < 1e-5);
    await assert.rejects(fr.compute(a), /reference image is required/);
    await assert.rejects(async () => ONNX_METRIC.create({ path: join(dir, 'fr.onnx'), mode: 'NR' }), /model inputs: expected 1 for mode NR, got 2 \(dist, ref\)/);
    for (const mtr of [nr, nrIn, fr]) await mtr.dispose?.();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('onnx metric: missing or invalid files and options are clear errors', async () => {
  await assert.rejects(async () => ONNX_METRIC.create({ mode: 'NR' }), /option path: expected the path of an \.onnx file, got none/);
  await assert.rejects(async () => ONNX_METRIC.create({ path: 'x.onnx', mode: 'XX' }), /option mode: expected 'NR' or 'FR', got XX/);
  await assert.rejects(async () => ONNX_METRIC.create({ path: '/nope/model.onnx', mode: 'NR' }), /ONNX model: expected a file at '\/nope\/model\.onnx', got no such file/);
  const dir = mkdtempSync(join(tmpdir(), 'onnx-metric-'));
  try {
    writeFileSync(join(dir, 'bad.onnx'), 'not a model');
    await assert.rejects(async () => ONNX_METRIC.create({ path: join(dir, 'bad.onnx'), mode: 'NR' }), /expected a valid ONNX model/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
