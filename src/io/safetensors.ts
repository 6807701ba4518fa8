/**
 * safetensors (huggingface/safetensors format spec): 8-byte little-endian header length, a JSON header
 * `{ name: { dtype, shape, data_offsets: [begin, end] }, __metadata__?: {...} }`, then the raw little-endian data.
 * Written by hand: the format is ~40 lines and the npm readers are either unmaintained or pull in Node-only code.
 * Pure (bytes in, arrays out); `readSafetensorsFile` is the one function that touches the file system.
 * Floating dtypes (F32, F16, BF16, F64) are returned as float32; I64/I32/U8/BOOL (e.g. `relative_position_index`,
 * `num_batches_tracked`) as int64 so callers can skip or use them.
 */
import { readFile } from 'node:fs/promises';
import { IqaError, expected } from '../tensor/errors.js';
import { ndarray, numel, type NdArray } from '../tensor/ndarray.js';

export type SafetensorsDType = 'F64' | 'F32' | 'F16' | 'BF16' | 'I64' | 'I32' | 'I16' | 'I8' | 'U8' | 'BOOL';
const BYTES: Record<SafetensorsDType, number> = { F64: 8, F32: 4, F16: 2, BF16: 2, I64: 8, I32: 4, I16: 2, I8: 1, U8: 1, BOOL: 1 };

export interface SafetensorsFile {
  readonly tensors: Record<string, NdArray<'float32'> | NdArray<'int64'>>;
  readonly metadata: Record<string, string>;
}

/** IEEE half -> number. */
function halfToFloat(h: number): number {
  const s = h & 0x8000 ? -1 : 1;
  const e = (h >> 10) & 0x1f;
  const f = h & 0x3ff;
  if (e === 0) return s * f * 2 ** -24;
  if (e === 31) return f ? NaN : s * Infinity;
  return s * (1 + f / 1024) * 2 ** (e - 15);
}

/** number -> IEEE half bits (round to nearest even), for writing F16 fixtures. */
export function floatToHalf(v: number): number {
  const f32 = new Float32Array([v]);
  const x = new Uint32Array(f32.buffer)[0];
  const sign = (x >>> 16) & 0x8000;
  const e = (x >>> 23) & 0xff;
  let m = x & 0x7fffff;
  if (e === 255) return sign | 0x7c00 | (m ? 0x200 : 0);
  const ne = e - 127 + 15;
  if (ne >= 31) return sign | 0x7c00;
  if (ne <= 0) {
    if (ne < -10) return sign;
    m |= 0x800000;
    const shift = 14 - ne;
    let r = m >> shift;
    const rem = m & ((1 << shift) - 1);
    const half = 1 << (shift - 1);
    if (rem > half || (rem === half && r & 1)) r++;
    return sign | r;
  }
  let r = (ne << 10) | (m >> 13);
  const rem = m & 0x1fff;
  if (rem > 0x1000 || (rem === 0x1000 && r & 1)) r++;
  return sign | r;
}

