/**
 * The batch pipeline (src/train/pipeline): batches identical for any worker count and prefetch depth and equal to
 * the in-memory sampler (../data.ts cropBatch) fed the per-slot generator; resume from a step equals the
 * uninterrupted run; a corrupt file fails with its name (or is skipped and reported); close() leaves no worker and
 * the process exits; batches are prepared while the consumer holds the previous one; the cache decodes once.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Rng } from '../../src/engine/rng.js';
import { writePng } from '../../src/io/encode-image.js';
import { makeImage } from '../../src/tensor/image.js';
import { IqaError } from '../../src/tensor/errors.js';
import { randomCrops, stackCrops } from '../../src/models/preprocess.js';
import { cropBatch, decodeSamples, type SampleRef } from '../../src/train/data.js';
import { BatchLoader, deriveSeed, type Batch, type BatchRecipe, type LoaderOptions, type LoaderSample } from '../../src/train/pipeline/index.js';

let dir = '';
let samples: LoaderSample[] = [];
const recipe: BatchRecipe = { batch: 3, crop: 16, ref: true, norm: 'half' };
const SEED = 7;

/** A seeded textured image (smooth gradient + noise), grey or RGB, of the given size. */
function synthImage(w: number, h: number, seed: number, channels: 1 | 3) {
  const rng = new Rng(seed);
  const d = new Float64Array(channels * w * h);
  for (let c = 0; c < channels; c++) for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) d[(c * h + y) * w + x] = Math.round(Math.min(255, Math.max(0, 40 + 3 * x + 2 * y + 30 * c + 40 * rng.normal())));
  return makeImage(w, h, channels, d);
}

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'iqa-pipeline-'));
  const sizes = [
    [24, 20],
    [20, 28],
    [32, 18],
  ];
  for (let r = 0; r < 3; r++) {
    const [w, h] = sizes[r];
    const ref = join(dir, `ref${r}.png`);
    await writePng(ref, synthImage(w, h, 100 + r, r === 1 ? 1 : 3));
    for (let k = 0; k < 3; k++) {
      const dist = join(dir, `dist${r}_${k}.png`);
      await writePng(dist, synthImage(w, h, 200 + 10 * r + k, r === 1 ? 1 : 3));
      samples.push({ dist, ref, target: r / 3 + k / 10 });
    }
  }
});
after(() => rmSync(dir, { recursive: true, force: true }));

async function collect(opts: LoaderOptions, epochs = 2, s = samples, r = recipe): Promise<Batch[]> {
  const loader = new BatchLoader(s, r, { seed: SEED, ...opts });
  const out: Batch[] = [];
  try {
    for (let e = 0; e < epochs; e++) for await (const b of loader.epoch(e)) out.push(b);
  } finally {
    await loader.close();
  }
  return out;
}

function sameBatches(got: readonly Batch[], want: readonly Batch[], what: string): void {
  assert.equal(got.length, want.length, `${what}: batch count`);
  got.forEach((b, i) => {
    const w = want[i];
    assert.deepEqual([b.epoch, b.index, b.step, b.size], [w.epoch, w.index, w.step, w.size], `${what}: batch ${i} position`);
    assert.deepEqual(b.samples, w.samples, `${what}: batch ${i} samples`);
    assert.deepEqual(b.targets, w.targets, `${what}: batch ${i} targets`);
    assert.deepEqual(b.x, w.x, `${what}: batch ${i} x`);
    assert.deepEqual(b.y, w.y, `${what}: batch ${i} y`);
  });
}

