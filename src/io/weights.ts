/**
 * Reading and writing model weight files (safetensors). Writes are atomic (a temporary file renamed over the
 * target), so an interrupted checkpoint never leaves a truncated file. A missing file is an IqaError naming what
 * to supply; nothing is ever downloaded.
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { writeFileAtomic } from './atomic.js';
import { decodeSafetensors, encodeSafetensors, type StoredDType } from '../models/safetensors.js';
import { IqaError } from '../tensor/errors.js';
import type { NdArray } from '../tensor/ndarray.js';

/** Loads a safetensors file; `what` names the expected weights in the error (e.g. "YOTO weights (iqa train ...)"). */
export async function readWeights(path: string | undefined, what: string): Promise<{ tensors: Record<string, NdArray<'float32'>>; meta: Record<string, string> }> {
  if (!path) throw new IqaError(`${what}: weights: expected a safetensors file path (option 'weights'), got none; no weights are downloaded`, 'E_WEIGHTS');
  if (!existsSync(path)) throw new IqaError(`${what}: weights: expected a safetensors file at '${path}', got no such file; supply trained weights (iqa train) or a converted official checkpoint`, 'E_WEIGHTS');
  return decodeSafetensors(new Uint8Array(await readFile(path)), `${what} ('${path}')`);
}

/** Writes tensors atomically (tmp + rename). */
export async function writeWeights(path: string, tensors: Readonly<Record<string, NdArray>>, dtype: StoredDType = 'F32', meta: Record<string, string> = {}): Promise<void> {
  await writeFileAtomic(path, encodeSafetensors(tensors, dtype, meta));
}
