import { test } from 'node:test';
import assert from 'node:assert/strict';
import { dTest, levelPairs, lTest, pTest, waterlooTests, type ScoreRow } from '../../src/eval/model-free.js';
import { makeRng } from '../../src/eval/rng.js';

/** Brute-force D: try every midpoint threshold (independent of the sweep in dTest). */
function bruteD(p: number[], d: number[]): number {
  const cand = [-Infinity, ...[...p, ...d].sort((a, b) => a - b)];
  let best = 0;
  for (const T of cand) {
    const acc = 0.5 * (p.filter((v) => v > T).length / p.length + d.filter((v) => v <= T).length / d.length);
    best = Math.max(best, acc);
  }
  return best;
}

function table(seed: number, contents = 6, types = 3, levels = 5, noise = 0.6): ScoreRow[] {
  const rng = makeRng(seed);
  const rows: ScoreRow[] = [];
  for (let c = 0; c < contents; c++) {
    rows.push({ content: `c${c}`, type: 'pristine', level: 0, score: 10 + noise * rng() });
    for (let t = 0; t < types; t++) for (let l = 1; l <= levels; l++) rows.push({ content: `c${c}`, type: `t${t}`, level: l, score: 10 - 1.5 * l + noise * 4 * (rng() - 0.5) });
  }
  return rows;
}

test('D-test: balanced accuracy of the best threshold, matches a brute-force search; direction handled', () => {
  for (const seed of [1, 2, 3]) {
    const rows = table(seed, 8, 2, 5, 3);
    const r = dTest(rows);
    const p = rows.filter((x) => x.level === 0).map((x) => x.score);
    const d = rows.filter((x) => x.level > 0).map((x) => x.score);
    assert.equal(r.D, bruteD(p, d));
    assert.deepEqual([r.pristine, r.distorted], [8, 80]);
    // The reported threshold reproduces D.
    const acc = 0.5 * (p.filter((v) => v > r.threshold).length / p.length + d.filter((v) => v <= r.threshold).length / d.length);
    assert.equal(acc, r.D);
    // A lower-is-better metric (negated scores) gets the same D.
    const neg = dTest(rows.map((x) => ({ ...x, score: -x.score })), { direction: 'lower-better' });
    assert.equal(neg.D, r.D);
    assert.equal(neg.threshold, -r.threshold);
  }
  // Separable -> 1; identical scores -> 0.5.
  assert.equal(dTest([{ content: 'a', type: 'p', level: 0, score: 5 }, { content: 'a', type: 'x', level: 1, score: 4 }]).D, 1);
  assert.equal(dTest([{ content: 'a', type: 'p', level: 0, score: 5 }, { content: 'a', type: 'x', level: 1, score: 5 }]).D, 0.5);
  assert.throws(() => dTest([{ content: 'a', type: 'x', level: 1, score: 4 }]), { message: 'dTest: images: expected both pristine (level 0) and distorted ones, got 0 pristine, 1 distorted' });
});

test('L-test: mean SRCC/KRCC of quality vs level order per content and type', () => {
  const perfect: ScoreRow[] = [1, 2, 3, 4].map((l) => ({ content: 'a', type: 'blur', level: l, score: 10 - l }));
  assert.deepEqual(lTest(perfect), { srcc: 1, krcc: 1, lists: 1 });
  assert.deepEqual(lTest(perfect, { direction: 'lower-better' }), { srcc: -1, krcc: -1, lists: 1 });
  // Second list swaps levels 3 and 4: SRCC = 1 - 6*2/(4*15) = 0.8, tau = (5 - 1)/6.
  const swapped: ScoreRow[] = [
    ...perfect,
    ...[9, 8, 6, 7].map((s, i) => ({ content: 'a', type: 'noise', level: i + 1, score: s })),
    { content: 'a', type: 'pristine', level: 0, score: 11 },
    { content: 'b', type: 'blur', level: 3, score: 1 }, // a single level: skipped
  ];
  const r = lTest(swapped);
  assert.equal(r.lists, 2);
  assert.ok(Math.abs(r.srcc - (1 + 0.8) / 2) < 1e-12);
  assert.ok(Math.abs(r.krcc - (1 + 4 / 6) / 2) < 1e-12);
});

