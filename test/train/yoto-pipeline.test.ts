/**
 * The YOTO trainer on the batch pipeline: a run whose first epoch had its batches prepared on a worker thread
 * (data.workers 1) and whose second epoch was resumed from the checkpoint in-process (data.workers 0) ends with
 * the weights, bit for bit, of an uninterrupted in-process run. A tiny ResNet-18 YOTO on generated images, two steps per epoch.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Rng } from '../../src/engine/rng.js';
import { writePng } from '../../src/io/encode-image.js';
import { makeImage } from '../../src/tensor/image.js';
import { trainYoto, type YotoTrainConfig } from '../../src/train/yoto.js';

let dir = '';

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'iqa-yoto-pipe-'));
  const rows = ['ref,dist,score,content'];
  for (let r = 0; r < 4; r++) {
    const rng = new Rng(r);
    const w = 40;
    const h = 36;
    const ref = makeImage(w, h, 3, Float64Array.from({ length: 3 * w * h }, (_, i) => 128 + 60 * Math.sin(i / (7 + r)) + 10 * rng.normal()));
    await writePng(join(dir, `ref${r}.png`), ref);
    for (let k = 0; k < 2; k++) {
      const d = makeImage(w, h, 3, ref.data.map((v) => v + (k + 1) * 20 * rng.normal()));
      await writePng(join(dir, `d${r}_${k}.png`), d);
      rows.push(`ref${r}.png,d${r}_${k}.png,${5 - 2 * k - r / 4},c${r}`);
    }
  }
  writeFileSync(join(dir, 'labels.csv'), rows.join('\n') + '\n');
});
after(() => rmSync(dir, { recursive: true, force: true }));

const config = (out: string, workers: number, epochs: number): YotoTrainConfig => ({
  kind: 'yoto',
  model: { encoder: 'resnet18', encoderWidth: 4, dim: 8, crop: 32, seed: 3 },
  data: { csv: join(dir, 'labels.csv'), testFraction: 0.25, seed: 0, workers },
  train: { mode: 'joint', epochs, batch: 2, maxStepsPerEpoch: 2, lr: 1e-3, seed: 5 },
  eval: { crops: 1 },
  out: join(dir, out),
});

test('yoto trainer: batches prepared in-process or on a worker, interrupted and resumed: the same weights', { timeout: 120_000 }, async () => {
  const a = await trainYoto(config('w0', 0, 2));
  // epoch 0 on a worker thread, then a new run resumes from its checkpoint and trains epoch 1 in-process
  await trainYoto(config('resumed', 1, 1));
  const c = await trainYoto(config('resumed', 0, 2));
  const wa = a.net.stateDict();
  const wc = c.net.stateDict();
  assert.deepEqual(Object.keys(wc), Object.keys(wa));
  for (const k of Object.keys(wa)) assert.deepEqual(wc[k].data, wa[k].data, k);
  assert.deepEqual(c.history.map((h) => h.loss), a.history.map((h) => h.loss));
  assert.ok(a.history.every((h) => Number.isFinite(h.loss)) && a.history[0].loss !== a.history[1].loss);
});