test('pipeline: identical batches for workers 0/1/2 and prefetch 0/1/3, equal to the in-memory cropBatch', async () => {
  const want = await collect({ workers: 0, prefetch: 1 });
  assert.equal(want.length, 6); // 9 samples, batch 3, two epochs
  assert.notDeepEqual(want[0].samples, want[3].samples, 'epochs are shuffled differently');
  for (const [workers, prefetch] of [
    [0, 3],
    [0, 0],
    [1, 1],
    [2, 3],
  ])
    sameBatches(await collect({ workers, prefetch }), want, `workers ${workers}, prefetch ${prefetch}`);
  // each slot is ../data.ts cropBatch (aligned crop, joint flip) of the decoded sample with Rng(seed, epoch, batch, slot)
  const mem = await decodeSamples(samples.map((s) => ({ ...s, ref: s.ref!, score: s.target, content: '', type: '' }) satisfies SampleRef), 'half');
  const per = 3 * 16 * 16;
  let flips = 0;
  for (const b of want)
    b.samples.forEach((i, slot) => {
      const c = cropBatch([mem[i]], 16, new Rng(deriveSeed(SEED, b.epoch, b.index, slot)));
      assert.deepEqual(b.x.subarray(slot * per, (slot + 1) * per), c.x, `epoch ${b.epoch} batch ${b.index} slot ${slot} x`);
      assert.deepEqual(b.y!.subarray(slot * per, (slot + 1) * per), c.y, `epoch ${b.epoch} batch ${b.index} slot ${slot} y`);
      const again = cropBatch([mem[i]], 16, new Rng(deriveSeed(SEED, b.epoch, b.index, slot)), false);
      if (!c.x.every((v, k) => v === again.x[k])) flips++;
    });
  assert.ok(flips > 0 && flips < 18, `some crops flipped (${flips} of 18)`);
});

test('pipeline: several crops per sample, no ref, no flips or one per sample, no shuffle or custom batches', async () => {
  const r: BatchRecipe = { batch: 2, crop: 12, crops: 3, flip: false, shuffle: false, norm: 'imagenet', maxBatches: 2 };
  const a = await collect({ workers: 0, prefetch: 0 }, 1, samples, r);
  sameBatches(await collect({ workers: 0, prefetch: 2 }, 1, samples, r), a, 'crops 3');
  assert.equal(a.length, 2);
  assert.deepEqual(a[1].samples, [2, 3]);
  assert.equal(a[0].y, undefined);
  const mem = await decodeSamples(samples.slice(0, 4).map((s) => ({ ...s, ref: s.ref!, score: s.target, content: '', type: '' })), 'imagenet');
  for (const b of a) {
    assert.deepEqual(b.shape, [6, 3, 12, 12]);
    b.samples.forEach((i, slot) => {
      const ps = randomCrops(mem[i].h, mem[i].w, 12, 3, new Rng(deriveSeed(SEED, 0, b.index, slot)));
      const want = stackCrops(mem[i].dist, mem[i].h, mem[i].w, ps, 12);
      assert.deepEqual(b.x.subarray(slot * want.length, (slot + 1) * want.length), want, `batch ${b.index} slot ${slot}`);
    });
  }
  // custom batch composition (a pure function of the epoch) and one flip per sample for all its crops
  const custom = (e: number) => [[8, e], [3, 5, 7], [1, 2]];
  const c = await collect({ workers: 0, batches: custom }, 2, samples, { ...r, flip: 'sample', maxBatches: undefined });
  assert.deepEqual(c.map((b) => b.samples), [...custom(0), ...custom(1)]);
  const all = await decodeSamples(samples.map((s) => ({ ...s, ref: s.ref!, score: s.target, content: '', type: '' })), 'imagenet');
  let flipped = 0;
  for (const b of c)
    b.samples.forEach((i, slot) => {
      const rng = new Rng(deriveSeed(SEED, b.epoch, b.index, slot));
      const ps = randomCrops(all[i].h, all[i].w, 12, 3, rng);
      const f = rng.uniform() < 0.5;
      flipped += +f;
      const want = stackCrops(all[i].dist, all[i].h, all[i].w, ps, 12, [f, f, f]);
      assert.deepEqual(b.x.subarray(slot * want.length, (slot + 1) * want.length), want, `custom: epoch ${b.epoch} batch ${b.index} slot ${slot}`);
    });
  assert.ok(flipped > 0 && flipped < 14);
});

