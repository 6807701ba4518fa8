// Batch pipeline (src/train/pipeline) throughput: decode-only images/s per worker count, then a fake training
// consumer that blocks the main thread for a fixed time per batch, sequential (decode, then compute) versus
// overlapped (workers prepare the next batches meanwhile). Images: procedural references and their synthetic
// distortions (src/data/synth), written once as PNG to a temporary folder. No cache (every batch decodes).
// Timed: epochs 1 and 2 after a warm-up batch (thread start and module loading excluded).
// Usage: node --import tsx bench/pipeline.ts [pairs=48] [side=512] [computeMs=''=auto] [workers=0,1,2]
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Rng } from '../src/engine/rng.js';
import { jpegRoundTrip, writePng } from '../src/io/encode-image.js';
import { makeImage } from '../src/tensor/image.js';
import { BatchLoader, type BatchRecipe, type LoaderSample } from '../src/train/pipeline/index.js';

const pairs = Number(process.argv[2] ?? 48);
const side = Number(process.argv[3] ?? 512);
const W = side;
const H = Math.round((side * 3) / 4);
const refs = 6;
// IQA_BENCH_DIR: where the set is written (or found, when complete)
const dir = process.env.IQA_BENCH_DIR ?? join(tmpdir(), `iqa-bench-pipeline-${pairs}-${side}`);

async function makeSet(): Promise<LoaderSample[]> {
  const samples: LoaderSample[] = [];
  const done = existsSync(join(dir, 'done'));
  mkdirSync(dir, { recursive: true });
  const { distort } = await import('../src/data/synth/index.js');
  for (let r = 0; r < refs; r++) {
    const ref = join(dir, `ref${r}.png`);
    const rng = new Rng(r);
    const f = Array.from({ length: 9 }, () => [rng.uniform() * 0.05, rng.uniform() * 0.05, rng.uniform() * 6]);
    const img = done
      ? null
      : makeImage(W, H, 3, Float64Array.from({ length: 3 * W * H }, (_, i) => {
          const c = Math.floor(i / (W * H));
          const x = i % W;
          const y = Math.floor((i % (W * H)) / W);
          let v = 128;
          for (const [a, b, p] of f.slice(3 * c, 3 * c + 3)) v += 40 * Math.sin(a * x + b * y + p);
          return Math.min(255, Math.max(0, v + 8 * rng.normal()));
        }));
    if (img) await writePng(ref, img, { compressionLevel: 3 });
    for (let k = r; k < pairs; k += refs) {
      const dist = join(dir, `dist${k}.png`);
      if (img) await writePng(dist, await distort(img, 1 + (k % 25), 1 + (k % 5), { seed: k, codecs: { jpeg: jpegRoundTrip } }), { compressionLevel: 3 });
      samples.push({ dist, ref, target: k / pairs });
    }
  }
  writeFileSync(join(dir, 'done'), '');
  return samples;
}

const busy = (ms: number) => {
  const t = performance.now();
  while (performance.now() - t < ms);
};

async function run(samples: LoaderSample[], recipe: BatchRecipe, workers: number, prefetch: number, computeMs: number): Promise<{ s: number; batches: number }> {
  const loader = new BatchLoader(samples, recipe, { seed: 1, workers, prefetch });
  await loader.batchAt(0); // starts the workers (thread start and module loading are not the pipeline's throughput)
  const t0 = performance.now();
  let batches = 0;
  for await (const _ of loader.steps(loader.batchesPerEpoch, 3 * loader.batchesPerEpoch)) {
    busy(computeMs);
    batches++;
  }
  const s = (performance.now() - t0) / 1000;
  await loader.close();
  return { s, batches };
}

const samples = await makeSet();
const recipe: BatchRecipe = { batch: 8, crop: 224, ref: true, norm: 'half' };
const imgs = (b: number) => b * recipe.batch * 2; // dist + ref decoded per sample
console.log(`${samples.length} pairs of ${W}x${H} PNG, batch ${recipe.batch}, crop ${recipe.crop} (dist + ref), no cache`);
console.log('decode-only (consumer takes no time):');
let perBatchMs = 0;
const counts = (process.argv[5] ?? '0,1,2').split(',').map(Number);
for (const workers of counts) {
  const r = await run(samples, recipe, workers, Math.max(2, workers), 0);
  if (workers === counts[0]) perBatchMs = (1000 * r.s) / r.batches;
  console.log(`  workers ${workers}, prefetch ${Math.max(2, workers)}: ${(imgs(r.batches) / r.s).toFixed(1)} images/s, ${((1000 * r.s) / r.batches).toFixed(1)} ms/batch`);
}
// default: as long as the first decode-only run's batch time (decode and compute equal: at most 2x from overlap)
const computeMs = process.argv[4] ? Number(process.argv[4]) : Math.round(perBatchMs);
console.log(`fake training step: ${computeMs} ms of main-thread work per batch`);
const seq = await run(samples, recipe, 0, 0, computeMs);
console.log(`  sequential (workers 0, prefetch 0): ${seq.s.toFixed(2)} s for ${seq.batches} batches (${((1000 * seq.s) / seq.batches).toFixed(1)} ms/batch; decode + compute)`);
for (const [workers, prefetch] of [[0, 2], ...counts.filter((w) => w > 0).map((w) => [w, Math.max(2, w)])]) {
  const r = await run(samples, recipe, workers, prefetch, computeMs);
  console.log(`  overlapped (workers ${workers}, prefetch ${prefetch}): ${r.s.toFixed(2)} s (${((1000 * r.s) / r.batches).toFixed(1)} ms/batch; compute alone ${computeMs} ms), ${(seq.s / r.s).toFixed(2)}x the sequential throughput`);
}
