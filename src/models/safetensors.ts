/**
 * Model weights as safetensors: the models' view of `io/safetensors.ts` (the one implementation of the format).
 * Weights are float32 in memory and stored as F32 or F16 (half the size, for weights to ship).
 */
import { parseSafetensors, serializeSafetensors } from '../io/safetensors.js';
import { expected } from '../tensor/errors.js';
import type { NdArray } from '../tensor/ndarray.js';

export type StoredDType = 'F32' | 'F16';

/** Serialises named float32 tensors; `dtype` 'F16' halves the size. `meta` goes in __metadata__. */
export function encodeSafetensors(tensors: Readonly<Record<string, NdArray>>, dtype: StoredDType = 'F32', meta: Record<string, string> = {}): Uint8Array {
  return serializeSafetensors(tensors, { dtype, metadata: meta });
}

/** Parses safetensors bytes into float32 arrays by name (F32/F16/BF16/F64 are read as float32), and the metadata. */
export function decodeSafetensors(bytes: Uint8Array, where = 'safetensors'): { tensors: Record<string, NdArray<'float32'>>; meta: Record<string, string> } {
  const f = parseSafetensors(bytes, where);
  const tensors: Record<string, NdArray<'float32'>> = {};
  for (const [name, t] of Object.entries(f.tensors)) {
    if (t.dtype !== 'float32') throw expected(where, `tensor '${name}' dtype`, 'a floating-point type (F32, F16, BF16, F64)', t.dtype, 'E_FORMAT');
    tensors[name] = t as NdArray<'float32'>;
  }
  return { tensors, meta: f.metadata };
}
