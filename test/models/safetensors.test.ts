import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeSafetensors, encodeSafetensors } from '../../src/models/safetensors.js';
import { ndarray } from '../../src/tensor/ndarray.js';

const tensors = {
  'a.weight': ndarray('float32', [2, 3], [1, -2.5, 3.25, 1e-3, 65504, -0]),
  b: ndarray('float32', [4], [0.1, 0.2, 1 / 3, -7]),
};

test('safetensors: F32 round trip is exact, metadata kept, header 8-byte aligned', () => {
  const bytes = encodeSafetensors(tensors, 'F32', { config: '{"x":1}' });
  const n = Number(new DataView(bytes.buffer).getBigUint64(0, true));
  assert.equal((8 + n) % 8, 0);
  const r = decodeSafetensors(bytes);
  assert.deepEqual(r.meta, { config: '{"x":1}' });
  assert.deepEqual([...r.tensors['a.weight'].data], [...tensors['a.weight'].data]);
  assert.deepEqual(r.tensors['a.weight'].shape, [2, 3]);
  assert.deepEqual([...r.tensors.b.data], [...tensors.b.data]);
});

test('safetensors: F16 halves the data and rounds to nearest half', () => {
  const f16 = encodeSafetensors(tensors, 'F16');
  const f32 = encodeSafetensors(tensors, 'F32');
  assert.ok(f16.length < f32.length);
  const r = decodeSafetensors(f16).tensors;
  // exactly representable values survive; others within half precision (2^-11 relative)
  assert.deepEqual([...r['a.weight'].data].slice(0, 3), [1, -2.5, 3.25]);
  assert.equal(r['a.weight'].data[4], 65504);
  for (let i = 0; i < 4; i++) assert.ok(Math.abs(r.b.data[i] - tensors.b.data[i]) <= Math.abs(tensors.b.data[i]) * 2 ** -11);
  assert.ok(Math.abs(r['a.weight'].data[3] - 1e-3) < 1e-6);
});

test('safetensors: malformed input is a clear error', () => {
  assert.throws(() => decodeSafetensors(new Uint8Array(4)), /parseSafetensors\(safetensors\): file size: expected at least 8 bytes, got 4/);
  const bad = encodeSafetensors(tensors).slice(0, 40);
  assert.throws(() => decodeSafetensors(bad), /header length|byte range|JSON/);
});