test('pipeline: resuming from a step gives the batches of the uninterrupted run', async () => {
  const want = await collect({ workers: 0, prefetch: 0 }, 3);
  const loader = new BatchLoader(samples, recipe, { seed: SEED, workers: 2, prefetch: 2 });
  try {
    const got: Batch[] = [];
    for await (const b of loader.steps(4, 9)) got.push(b); // from epoch 1, batch 1 to the end of epoch 2
    sameBatches(got, want.slice(4), 'steps(4, 9)');
    const mid: Batch[] = [];
    for await (const b of loader.epoch(2, 2)) mid.push(b);
    sameBatches(mid, want.slice(8), 'epoch(2, 2)');
    assert.deepEqual(loader.position(7), { epoch: 2, index: 1 });
    sameBatches([await loader.batchAt(5)], [want[5]], 'batchAt(5)');
  } finally {
    await loader.close();
  }
});

test('pipeline: a corrupt file fails with its name and stops the workers; skip mode leaves it out and reports it', async () => {
  const bad = join(dir, 'corrupt.png');
  writeFileSync(bad, Buffer.from('\x89PNG\r\n\x1a\nthis is not a png'));
  const withBad = samples.map((s, i) => (i === 4 ? { ...s, dist: bad } : s));
  for (const workers of [0, 2]) {
    const loader = new BatchLoader(withBad, recipe, { seed: SEED, workers, prefetch: 2 });
    await assert.rejects(
      async () => {
        for await (const _ of loader.epoch(0));
      },
      (e: unknown) => e instanceof IqaError && e.message.startsWith('BatchLoader: epoch 0, batch ') && e.message.includes(bad) && e.code === 'E_DECODE',
    );
    assert.equal(loader.stats().liveWorkers, 0, `workers ${workers}: no worker left after the error`);
    await assert.rejects(async () => loader.batchAt(0), /corrupt\.png/, 'the failed loader stays failed');
    await loader.close();
  }
  const tiny = join(dir, 'tiny.png');
  await writePng(tiny, synthImage(10, 30, 1, 3));
  await assert.rejects(collect({ workers: 0 }, 1, samples.map((s, i) => (i === 3 ? { ...s, dist: tiny, ref: tiny } : s))), (e: Error) => e.message.includes(`${tiny}: image size: expected at least 16x16 (the crop size), got 10x30`));
  await assert.rejects(collect({ workers: 0 }, 1, samples.map((s, i) => (i === 3 ? { ...s, ref: tiny } : s))), (e: Error) => e.message.includes(`${tiny}: reference size: expected that of ${samples[3].dist}`));
  const missing = join(dir, 'missing.png');
  await assert.rejects(collect({ workers: 0 }, 1, samples.map((s, i) => (i === 0 ? { ...s, ref: missing } : s))), (e: Error) => e.message.includes(missing) && /cannot read/.test(e.message));

  const reported: string[] = [];
  const got = await collect({ workers: 2, onBadFile: 'skip', onSkip: (s) => reported.push(`${s.epoch}/${s.index}/${s.sample}/${s.file}`) }, 2, withBad);
  const clean = await collect({ workers: 0 }, 2, samples);
  assert.equal(got.length, clean.length);
  got.forEach((b, i) => {
    const hit = clean[i].samples.includes(4);
    assert.equal(b.size, hit ? 2 : 3);
    assert.deepEqual(b.samples, clean[i].samples.filter((s) => s !== 4));
    assert.deepEqual(b.skipped.map((s) => s.file), hit ? [bad] : []);
    if (hit) assert.match(b.skipped[0].message, /cannot decode image/);
    // the other samples keep their pixels (their generator depends on their slot, not on the skipped one)
    const per = 3 * 16 * 16;
    let k = 0;
    clean[i].samples.forEach((s, slot) => {
      if (s === 4) return;
      assert.deepEqual(b.x.subarray(k * per, (k + 1) * per), clean[i].x.subarray(slot * per, (slot + 1) * per));
      k++;
    });
  });
  assert.deepEqual(reported.length, 2, 'one report per epoch');
  assert.ok(reported.every((r) => r.endsWith(`/4/${bad}`)));
});

