/** safetensors: round trips (F32, F16), BF16 and integer tensors, malformed files. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { floatToHalf, parseSafetensors, serializeSafetensors } from '../../src/io/safetensors.js';
import { ndarray } from '../../src/tensor/ndarray.js';

/** A file from a header object and raw bytes, as the format spec describes. */
function raw(header: object, data: Uint8Array): Uint8Array {
  const h = new TextEncoder().encode(JSON.stringify(header));
  const out = new Uint8Array(8 + h.length + data.length);
  new DataView(out.buffer).setBigUint64(0, BigInt(h.length), true);
  out.set(h, 8);
  out.set(data, 8 + h.length);
  return out;
}

test('F32 and F16 round trips; F16 values are the nearest halves', () => {
  const a = ndarray('float32', [2, 3], [0, 1, -2.5, 65504, 1e-7, 0.1]);
  const f = parseSafetensors(serializeSafetensors({ a }, { metadata: { format: 'pt' } }));
  assert.deepEqual([...f.tensors.a.data], [...a.data]);
  assert.deepEqual(f.tensors.a.shape, [2, 3]);
  assert.equal(f.metadata.format, 'pt');
  const h = parseSafetensors(serializeSafetensors({ a }, { dtype: 'F16' })).tensors.a.data as Float32Array;
  assert.deepEqual([...h].slice(0, 4), [0, 1, -2.5, 65504]);
  assert.ok(Math.abs(h[5] - 0.1) < 1e-4 && h[4] > 0 && h[4] < 2e-7); // subnormal half
  assert.equal(floatToHalf(1), 0x3c00);
  assert.equal(floatToHalf(-2), 0xc000);
});

test('BF16 and I64 tensors (e.g. relative_position_index) are read', () => {
  const d = new Uint8Array(4 + 16);
  const dv = new DataView(d.buffer);
  dv.setUint16(0, 0x3f80, true); // bf16 1.0
  dv.setUint16(2, 0xc040, true); // bf16 -3.0
  dv.setBigInt64(4, 7n, true);
  dv.setBigInt64(12, -1n, true);
  const f = parseSafetensors(raw({ b: { dtype: 'BF16', shape: [2], data_offsets: [0, 4] }, i: { dtype: 'I64', shape: [2], data_offsets: [4, 20] } }, d));
  assert.deepEqual([...f.tensors.b.data], [1, -3]);
  assert.equal(f.tensors.i.dtype, 'int64');
  assert.deepEqual([...f.tensors.i.data], [7n, -1n]);
});

test('malformed files are clear errors', () => {
  assert.throws(() => parseSafetensors(new Uint8Array(4), 'x.safetensors'), /x\.safetensors\): file size: expected at least 8 bytes, got 4/);
  assert.throws(() => parseSafetensors(raw({}, new Uint8Array(0)).slice(0, 9)), /header length/);
  const bad = raw({ a: { dtype: 'F32', shape: [4], data_offsets: [0, 8] } }, new Uint8Array(8));
  assert.throws(() => parseSafetensors(bad), /tensor 'a' data: expected 16 bytes inside the file/);
  assert.throws(() => parseSafetensors(raw({ a: { dtype: 'C64', shape: [1], data_offsets: [0, 8] } }, new Uint8Array(8))), /dtype: expected F64\/F32/);
});
