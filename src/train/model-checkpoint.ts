/**
 * Atomic, resumable epoch checkpoints for the model trainers: parameters, buffers and optimiser state as a safetensors
 * file (written to a temporary name, then renamed), the step, epoch and generator states in its metadata. The engine's
 * own `checkpoint.ts` saves a bare `TrainStep.state()`; these add the epoch and the data generator's state, and
 * `resumableEpochs` loops over the epochs around them.
 */
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { TrainState, TrainStep } from '../engine/optim/train-step.js';
import type { Rng } from '../engine/rng.js';
import { expected } from '../tensor/errors.js';
import { readWeights, writeWeights } from '../io/weights.js';
import type { NdArray } from '../tensor/ndarray.js';

export interface CheckpointMeta {
  epoch: number;
  step: number;
  rng: number[];
  /** Sequential data-generator state (CVRKD); YOTO's batch pipeline needs none (batches derive from seed and step). */
  dataRng?: number[];
  [k: string]: unknown;
}

export async function saveCheckpoint(path: string, st: TrainState, meta: Omit<CheckpointMeta, 'step' | 'rng'>): Promise<void> {
  const tensors: Record<string, NdArray> = {};
  for (const [k, v] of Object.entries(st.params)) tensors[`param/${k}`] = v;
  for (const [k, v] of Object.entries(st.optim)) tensors[`optim/${k}`] = v;
  await writeWeights(path, tensors, 'F32', { state: JSON.stringify({ ...meta, step: st.step, rng: st.rng }) });
}

/** The saved state, or null when there is no checkpoint yet. */
export async function loadCheckpoint(path: string): Promise<{ state: TrainState; meta: CheckpointMeta } | null> {
  if (!existsSync(path)) return null;
  const { tensors, meta } = await readWeights(path, 'checkpoint');
  const m = JSON.parse(meta.state) as CheckpointMeta;
  const params: Record<string, NdArray> = {};
  const optim: Record<string, NdArray> = {};
  for (const [k, v] of Object.entries(tensors)) {
    if (k.startsWith('param/')) params[k.slice(6)] = v;
    else if (k.startsWith('optim/')) optim[k.slice(6)] = v;
  }
  return { state: { params, optim, step: m.step, rng: m.rng }, meta: m };
}

/**
 * Runs the epochs of one training stage with an atomic checkpoint at `path` after each (weights, optimiser state,
 * step, dropout and data-generator states). A killed run resumes at the next epoch and ends with the same weights as
 * an uninterrupted one; a finished stage is restored without training. `epoch` trains one epoch and returns the line
 * to log, written after the checkpoint. `opts.maxSeconds` stops at the first epoch end past that many seconds of this
 * call (a rerun resumes at the next epoch).
 */
export async function resumableEpochs(
  path: string,
  stage: string,
  step: TrainStep,
  rng: Rng,
  epochs: number,
  log: (s: string) => void,
  epoch: (e: number) => Promise<string>,
  opts: { maxSeconds?: number } = {},
): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  let start = 0;
  const prev = await loadCheckpoint(path);
  if (prev) {
    if (!prev.meta.dataRng) throw expected(stage, `checkpoint ${path}`, 'a data generator state', 'none', 'E_CONFIG');
    step.load(prev.state);
    rng.setState(prev.meta.dataRng);
    start = prev.meta.epoch + 1;
    log(`${stage}: resumed from ${path} after epoch ${start}/${epochs}`);
  }
  const began = performance.now();
  for (let e = start; e < epochs; e++) {
    const line = await epoch(e);
    await saveCheckpoint(path, step.state(), { epoch: e, dataRng: rng.getState() });
    log(line);
    const s = (performance.now() - began) / 1000;
    if (opts.maxSeconds !== undefined && s > opts.maxSeconds && e + 1 < epochs) {
      log(`${stage}: time limit, stopped after epoch ${e + 1}/${epochs} (${s.toFixed(0)} s > maxSeconds ${opts.maxSeconds})`);
      break;
    }
  }
}