test('pipeline: batches are prepared while the consumer holds the previous one; close() ends every worker', async () => {
  const loader = new BatchLoader(samples, { ...recipe, batch: 1 }, { seed: SEED, workers: 2, prefetch: 3 });
  let waited = 0;
  for await (const b of loader.epoch(0)) {
    assert.equal(b.index, 0);
    // a slow consumer: no further next() call, yet batches 1..3 get prepared meanwhile
    while (loader.stats().prepared < 4) {
      await new Promise((r) => setTimeout(r, 5));
      waited++;
    }
    break; // abandon the epoch with batches in flight
  }
  assert.equal(loader.stats().prepared, 4, `prefetch stops at depth 3 (waited ${waited} ticks)`);
  assert.equal(loader.stats().liveWorkers, 2);
  await loader.close();
  assert.equal(loader.stats().liveWorkers, 0);
  await assert.rejects(async () => loader.batchAt(0), /BatchLoader: closed/);
});

test('pipeline: the process exits on its own after close() (no leaked threads)', { timeout: 60_000 }, async () => {
  const script = `
    import { BatchLoader } from ${JSON.stringify(new URL('../../src/train/pipeline/index.ts', import.meta.url).href)};
    const s = ${JSON.stringify(samples)};
    const l = new BatchLoader(s, ${JSON.stringify(recipe)}, { workers: 2, prefetch: 2 });
    for await (const b of l.epoch(0)) { console.log('batch', b.size); break; }
    await l.close();
    console.log('closed', l.stats().liveWorkers);`;
  const p = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  p.stdout.on('data', (d: Buffer) => (out += d.toString()));
  const killer = setTimeout(() => p.kill('SIGKILL'), 50_000);
  const code = await new Promise<number | null>((res) => p.on('exit', (c) => res(c)));
  clearTimeout(killer);
  assert.equal(code, 0, `exit code (output: ${out})`);
  assert.match(out, /batch 3\nclosed 0/);
});

test('pipeline: with the cache each image is decoded once (one worker) and batches do not change', async () => {
  const want = await collect({ workers: 0 });
  const files = new Set(samples.flatMap((s) => [s.dist, s.ref!])).size;
  for (const workers of [1, 2]) {
    const loader = new BatchLoader(samples, recipe, { seed: SEED, workers, prefetch: 2, cacheBytes: 64 << 20 });
    const got: Batch[] = [];
    for (let e = 0; e < 2; e++) for await (const b of loader.epoch(e)) got.push(b);
    const st = loader.stats();
    await loader.close();
    sameBatches(got, want, `cached, workers ${workers}`);
    assert.equal(st.cachedImages, files);
    if (workers === 1) assert.equal(st.decodes, files, 'workers 1: decodes');
    else assert.ok(st.decodes >= files && st.decodes < 2 * files, `workers 2: ${st.decodes} decodes of ${files} files`);
  }
  // in-process, with a budget too small for everything: LRU eviction, same batches
  const small = new BatchLoader(samples, recipe, { seed: SEED, workers: 0, cacheBytes: 3 * 3 * 24 * 20 * 4 });
  const got: Batch[] = [];
  for (let e = 0; e < 2; e++) for await (const b of small.epoch(e)) got.push(b);
  assert.ok(small.stats().cacheBytes <= 3 * 3 * 24 * 20 * 4 && small.stats().decodes > files);
  await small.close();
  sameBatches(got, want, 'small cache');
});
