/**
 * The safetensors format (huggingface/safetensors: u64 little-endian header length, a JSON header
 * {name: {dtype, shape, data_offsets}}, raw little-endian data), for model weights and checkpoints. F32 and F16
 * (stored half precision, read back as float32) tensors; other dtypes are an error. Pure (no file access):
 * src/io/weights.ts reads and writes the bytes. Hand-written because the format is 20 lines and the npm packages
 * for it pull in Node-only code.
 */
import { expected, IqaError } from '../tensor/errors.js';
import { ndarray, type NdArray } from '../tensor/ndarray.js';

export type StoredDType = 'F32' | 'F16';

/** float32 -> IEEE half bits (round to nearest even). */
function toHalf(v: number): number {
  const f = new Float32Array([v]);
  const x = new Uint32Array(f.buffer)[0];
  const sign = (x >>> 16) & 0x8000;
  const exp = (x >>> 23) & 0xff;
  let mant = x & 0x7fffff;
  if (exp === 0xff) return sign | 0x7c00 | (mant ? 0x200 : 0);
  let e = exp - 127 + 15;
  if (e >= 0x1f) return sign | 0x7c00;
  if (e <= 0) {
    if (e < -10) return sign;
    mant |= 0x800000;
    const shift = 14 - e;
    let h = mant >>> shift;
    const rem = mant & ((1 << shift) - 1);
    const half = 1 << (shift - 1);
    if (rem > half || (rem === half && h & 1)) h++;
    return sign | h;
  }
  let h = (e << 10) | (mant >>> 13);
  const rem = mant & 0x1fff;
  if (rem > 0x1000 || (rem === 0x1000 && h & 1)) h++;
  e = h;
  return sign | e;
}

function fromHalf(h: number): number {
  const s = h & 0x8000 ? -1 : 1;
  const e = (h >>> 10) & 0x1f;
  const m = h & 0x3ff;
  if (e === 0) return s * m * 2 ** -24;
  if (e === 0x1f) return m ? NaN : s * Infinity;
  return s * (1 + m / 1024) * 2 ** (e - 15);
}

/** Serialises named float32 tensors; `dtype` 'F16' halves the size (weights to ship). `meta` goes in __metadata__. */
export function encodeSafetensors(tensors: Readonly<Record<string, NdArray>>, dtype: StoredDType = 'F32', meta: Record<string, string> = {}): Uint8Array {
  const names = Object.keys(tensors).sort();
  const width = dtype === 'F32' ? 4 : 2;
  const header: Record<string, unknown> = { __metadata__: meta };
  let off = 0;
  for (const n of names) {
    const t = tensors[n];
    const bytes = t.data.length * width;
    header[n] = { dtype, shape: [...t.shape], data_offsets: [off, off + bytes] };
    off += bytes;
  }
  let json = JSON.stringify(header);
  while ((8 + json.length) % 8) json += ' ';
  const hb = new TextEncoder().encode(json);
  const out = new Uint8Array(8 + hb.length + off);
  const dv = new DataView(out.buffer);
  dv.setBigUint64(0, BigInt(hb.length), true);
  out.set(hb, 8);
  let p = 8 + hb.length;
  for (const n of names) {
    const d = tensors[n].data;
    for (let i = 0; i < d.length; i++, p += width) {
      if (dtype === 'F32') dv.setFloat32(p, Number(d[i]), true);
      else dv.setUint16(p, toHalf(Number(d[i])), true);
    }
  }
  return out;
}

/** Parses safetensors bytes into float32 arrays by name, and the metadata. */
export function decodeSafetensors(bytes: Uint8Array, where = 'safetensors'): { tensors: Record<string, NdArray<'float32'>>; meta: Record<string, string> } {
  if (bytes.length < 8) throw expected(where, 'file', 'a safetensors file (>= 8 bytes)', `${bytes.length} bytes`, 'E_FORMAT');
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const n = Number(dv.getBigUint64(0, true));
  if (n <= 0 || 8 + n > bytes.length) throw expected(where, 'header length', `<= ${bytes.length - 8}`, String(n), 'E_FORMAT');
  let header: Record<string, { dtype: string; shape: number[]; data_offsets: [number, number] } | Record<string, string>>;
  try {
    header = JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + n))) as typeof header;
  } catch {
    throw new IqaError(`${where}: header: expected JSON, got unparsable text`, 'E_FORMAT');
  }
  const base = 8 + n;
  const tensors: Record<string, NdArray<'float32'>> = {};
  let meta: Record<string, string> = {};
  for (const [name, e] of Object.entries(header)) {
    if (name === '__metadata__') {
      meta = e as Record<string, string>;
      continue;
    }
    const { dtype, shape, data_offsets: [a, b] } = e as { dtype: string; shape: number[]; data_offsets: [number, number] };
    const count = shape.reduce((x, y) => x * y, 1);
    const width = dtype === 'F32' ? 4 : dtype === 'F16' ? 2 : 0;
    if (!width) throw expected(where, `tensor '${name}' dtype`, 'F32 or F16', dtype, 'E_FORMAT');
    if (b - a !== count * width || base + b > bytes.length) throw expected(where, `tensor '${name}' byte range`, `${count * width} bytes inside the file`, `[${a}, ${b})`, 'E_FORMAT');
    const d = new Float32Array(count);
    for (let i = 0; i < count; i++) d[i] = width === 4 ? dv.getFloat32(base + a + 4 * i, true) : fromHalf(dv.getUint16(base + a + 2 * i, true));
    tensors[name] = ndarray('float32', shape, d);
  }
  return { tensors, meta };
}
