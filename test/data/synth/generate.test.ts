import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, mkdir, readFile, readdir, rm, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { parse } from 'csv-parse/sync';
import { blendWithFr, synthesize, type SynthProgress } from '../../../src/data/synth/generate.js';
import { DISTORTIONS } from '../../../src/data/synth/types.js';
import { parsePseudoMos } from '../../../src/data/synth/pseudo-mos.js';
import { readImage } from '../../../src/io/decode.js';
import { toInterleaved8 } from '../../../src/io/encode-image.js';
import { makeImage } from '../../../src/tensor/image.js';
import { needsSharedData, sharedPath } from '../../helpers/shared-data.js';
import { testImage } from './fixtures.js';

/** A pseudo-MOS CSV in the shared file's format: mean 5 - 0.7*level - type/100, std 0.1*level. */
function fakeMosCsv(): string {
  const rows = ['dist_type,dist_name_label_file,dist_name,level,mos_mean,mos_std,count'];
  for (const d of DISTORTIONS) for (let l = 1; l <= 5; l++) rows.push(`${d.id},${d.kadidLabel.includes(',') ? 'x' : d.kadidLabel},${d.name},${l},${(5 - 0.7 * l - d.id / 100).toFixed(4)},${(0.1 * l).toFixed(4)},81`);
  return rows.join('\n') + '\n';
}

async function fixture(): Promise<{ root: string; pristine: string; mos: string }> {
  const root = await mkdtemp(join(tmpdir(), 'iqa-synth-'));
  const pristine = join(root, 'pristine');
  await mkdir(join(pristine, 'sub'), { recursive: true });
  const rgb = testImage(40, 32);
  await sharp(toInterleaved8(rgb), { raw: { width: 40, height: 32, channels: 3 } }).png().toFile(join(pristine, 'a.png'));
  const grey = makeImage(24, 36, 1, new Float64Array(24 * 36).map((_, i) => (i * 7) % 256));
  await sharp(toInterleaved8(grey), { raw: { width: 24, height: 36, channels: 1 } }).png().toFile(join(pristine, 'sub', 'b.png'));
  await writeFile(join(pristine, 'notes.txt'), 'not an image');
  const mos = join(root, 'mos.csv');
  await writeFile(mos, fakeMosCsv());
  return { root, pristine, mos };
}

async function allFiles(dir: string): Promise<Map<string, Buffer>> {
  const out = new Map<string, Buffer>();
  for (const e of await readdir(dir, { recursive: true, withFileTypes: true })) {
    if (e.isFile()) {
      const p = join(e.parentPath, e.name);
      out.set(p.slice(dir.length), await readFile(p));
    }
  }
  return out;
}

test('synthesize: 2 images x 25 types x 5 levels end to end; same bytes with 1 or 2 workers; resumable', async () => {
  const { root, pristine, mos } = await fixture();
  try {
    const out1 = join(root, 'out1');
    const out2 = join(root, 'out2');
    const progress: SynthProgress[] = [];
    const s1 = await synthesize({ pristine, out: out1, seed: 5, workers: 1, pseudoMos: mos, onProgress: (p) => progress.push(p) });
    assert.equal(s1.images, 2);
    assert.equal(s1.outputs, 250);
    assert.equal(s1.written, 250);
    assert.equal(progress.at(-1)?.done, 250);
    const s2 = await synthesize({ pristine, out: out2, seed: 5, workers: 2, pseudoMos: mos });
    assert.equal(s2.written, 250);
    const f1 = await allFiles(out1);
    const f2 = await allFiles(out2);
    assert.equal(f1.size, 2 + 250 + 2); // refs, dists, labels.csv, synth.json
    assert.deepEqual([...f1.keys()].sort(), [...f2.keys()].sort());
    for (const [k, v] of f1) assert.ok(v.equals(f2.get(k)!), `${k} differs between 1 and 2 workers`);

    // The CSV: header, one row per output in content/type/level order, scores from the table.
    const rows = parse(f1.get('/labels.csv')!.toString(), { columns: true }) as Record<string, string>[];
    assert.deepEqual(Object.keys(rows[0]), ['ref', 'dist', 'score', 'std', 'type', 'level', 'content']);
    assert.equal(rows.length, 250);
    assert.deepEqual(rows[0], { ref: 'ref/a.png', dist: 'dist/a_01_01.png', score: String(5 - 0.7 - 0.01), std: '0.1', type: 'gaussian_blur', level: '1', content: 'a' });
    const last = rows.at(-1)!;
    assert.equal(last.dist, 'dist/sub/b_25_05.png');
    assert.equal(last.content, 'sub/b');
    assert.equal(Number(last.score), Number((5 - 3.5 - 0.25).toFixed(4)));
    for (const r of rows) assert.ok(f1.has('/' + r.dist) && f1.has('/' + r.ref));
    // The grey reference is written as RGB, the same size as its distortions.
    const ref = await readImage(join(out1, 'ref/sub/b.png'));
    const dist = await readImage(join(out1, 'dist/sub/b_10_05.png'));
    assert.deepEqual([ref.width, ref.height, ref.channels], [24, 36, 3]);
    assert.deepEqual([dist.width, dist.height, dist.channels], [24, 36, 3]);

    // Resume: everything kept; a truncated output is rewritten, identically.
    const again = await synthesize({ pristine, out: out1, seed: 5, workers: 2, pseudoMos: mos });
    assert.equal(again.written, 0);
    assert.equal(again.skipped, 250);
    const victim = join(out1, 'dist/a_19_03.png');
    await truncate(victim, 100);
    const fixed = await synthesize({ pristine, out: out1, seed: 5, workers: 1, pseudoMos: mos });
    assert.equal(fixed.written, 1);
    assert.ok((await readFile(victim)).equals(f1.get('/dist/a_19_03.png')!));

    // Another seed into the same folder is refused; another seed elsewhere changes random types only.
    await assert.rejects(synthesize({ pristine, out: out1, seed: 6, pseudoMos: mos }), /was generated with seed = 5, this run has 6/);
  } finally {
    await rm(root, { recursive: true, force: true });
  }
});

