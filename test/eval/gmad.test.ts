import { test } from 'node:test';
import assert from 'node:assert/strict';
import sharp from 'sharp';
import { gmad, gmadGridRows, gmadPairs } from '../../src/eval/gmad.js';
import { makeRng } from '../../src/eval/rng.js';
import { composeImageGrid, svgToPng } from '../../src/io/image-grid.js';

test('gMAD: per level, the defender is held within its band and the attacker extremes are chosen', () => {
  const rng = makeRng(3);
  const n = 400;
  const a = Float64Array.from({ length: n }, () => rng() * 10);
  const b = Float64Array.from(a, (v) => v + 3 * (rng() - 0.5));
  const pairs = gmadPairs({ name: 'A', scores: a }, { name: 'B', scores: b }, { levels: 4, band: 0.03 });
  assert.equal(pairs.length, 4);
  const sorted = [...a].sort((x, y) => x - y);
  const half = 0.03 * (sorted[n - 1] - sorted[0]);
  for (const p of pairs) {
    const band = [...a.keys()].filter((i) => Math.abs(a[i] - p.center) <= half);
    assert.equal(p.bandSize, band.length);
    assert.equal(p.attackerScores[0], Math.max(...band.map((i) => b[i])));
    assert.equal(p.attackerScores[1], Math.min(...band.map((i) => b[i])));
    assert.ok(Math.abs(p.defenderScores[0] - p.defenderScores[1]) <= 2 * half);
    assert.equal(p.defender, 'A');
  }
  assert.deepEqual(pairs.map((p) => p.level), [0, 1, 2, 3]);
  // Lower-is-better attacker: its "best" is its lowest raw score.
  const lb = gmadPairs({ name: 'A', scores: a }, { name: 'D', scores: Float64Array.from(b, (v) => -v), direction: 'lower-better' }, { levels: 4, band: 0.03 });
  assert.deepEqual(lb.map((p) => [p.best, p.worst]), pairs.map((p) => [p.best, p.worst]));
  const both = gmad({ name: 'A', scores: a }, { name: 'B', scores: b });
  assert.equal(both.bDefends[0].defender, 'B');
  assert.throws(() => gmadPairs({ name: 'A', scores: [1, 2] }, { name: 'B', scores: [1] }), { message: 'gmad: score counts: expected equal, got 2 (A) and 1 (B)' });
});

test('gMAD grid: a captioned PNG with the chosen images in place', async () => {
  const solid = async (r: number, g: number, b: number) =>
    new Uint8Array(await sharp({ create: { width: 40, height: 30, channels: 3, background: { r, g, b } } }).png().toBuffer());
  const images = [await solid(255, 0, 0), await solid(0, 0, 255), await solid(0, 255, 0)];
  const pairs = gmadPairs({ name: 'A', scores: [1, 1.01, 5] }, { name: 'B', scores: [0.2, 0.9, 3] }, { levels: 1, band: 0.5 });
  assert.equal(pairs.length, 1);
  // Level centre = median 1.01, band +-2: images 0 and 1 (A nearly equal); B rates image 1 best.
  assert.deepEqual([pairs[0].best, pairs[0].worst], [1, 0]);
  const rows = gmadGridRows(pairs, images);
  assert.match(rows[0][0].label, /A holds level 0: A 1\.010, B 0\.9000 \(B: better\)/);
  const png = await composeImageGrid(rows, { cellWidth: 80, cellHeight: 60, title: 'gMAD A vs B' });
  const { data, info } = await sharp(png).raw().toBuffer({ resolveWithObject: true });
  assert.deepEqual([info.width, info.height], [8 + 2 * 88, 28 + 8 + 60 + 36 + 8]);
  const px = (x: number, y: number) => [...data.subarray((y * info.width + x) * info.channels, (y * info.width + x) * info.channels + 3)];
  assert.deepEqual(px(8 + 40, 28 + 8 + 30), [0, 0, 255]); // best (image 1) in the first cell
  assert.deepEqual(px(8 + 88 + 40, 28 + 8 + 30), [255, 0, 0]); // worst (image 0) in the second
});

test('svgToPng renders at 1 px per unit', async () => {
  const png = await svgToPng('<svg xmlns="http://www.w3.org/2000/svg" width="20" height="10"><rect width="20" height="10" fill="#00f"/></svg>');
  const meta = await sharp(png).metadata();
  assert.deepEqual([meta.width, meta.height], [20, 10]);
});