/** Parses safetensors bytes. */
export function parseSafetensors(bytes: Uint8Array, label = '<bytes>'): SafetensorsFile {
  const where = `parseSafetensors(${label})`;
  if (bytes.length < 8) throw expected(where, 'file size', 'at least 8 bytes', `${bytes.length}`, 'E_FORMAT');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const hlen = Number(view.getBigUint64(0, true));
  if (8 + hlen > bytes.length) throw expected(where, 'header length', `<= ${bytes.length - 8}`, `${hlen} (not a safetensors file?)`, 'E_FORMAT');
  let header: Record<string, unknown>;
  try {
    header = JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + hlen))) as Record<string, unknown>;
  } catch (e) {
    throw new IqaError(`${where}: header: expected JSON, got unparsable text (not a safetensors file?)`, 'E_FORMAT', { cause: e });
  }
  const base = 8 + hlen;
  const tensors: SafetensorsFile['tensors'] = {};
  let metadata: Record<string, string> = {};
  for (const [name, info] of Object.entries(header)) {
    if (name === '__metadata__') {
      metadata = info as Record<string, string>;
      continue;
    }
    const { dtype, shape, data_offsets: off } = info as { dtype: SafetensorsDType; shape: number[]; data_offsets: [number, number] };
    const bpe = BYTES[dtype];
    if (!bpe) throw expected(where, `tensor '${name}' dtype`, Object.keys(BYTES).join('/'), String(dtype), 'E_FORMAT');
    const n = numel(shape);
    if (off[1] - off[0] !== n * bpe || base + off[1] > bytes.length) throw expected(where, `tensor '${name}' data`, `${n * bpe} bytes inside the file`, `offsets [${off.join(', ')}]`, 'E_FORMAT');
    const dv = new DataView(bytes.buffer, bytes.byteOffset + base + off[0], n * bpe);
    if (dtype === 'I64' || dtype === 'I32' || dtype === 'I16' || dtype === 'I8' || dtype === 'U8' || dtype === 'BOOL') {
      const out = new BigInt64Array(n);
      for (let i = 0; i < n; i++) {
        out[i] = dtype === 'I64' ? dv.getBigInt64(i * 8, true) : BigInt(dtype === 'I32' ? dv.getInt32(i * 4, true) : dtype === 'I16' ? dv.getInt16(i * 2, true) : dtype === 'I8' ? dv.getInt8(i) : dv.getUint8(i));
      }
      tensors[name] = ndarray('int64', shape, out);
      continue;
    }
    const out = new Float32Array(n);
    if (dtype === 'F32') for (let i = 0; i < n; i++) out[i] = dv.getFloat32(i * 4, true);
    else if (dtype === 'F64') for (let i = 0; i < n; i++) out[i] = dv.getFloat64(i * 8, true);
    else if (dtype === 'F16') for (let i = 0; i < n; i++) out[i] = halfToFloat(dv.getUint16(i * 2, true));
    else {
      // bfloat16: the top 16 bits of a float32
      const u = new Uint32Array(1);
      const f = new Float32Array(u.buffer);
      for (let i = 0; i < n; i++) {
        u[0] = dv.getUint16(i * 2, true) << 16;
        out[i] = f[0];
      }
    }
    tensors[name] = ndarray('float32', shape, out);
  }
  return { tensors, metadata };
}

/** Serialises float32 tensors as safetensors (F32, or F16 with `{ dtype: 'F16' }`). */
export function serializeSafetensors(tensors: Readonly<Record<string, NdArray>>, opts: { dtype?: 'F32' | 'F16'; metadata?: Record<string, string> } = {}): Uint8Array {
  const dt = opts.dtype ?? 'F32';
  const bpe = BYTES[dt];
  const header: Record<string, unknown> = {};
  if (opts.metadata) header.__metadata__ = opts.metadata;
  let off = 0;
  const names = Object.keys(tensors).sort();
  for (const n of names) {
    const len = tensors[n].data.length * bpe;
    header[n] = { dtype: dt, shape: tensors[n].shape, data_offsets: [off, off + len] };
    off += len;
  }
  let hj = JSON.stringify(header);
  hj += ' '.repeat((8 - ((hj.length + 8) % 8)) % 8);
  const hb = new TextEncoder().encode(hj);
  const out = new Uint8Array(8 + hb.length + off);
  const dv = new DataView(out.buffer);
  dv.setBigUint64(0, BigInt(hb.length), true);
  out.set(hb, 8);
  let p = 8 + hb.length;
  for (const n of names) {
    const d = tensors[n].data as ArrayLike<number>;
    for (let i = 0; i < d.length; i++) {
      if (dt === 'F32') dv.setFloat32(p, Number(d[i]), true);
      else dv.setUint16(p, floatToHalf(Number(d[i])), true);
      p += bpe;
    }
  }
  return out;
}

/**
 * Reads a safetensors file. A missing file is an IqaError naming the path expected (weights are never downloaded).
 * @example const { tensors } = await readSafetensorsFile('resnet50.safetensors');
 */
export async function readSafetensorsFile(path: string, what = 'weights file'): Promise<SafetensorsFile> {
  let bytes: Uint8Array;
  try {
    bytes = await readFile(path);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new IqaError(
      `readSafetensorsFile: ${what}: expected a safetensors file at '${path}', got ${code === 'ENOENT' ? 'no such file' : (e as Error).message} (weights are never downloaded; see the README section "Pretrained weights")`,
      'E_WEIGHTS',
      { cause: e },
    );
  }
  return parseSafetensors(bytes, path);
}
