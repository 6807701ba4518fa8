import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync, copyFileSync, existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { iqa } from '../helpers/cli.js';
import { repoRoot } from '../helpers/shared-data.js';
import { tempDirs } from '../helpers/temp-dirs.js';

const tmp = tempDirs();
const ex = (p: string) => join(repoRoot, 'examples', p);

test('iqa compare on the example pair prints a table; --json parses; psnr is finite', () => {
  const t = iqa('compare', '-m', 'psnr,psnr_y', ex('dist.png'), ex('ref.png'));
  assert.equal(t.code, 0, t.err);
  assert.match(t.out, /psnr_y/);
  const j = iqa('compare', '-m', 'psnr', ex('dist.png'), ex('ref.png'), '--json');
  const rows = JSON.parse(j.out) as { scores: { psnr: number } }[];
  assert.equal(rows.length, 1);
  assert.ok(rows[0].scores.psnr > 20 && rows[0].scores.psnr < 40);
});

test('folders pair by file name, report unpaired files, and a bad file does not stop the batch (exit 2)', async () => {
  const d = tmp('iqa-cli-');
  mkdirSync(join(d, 'dist'));
  mkdirSync(join(d, 'ref'));
  for (const n of ['scene1', 'scene2', 'scene3']) copyFileSync(ex(`pairs/ref/${n}.png`), join(d, 'ref', `${n}.png`));
  // names deliberately in a different sorted order than the references: b_ first
  copyFileSync(ex('pairs/dist/scene2.png'), join(d, 'dist', 'scene2.png'));
  copyFileSync(ex('pairs/dist/scene1.png'), join(d, 'dist', 'scene1.png'));
  writeFileSync(join(d, 'dist', 'scene3.png'), Buffer.from('not a png at all'));
  copyFileSync(ex('pairs/dist/scene1.png'), join(d, 'dist', 'extra.png'));
  const r = iqa('compare', '-m', 'psnr', join(d, 'dist'), join(d, 'ref'), '--csv', '--workers', '2');
  assert.equal(r.code, 2, r.err);
  assert.match(r.err, /unpaired in .*dist.*extra\.png/);
  assert.match(r.err, /error: scene3\.png: readImage: .*scene3\.png: cannot decode image/);
  const lines = r.out.trim().split('\n');
  assert.equal(lines.length, 4); // header + 3 pairs
  const single = iqa('compare', '-m', 'psnr', ex('pairs/dist/scene2.png'), ex('pairs/ref/scene2.png'), '--json');
  const want = (JSON.parse(single.out) as { scores: { psnr: number } }[])[0].scores.psnr;
  const row2 = lines.find((l) => l.startsWith('scene2.png'))!;
  assert.equal(Number(row2.split(',')[3]), want, 'scene2 paired with its own reference');
});

test('size mismatch is a clear error naming both sizes; --resize scores it', async () => {
  const d = tmp('iqa-cli-');
  await sharp(ex('dist.png')).resize(200, 100).toFile(join(d, 'small.png'));
  const r = iqa('compare', '-m', 'psnr', join(d, 'small.png'), ex('ref.png'));
  assert.equal(r.code, 2);
  assert.match(r.err, /image sizes differ: distorted .*small\.png is 200x100, reference .*ref\.png is 384x256/);
  const ok = iqa('compare', '-m', 'psnr', join(d, 'small.png'), ex('ref.png'), '--resize', '--json');
  assert.equal(ok.code, 0, ok.err);
});

test('unknown metric is exit 1 with the list of names; iqa list --json lists psnr', () => {
  const r = iqa('compare', '-m', 'nosuch', ex('dist.png'), ex('ref.png'));
  assert.equal(r.code, 1);
  assert.match(r.err, /error during compare: createMetric: unknown metric 'nosuch': expected one of .*psnr/);
  const l = iqa('list', '--json');
  const names = (JSON.parse(l.out) as { name: string }[]).map((m) => m.name);
  assert.ok(names.includes('psnr'));
});

test('--map writes a heat-map PNG when a chosen metric has a map, and warns otherwise', () => {
  const d = tmp('iqa-cli-');
  const r = iqa('compare', '-m', 'psnr', ex('dist.png'), ex('ref.png'), '--map', join(d, 'm.png'));
  assert.equal(r.code, 0);
  assert.match(r.err, /none of the chosen metrics produces a quality map/);
  assert.equal(existsSync(join(d, 'm.png')), false);
  const s = iqa('compare', '-m', 'ssim,gmsd', ex('dist.png'), ex('ref.png'), '--map', join(d, 'q.png'));
  assert.equal(s.code, 0, s.err);
  for (const m of ['ssim', 'gmsd']) {
    const png = readFileSync(join(d, `q.${m}.png`));
    assert.equal(png.subarray(1, 4).toString(), 'PNG');
  }
});
