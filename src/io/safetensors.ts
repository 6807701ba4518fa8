/**
 * safetensors (https://github.com/huggingface/safetensors, format spec in its README): an 8-byte little-endian
 * header length, a JSON header {name: {dtype, shape, data_offsets: [begin, end]}, __metadata__: {str: str}}, then
 * the raw little-endian tensor bytes. Encode/decode are pure; `writeFileAtomic` writes a temp file and renames it,
 * so a crash never leaves a half-written checkpoint.
 */
import { closeSync, fsyncSync, openSync, readFileSync, renameSync, writeSync } from 'node:fs';
import { expected } from '../tensor/errors.js';
import { ndarray, type DType, type NdArray } from '../tensor/ndarray.js';

const ST_DTYPE: Record<DType, string> = { float32: 'F32', float64: 'F64', int64: 'I64', bool: 'BOOL' };
const FROM_ST: Record<string, DType> = { F32: 'float32', F64: 'float64', I64: 'int64', BOOL: 'bool' };

export function encodeSafetensors(tensors: Readonly<Record<string, NdArray>>, metadata: Readonly<Record<string, string>> = {}): Uint8Array {
  const header: Record<string, unknown> = { __metadata__: metadata };
  let off = 0;
  const names = Object.keys(tensors).sort();
  for (const n of names) {
    const t = tensors[n];
    header[n] = { dtype: ST_DTYPE[t.dtype], shape: [...t.shape], data_offsets: [off, off + t.data.byteLength] };
    off += t.data.byteLength;
  }
  let json = JSON.stringify(header);
  json += ' '.repeat((8 - (json.length % 8)) % 8); // align the data to 8 bytes
  const hb = new TextEncoder().encode(json);
  const out = new Uint8Array(8 + hb.length + off);
  new DataView(out.buffer).setBigUint64(0, BigInt(hb.length), true);
  out.set(hb, 8);
  let at = 8 + hb.length;
  for (const n of names) {
    const d = tensors[n].data;
    out.set(new Uint8Array(d.buffer, d.byteOffset, d.byteLength), at);
    at += d.byteLength;
  }
  return out;
}

export function decodeSafetensors(bytes: Uint8Array): { tensors: Record<string, NdArray>; metadata: Record<string, string> } {
  if (bytes.length < 8) throw expected('decodeSafetensors', 'file size', 'at least 8 bytes', String(bytes.length), 'E_DECODE');
  const n = Number(new DataView(bytes.buffer, bytes.byteOffset, 8).getBigUint64(0, true));
  if (8 + n > bytes.length) throw expected('decodeSafetensors', 'header length', `<= ${bytes.length - 8}`, String(n), 'E_DECODE');
  const header = JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + n))) as Record<string, { dtype: string; shape: number[]; data_offsets: [number, number] }>;
  const base = 8 + n;
  const tensors: Record<string, NdArray> = {};
  let metadata: Record<string, string> = {};
  for (const [name, h] of Object.entries(header)) {
    if (name === '__metadata__') {
      metadata = h as unknown as Record<string, string>;
      continue;
    }
    const dtype = FROM_ST[h.dtype];
    if (!dtype) throw expected('decodeSafetensors', `dtype of '${name}'`, 'F32, F64, I64 or BOOL', h.dtype, 'E_DECODE');
    const [b, e] = h.data_offsets;
    const raw = bytes.slice(base + b, base + e); // copy: aligned for the typed array
    const data = dtype === 'float32' ? new Float32Array(raw.buffer) : dtype === 'float64' ? new Float64Array(raw.buffer) : dtype === 'int64' ? new BigInt64Array(raw.buffer) : new Uint8Array(raw.buffer);
    tensors[name] = ndarray(dtype, h.shape, data as never);
  }
  return { tensors, metadata };
}

/** Writes `bytes` to `path` atomically: write `path.tmp-<pid>`, fsync, rename over `path`. */
export function writeFileAtomic(path: string, bytes: Uint8Array): void {
  const tmp = `${path}.tmp-${process.pid}`;
  const fd = openSync(tmp, 'w');
  try {
    let off = 0;
    while (off < bytes.length) off += writeSync(fd, bytes, off, bytes.length - off);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, path);
}

export function writeSafetensors(path: string, tensors: Readonly<Record<string, NdArray>>, metadata?: Readonly<Record<string, string>>): void {
  writeFileAtomic(path, encodeSafetensors(tensors, metadata));
}

export function readSafetensors(path: string): { tensors: Record<string, NdArray>; metadata: Record<string, string> } {
  return decodeSafetensors(new Uint8Array(readFileSync(path)));
}
