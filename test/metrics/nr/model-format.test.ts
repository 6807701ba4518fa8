import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseIlNiqeModel, parseMvgModel, serializeIlNiqeModel, serializeMvgModel, decodeArray, encodeArray } from '../../../src/metrics/nr/model-format.js';
import { ilniqeModelFromRows } from '../../../src/metrics/nr/fit/il-niqe.js';
import { rng } from '../../helpers/synth-nr.js';

test('MVG model JSON round-trips exactly; the shared LIVE conversion layout is read too', () => {
  const r = rng(3);
  const mu = Float64Array.from({ length: 36 }, r), cov = Float64Array.from({ length: 36 * 36 }, r);
  const back = parseMvgModel(JSON.parse(serializeMvgModel({ mu, cov, patchSize: 96 }, { metric: 'niqe', source: 't' })), 't');
  assert.deepEqual(Array.from(back.mu), Array.from(mu));
  assert.deepEqual(Array.from(back.cov), Array.from(cov));
  const shared = parseMvgModel({ mu: { shape: [36], data: Array.from(mu) }, cov: { shape: [36, 36], data: Array.from(cov) } }, 's');
  assert.deepEqual(Array.from(shared.cov), Array.from(cov));
  assert.throws(() => parseMvgModel({ mu: [1, 2], cov: [1, 2, 3] }, 'bad.json'), /bad\.json: cov: expected 4 values, got 3/);
});

test('encoded arrays: float64 exact, float32 rounds to float32', () => {
  const a = [1 / 3, -2.5e-7, 12345.678];
  assert.deepEqual(Array.from(decodeArray(encodeArray(a, [3], 'float64'), 3, 'w', 'a')), a);
  assert.deepEqual(Array.from(decodeArray(encodeArray(a, [3], 'float32'), 3, 'w', 'a')), a.map(Math.fround));
});

test('IL-NIQE model: PCA keeps floor(0.92·min(468, n)) unit components; JSON round-trip (basis float32, cov triangle)', () => {
  const r = rng(9);
  const rows = Array.from({ length: 60 }, () => Float64Array.from({ length: 468 }, () => r() * 10));
  const { model } = ilniqeModelFromRows(rows);
  assert.equal(model.k, Math.floor(60 * 0.92));
  let norm = 0;
  for (let j = 0; j < 468; j++) norm += model.principleVectors[j * model.k] ** 2;
  assert.ok(Math.abs(norm - 1) < 1e-12);
  const back = parseIlNiqeModel(JSON.parse(serializeIlNiqeModel(model, { source: 't' })), 't');
  assert.deepEqual(Array.from(back.cov), Array.from(model.cov));
  assert.deepEqual(Array.from(back.mu), Array.from(model.mu));
  assert.deepEqual(Array.from(back.principleVectors), Array.from(model.principleVectors, Math.fround));
});
