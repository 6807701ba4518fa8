/**
 * Atomic, resumable checkpoints for the YOTO/CVRKD trainers (epoch and data-generator state included; main now has
 * the engine's src/train/checkpoint.ts, which these could move onto): parameters, buffers and optimiser state as a safetensors file
 * (written to a temporary name, then renamed), the step, epoch and generator states in its metadata.
 */
import { existsSync } from 'node:fs';
import type { TrainState } from '../engine/optim/train-step.js';
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
