import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { iqa } from '../helpers/cli.js';
import { repoRoot } from '../helpers/shared-data.js';
import { tempDirs } from '../helpers/temp-dirs.js';

const tmp = tempDirs();
test('iqa eval: correlations, Waterloo tests, report files, and a resumable cache', async () => {
  const d = tmp('iqa-eval-');
  const rows = ['ref,dist,score,type,level'];
  for (const n of [1, 2, 3]) {
    const ref = join(repoRoot, `examples/pairs/ref/scene${n}.png`);
    for (const level of [1, 2, 3]) {
      const p = join(d, `s${n}_blur${level}.png`);
      await sharp(ref).blur(0.6 + level * 1.2).toFile(p);
      rows.push(`${ref},${p},${5 - level},blur,${level}`); // pseudo-MOS falls with the level
    }
  }
  writeFileSync(join(d, 'labels.csv'), rows.join('\n') + '\n');
  const out = join(d, 'out');
  const r = iqa('eval', '-m', 'psnr', '-d', join(d, 'labels.csv'), '--out', out, '--json', '--workers', '1');
  assert.equal(r.code, 0, r.err);
  const j = JSON.parse(r.out) as { results: { rows?: unknown[] } | unknown[]; waterloo: { D: number; L: number; P: number }[] };
  assert.equal(j.waterloo.length, 1);
  // PSNR falls monotonically with blur on every content: perfect level ranking and pair preference
  assert.equal(j.waterloo[0].L, 1);
  assert.equal(j.waterloo[0].P, 1);
  assert.equal(j.waterloo[0].D, 1);
  const text = readFileSync(join(out, 'results.csv'), 'utf8');
  assert.match(text, /psnr/);
  const cache = readFileSync(join(out, 'cache', 'psnr.jsonl'), 'utf8').trim().split('\n');
  assert.equal(cache.length, 9 + 3); // 9 distorted + 3 pristine
  // a second run computes nothing new and gives the same table
  const r2 = iqa('eval', '-m', 'psnr', '-d', join(d, 'labels.csv'), '--out', out, '--json', '--workers', '1');
  assert.equal(JSON.stringify(JSON.parse(r2.out).waterloo), JSON.stringify(j.waterloo));
  assert.equal(readFileSync(join(out, 'cache', 'psnr.jsonl'), 'utf8').trim().split('\n').length, 12);
});