test('P-test with level DIPs: pair construction, strict concordance, ties count as wrong', () => {
  const rows: ScoreRow[] = [
    { content: 'a', type: 'p', level: 0, score: 9 },
    { content: 'a', type: 'blur', level: 1, score: 8 },
    { content: 'a', type: 'blur', level: 3, score: 8 },
    { content: 'a', type: 'noise', level: 4, score: 9.5 },
    { content: 'b', type: 'blur', level: 1, score: 1 },
  ];
  const pairs = levelPairs(rows);
  assert.deepEqual(pairs, [
    [0, 1],
    [0, 2],
    [0, 3],
    [1, 2],
  ]);
  const r = pTest(rows.map((x) => x.score), pairs);
  assert.deepEqual(r, { P: 2 / 4, pairs: 4, concordant: 2 });
  assert.deepEqual(levelPairs(rows, { minGap: 3, pristine: false }), []);
  assert.throws(() => pTest([1, 2], [[0, 5]]), { message: 'pTest: pair index: expected in [0, 2), got [0, 5]' });
});

test('all three on a synthetic table: a noisier metric scores lower on every test', () => {
  const good = waterlooTests(table(7, 10, 4, 5, 0.3));
  const bad = waterlooTests(table(7, 10, 4, 5, 6));
  assert.ok(good.d.D > bad.d.D && good.l.srcc > bad.l.srcc && good.p.P > bad.p.P);
  assert.ok(good.l.srcc > 0.9 && good.p.P > 0.9 && good.d.D > 0.95);
  assert.equal(good.l.lists, 40);
});

test('scoreTable from a synthetic generic CSV (ref,dist,score,std,type,level,content) feeds the three tests', async () => {
  const { mkdtemp, writeFile, rm } = await import('node:fs/promises');
  const { tmpdir } = await import('node:os');
  const { join } = await import('node:path');
  const { loadGenericCsv } = await import('../../src/data/datasets/index.js');
  const { scoreTable } = await import('../../src/eval/model-free.js');
  const dir = await mkdtemp(join(tmpdir(), 'iqa-synth-'));
  try {
    const lines = ['ref,dist,score,std,type,level,content'];
    for (const c of ['a', 'b']) for (const t of ['gaussian blur', 'jpeg']) for (let l = 1; l <= 3; l++) lines.push(`ref/${c}.png,dist/${c}_${t}_${l}.png,${5 - l},0.5,${t},${l},${c}`);
    await writeFile(join(dir, 'labels.csv'), lines.join('\n'));
    const ds = await loadGenericCsv({ file: join(dir, 'labels.csv'), checkFiles: false });
    // A metric that follows the levels exactly except one swap in content b / jpeg.
    const scores = ds.items.map((it) => 10 - Number(it.meta.level) + (it.content === 'b' && it.meta.type === 'jpeg' && it.meta.level !== 2 ? (it.meta.level === 1 ? -1.5 : 1.5) : 0));
    const rows = scoreTable(ds.items, scores, new Map([[join(dir, 'ref/a.png'), 10], [join(dir, 'ref/b.png'), 9.5]]));
    assert.equal(rows.length, 14);
    assert.deepEqual(rows[12], { content: 'a', type: 'pristine', level: 0, score: 10 });
    const r = waterlooTests(rows);
    assert.equal(r.l.lists, 4);
    assert.ok(Math.abs(r.l.srcc - (3 - 1) / 4) < 1e-12); // b/jpeg levels 1,2,3 scored 7.5, 8, 8.5: fully reversed, -1
    assert.equal(r.d.D, 1);
    assert.throws(() => scoreTable(ds.items, [1]), { message: 'scoreTable: score count: expected 12 (one per item), got 1' });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
