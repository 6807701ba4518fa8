import { test } from 'node:test';
import assert from 'node:assert/strict';
import { makeSplits, selectSplit, splitsFromJson, splitsToJson } from '../../src/eval/splits.js';
import { loadNamedDataset } from '../../src/data/datasets/index.js';
import type { Dataset, DatasetItem } from '../../src/data/datasets/types.js';
import { needsSharedData, sharedPath } from '../helpers/shared-data.js';

function synthetic(refs: number, perRef: number): Dataset {
  const items: DatasetItem[] = [];
  for (let r = 0; r < refs; r++) for (let k = 0; k < perRef; k++) items.push({ dist: `d${r}_${k}.png`, ref: `r${r}.png`, score: k, content: `r${r}`, meta: {} });
  return { name: 'toy', kind: 'synthetic', scoreDirection: 'higher-better', range: [0, 5], labelFile: 'x', items };
}

test('content split: no reference in two parts, ratios over references, every item once', () => {
  const ds = synthetic(25, 6);
  const s = makeSplits(ds, { ratios: { train: 0.6, val: 0.2, test: 0.2 }, repeats: 3, seed: 5 });
  assert.equal(s.by, 'content');
  assert.equal(s.splits.length, 3);
  assert.deepEqual(s.splits.map((x) => x.seed), [5, 6, 7]);
  for (const sp of s.splits) {
    const refsOf = (part: 'train' | 'val' | 'test') => new Set(selectSplit(ds.items, sp, part).map((i) => i.content));
    const [tr, va, te] = [refsOf('train'), refsOf('val'), refsOf('test')];
    assert.deepEqual([tr.size, va.size, te.size], [15, 5, 5]);
    for (const c of va) assert.ok(!tr.has(c) && !te.has(c));
    for (const c of te) assert.ok(!tr.has(c));
    assert.deepEqual([...sp.train, ...sp.val, ...sp.test].sort((a, b) => a - b), ds.items.map((_, i) => i));
  }
  assert.notDeepEqual(s.splits[0].test, s.splits[1].test);
  // Same seed -> same splits; different seed -> different.
  assert.deepEqual(makeSplits(ds, { ratios: { train: 0.6, val: 0.2, test: 0.2 }, repeats: 3, seed: 5 }), s);
});

test('authentic sets split by image; official split follows meta.split', () => {
  const items: DatasetItem[] = Array.from({ length: 50 }, (_, i) => ({ dist: `${i}.jpg`, score: i, content: `${i}.jpg`, meta: { split: i < 40 ? 'train' : 'test' } }));
  const ds: Dataset = { name: 'wild', kind: 'authentic', scoreDirection: 'higher-better', range: [0, 100], labelFile: 'x', items };
  const s = makeSplits(ds, { repeats: 1 });
  assert.equal(s.by, 'image');
  assert.deepEqual([s.splits[0].train.length, s.splits[0].val.length, s.splits[0].test.length], [40, 0, 10]);
  const o = makeSplits(ds, { by: 'official' });
  assert.deepEqual(o.splits[0].test, [40, 41, 42, 43, 44, 45, 46, 47, 48, 49]);
  assert.throws(() => makeSplits({ ...ds, items: [{ ...items[0], meta: {} }] }, { by: 'official' }), {
    message: 'makeSplits: item 0 (0.jpg) official split: expected train, val or test, got undefined',
  });
});

test('save and reload: JSON round trip, fingerprint check, validation', () => {
  const ds = synthetic(10, 3);
  const s = makeSplits(ds, { repeats: 2, seed: 1 });
  const back = splitsFromJson(splitsToJson(s), ds);
  assert.deepEqual(back, s);
  const other = synthetic(10, 3);
  (other.items as DatasetItem[])[4] = { ...other.items[4], score: 9 };
  assert.throws(() => splitsFromJson(splitsToJson(s), other), /splits: fingerprint of toy: expected [0-9a-f]{8}, got [0-9a-f]{8} \(the labels differ/);
  const bad = JSON.parse(splitsToJson(s));
  bad.splits[0].test.push(bad.splits[0].train[0]);
  assert.throws(() => splitsFromJson(JSON.stringify(bad)), { message: `splits: split 0 index ${bad.splits[0].train[0]}: expected in one part only, got repeated` });
  assert.throws(() => splitsFromJson('{"version": 2}'), /splits: content: expected a split set \(version 1\)/);
  assert.throws(() => makeSplits(ds, { ratios: { train: 0.7, val: 0.2, test: 0.2 } }), { message: 'makeSplits: ratios: expected train + val + test = 1, got 0.7 + 0.2 + 0.2 = 1.0999999999999999' });
});

test('KADID-10k labels: 10 content splits keep the 81 references apart (shared data)', { skip: needsSharedData }, async () => {
  const ds = await loadNamedDataset('kadid10k', { root: sharedPath('labels', 'iqa-dataset'), checkFiles: false });
  const s = makeSplits(ds);
  assert.equal(s.splits.length, 10);
  for (const sp of s.splits) {
    assert.equal(sp.train.length + sp.test.length, 10125);
    assert.equal(sp.test.length, 16 * 125); // round(0.2 * 81) = 16 references held out
  }
});
