/**
 * Training checkpoints as safetensors: parameters and buffers under their state-dict names, optimiser state under
 * `optim.<param>.<state>`, and in the metadata the update count and the generator state. Written atomically.
 */
import { expected } from '../tensor/errors.js';
import type { NdArray } from '../tensor/ndarray.js';
import type { TrainState } from '../engine/optim/train-step.js';
import { readSafetensors, writeSafetensors } from '../io/safetensors.js';

const FORMAT = 'iqa-train-checkpoint/1';

/** Saves a `TrainStep.state()` to `path` (temp file + rename). */
export function saveCheckpoint(path: string, state: TrainState, extra: Readonly<Record<string, string>> = {}): void {
  const tensors: Record<string, NdArray> = { ...state.params };
  for (const [k, v] of Object.entries(state.optim)) tensors[k] = v;
  writeSafetensors(path, tensors, { ...extra, format: FORMAT, step: String(state.step), rng: JSON.stringify(state.rng) });
}

/** Loads a checkpoint written by `saveCheckpoint`. */
export function loadCheckpoint(path: string): TrainState & { extra: Record<string, string> } {
  const { tensors, metadata } = readSafetensors(path);
  if (metadata.format !== FORMAT) throw expected('loadCheckpoint', `${path} format`, FORMAT, String(metadata.format), 'E_DECODE');
  const params: Record<string, NdArray> = {};
  const optim: Record<string, NdArray> = {};
  for (const [k, v] of Object.entries(tensors)) (k.startsWith('optim.') ? optim : params)[k] = v;
  const { format: _f, step, rng, ...extra } = metadata;
  return { params, optim, step: Number(step), rng: JSON.parse(rng) as number[], extra };
}
