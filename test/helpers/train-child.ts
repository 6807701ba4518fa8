/**
 * A small training run used by the resume test, runnable in-process or as a child process:
 *   node --import tsx test/helpers/train-child.ts <dir> <steps> [--resume]
 * Checkpoints after every update (atomic); prints "step N" lines; writes <dir>/final.safetensors at the end.
 * Data for update k come from a generator seeded with k, so any process sees the same batches.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { TrainStep, adamw, cosineLr } from '../../src/engine/optim/index.js';
import { Rng } from '../../src/engine/rng.js';
import { Dropout, Linear, Sequential, Lambda } from '../../src/nn/index.js';
import { gelu } from '../../src/engine/ops/index.js';
import { ndarray, type NdArray } from '../../src/tensor/ndarray.js';
import { mseLoss } from '../../src/train/losses.js';
import { loadCheckpoint, saveCheckpoint } from '../../src/train/checkpoint.js';
import { writeSafetensors } from '../../src/io/safetensors.js';

export async function runTraining(dir: string, total: number, resume: boolean, onStep: (n: number) => Promise<void> | void = () => {}): Promise<Record<string, NdArray>> {
  const net = new Sequential(new Linear(6, 16, { rng: new Rng(1) }), new Lambda(gelu), new Dropout(0.2), new Linear(16, 2, { rng: new Rng(2) }));
  net.namedTensors();
  const step = await TrainStep.create({
    build: (g) => mseLoss(net.forward(g.input('x', [32, 6])), g.input('t', [32, 2])),
    params: net.parameters(),
    optimizer: adamw({ weightDecay: 0.05 }),
    lr: cosineLr(0.02, total),
    clipGradNorm: 1,
    seed: 11,
  });
  const ck = join(dir, 'checkpoint.safetensors');
  if (resume && existsSync(ck)) step.load(loadCheckpoint(ck));
  while (step.step < total) {
    const rng = new Rng(1000 + step.step);
    const x = Float32Array.from({ length: 32 * 6 }, () => rng.normal());
    const t = Float32Array.from({ length: 32 * 2 }, (_, i) => Math.sin(x[Math.floor(i / 2) * 6 + (i % 2)] * 2) + 0.1 * rng.normal());
    await step.run({ x: ndarray('float32', [32, 6], x), t: ndarray('float32', [32, 2], t) });
    saveCheckpoint(ck, step.state());
    await onStep(step.step);
  }
  await step.release();
  return net.stateDict();
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const [dir, steps] = process.argv.slice(2);
  const sd = await runTraining(dir, Number(steps), process.argv.includes('--resume'), async (n) => {
    console.log(`step ${n}`);
    await new Promise((r) => setTimeout(r, 30)); // leaves the parent time to kill the run mid-way
  });
  writeSafetensors(join(dir, 'final.safetensors'), sd);
  console.log('done');
}