test('synthesize: types, levels, maxSide and a score callback', async () => {
  const { root, pristine, mos } = await fixture();
  try {
    const out = join(root, 'o');
    const calls: string[] = [];
    const s = await synthesize({
      pristine,
      out,
      types: ['jpeg', 11],
      levels: [2, 4],
      maxSide: 20,
      workers: 1,
      pseudoMos: mos,
      score: blendWithFr(
        (a, b) => {
          calls.push(`${a.width}x${a.height}`);
          return a.data.reduce((acc, v, i) => acc + Math.abs(v - b.data[i]), 0) > 0 ? 1 : 0;
        },
        { weight: 0.5, toMos: (fr) => 1 + 4 * fr },
      ),
    });
    assert.deepEqual(s.types, ['jpeg', 'white_noise']);
    assert.equal(s.outputs, 8);
    const rows = parse(await readFile(join(out, 'labels.csv'), 'utf8'), { columns: true }) as Record<string, string>[];
    assert.deepEqual(rows.map((r) => r.dist), ['dist/a_10_02.png', 'dist/a_10_04.png', 'dist/a_11_02.png', 'dist/a_11_04.png', 'dist/sub/b_10_02.png', 'dist/sub/b_10_04.png', 'dist/sub/b_11_02.png', 'dist/sub/b_11_04.png']);
    // Blend: 0.5 * pseudo-MOS + 0.5 * 5 (every output differs from its reference).
    assert.equal(Number(rows[0].score), 0.5 * (5 - 1.4 - 0.1) + 0.5 * 5);
    assert.deepEqual(new Set(calls), new Set(['20x16', '13x20']));
    const a = await readImage(join(out, 'ref/a.png'));
    assert.deepEqual([a.width, a.height], [20, 16]);
  } finally {
    await rm(root, { recursive: true, force: true });
  }
});

test('synthesize: clear errors for an empty folder, a bad level, a pseudo-MOS table missing a row', async () => {
  const { root, pristine, mos } = await fixture();
  try {
    const empty = join(root, 'empty');
    await mkdir(empty);
    await assert.rejects(synthesize({ pristine: empty, out: join(root, 'x'), pseudoMos: mos }), /pristine folder .*empty: expected image files, got none/);
    await assert.rejects(synthesize({ pristine, out: join(root, 'x'), levels: [0], pseudoMos: mos }), /synthesize: level: expected integers 1\.\.5, got 0/);
    const short = fakeMosCsv().split('\n').slice(0, 50).join('\n');
    await assert.rejects(synthesize({ pristine, out: join(root, 'x'), pseudoMos: parsePseudoMos(short) }), /type 10 level 5: expected a row in the pseudo-MOS table/);
    await assert.rejects(synthesize({ pristine, out: join(root, 'x'), pseudoMos: join(root, 'nope.csv') }), /pseudo-MOS file .*nope\.csv: cannot read/);
    // A corrupt pristine image fails the run with its name, inline and in a worker.
    await writeFile(join(pristine, 'sub', 'broken.png'), 'not a png at all');
    for (const workers of [1, 2]) {
      await assert.rejects(synthesize({ pristine, out: join(root, `w${workers}`), workers, types: [1], levels: [1], pseudoMos: mos }), /broken\.png: cannot decode image/);
    }
  } finally {
    await rm(root, { recursive: true, force: true });
  }
});

test('parsePseudoMos: the shared KADID table (125 rows) and a malformed line', { skip: needsSharedData }, async () => {
  const text = await readFile(sharedPath('labels', 'kadid10k_mos_by_type_level.csv'), 'utf8');
  const t = parsePseudoMos(text);
  assert.equal(t.size, 25);
  for (const [, levels] of t) assert.equal(levels.size, 5);
  assert.deepEqual(t.get(1)!.get(1), { mean: 4.6122, std: 0.1304, count: 81 });
  assert.equal(t.get(25)!.get(5)!.mean, 3.3238);
  const bad = text.replace('1,GBLUR,gaussian blur,3,2.9111', '1,GBLUR,gaussian blur,3,abc');
  assert.throws(() => parsePseudoMos(bad, 'mos.csv'), /parsePseudoMos: mos\.csv: line 4: expected integer dist_type\/level and numeric mos_mean/);
  assert.throws(() => parsePseudoMos('a,b\n1,2\n', 'x.csv'), /x\.csv: line 1: expected a column 'dist_type'/);
});
