import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { parse } from 'csv-parse/sync';
import { evaluatePredictions } from '../../src/eval/evaluate.js';
import { niceTicks, scatterSvg } from '../../src/eval/plot.js';
import { formatPivot, formatTable, toCsv, toHtml, toJson, type ResultRow } from '../../src/eval/report.js';
import { writePlot, writeReport } from '../../src/eval/report-write.js';
import { makeRng } from '../../src/eval/rng.js';
import { srcc } from '../../src/eval/correlation.js';

function data(n: number, seed: number): { x: Float64Array; y: Float64Array } {
  const rng = makeRng(seed);
  const x = Float64Array.from({ length: n }, () => 20 + 25 * rng());
  const y = Float64Array.from(x, (v) => 100 - 100 / (1 + Math.exp(-(v - 32) / 3)) + 8 * (rng() - 0.5));
  return { x, y };
}

test('niceTicks: 1-2-5 steps covering the range', () => {
  assert.deepEqual(niceTicks(0, 1), [0, 0.2, 0.4, 0.6, 0.8, 1]);
  assert.deepEqual(niceTicks(17.3, 42.1), [20, 25, 30, 35, 40]);
  assert.deepEqual(niceTicks(-3, 3), [-3, -2, -1, 0, 1, 2, 3]);
});

test('scatter SVG: one circle per point, curve path inside the plot, escaped labels; renders to PNG', async () => {
  const { x, y } = data(50, 1);
  const svg = scatterSvg(x, y, { title: 'psnr <on> "LIVE"', fit: { kind: 'logistic4', predict: (v) => 50 + v }, legend: ['SRCC 0.9'] });
  assert.equal(svg.match(/<circle /g)?.length, 50);
  assert.match(svg, /<path d="M[0-9.]+,[-0-9.]+L/);
  assert.match(svg, /psnr &lt;on&gt; &quot;LIVE&quot;/);
  const dir = await mkdtemp(join(tmpdir(), 'iqa-plot-'));
  try {
    const files = await writePlot(join(dir, 'psnr_live'), svg, { scale: 1 });
    assert.deepEqual(files, [join(dir, 'psnr_live.svg'), join(dir, 'psnr_live.png')]);
    const meta = await sharp(await readFile(files[1])).metadata();
    assert.deepEqual([meta.width, meta.height, meta.format], [560, 420, 'png']);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('evaluatePredictions: DMOS target flips the sign, fits, bootstrap CI, row + plot', () => {
  const { x, y } = data(120, 2);
  // PSNR-like prediction (higher better) against DMOS (lower better).
  const out = evaluatePredictions({ metric: 'psnr', dataset: 'toy', pred: x, target: y, targetDirection: 'lower-better', bootstrap: { resamples: 200, seed: 1 }, plotPath: 'plots/psnr_toy.svg' });
  assert.equal(out.result.signFlipped, true);
  assert.ok(Math.abs(out.row.srcc - -srcc(x, y)) < 1e-12);
  assert.ok(out.row.srcc > 0.9 && out.row.plccLogistic4! > out.row.plcc);
  assert.ok(out.row.srccCi!.lo < out.row.srcc && out.row.srcc < out.row.srccCi!.hi);
  assert.equal(out.row.plot, 'plots/psnr_toy.svg');
  assert.match(String(out.row.notes?.logistic4Init), /^[-0-9.e ]+$/);
  assert.match(out.svg, /psnr \(negated\)/);
  assert.match(out.svg, /DMOS/);
  assert.match(out.svg, /curve: logistic4/);
});

const ROWS: ResultRow[] = [
  { metric: 'psnr', dataset: 'LIVE', n: 779, srcc: 0.8756, krcc: 0.6865, plcc: 0.8723, plccLogistic4: 0.8801, plccLogistic5: 0.8812, rmseLogistic4: 13.1, signFlipped: true, plot: 'plots/psnr_LIVE.svg' },
  { metric: 'ssim', dataset: 'LIVE', n: 779, srcc: 0.9479, krcc: 0.7963, plcc: 0.9449, signFlipped: true },
  { metric: 'psnr', dataset: 'CSIQ', n: 866, srcc: 0.8058, krcc: 0.6084, plcc: 0.8, signFlipped: true },
];

test('text, pivot, JSON, CSV and HTML tables', async () => {
  const t = formatTable(ROWS).split('\n');
  assert.equal(t.length, 5);
  assert.match(t[0], /^metric\s+dataset\s+n\s+SRCC\s+KRCC\s+PLCC\(raw\)\s+PLCC\(logistic4\)\s+PLCC\(logistic5\)\s+RMSE\(logistic4\)\s+sign flipped$/);
  assert.match(t[2], /^psnr\s+LIVE\s+779\s+0\.8756\s+0\.6865\s+0\.8723\s+0\.8801\s+0\.8812\s+13\.1000\s+yes$/);
  assert.match(t[3], /ssim\s+LIVE\s+779\s+0\.9479\s+0\.7963\s+0\.9449\s+-\s+-\s+-\s+yes/);
  assert.deepEqual(formatPivot(ROWS, 'srcc').split('\n'), ['srcc    LIVE    CSIQ', 'psnr  0.8756  0.8058', 'ssim  0.9479       -']);
  const j = JSON.parse(toJson(ROWS, { toolkit: '0.1.0' }));
  assert.equal(j.toolkit, '0.1.0');
  assert.equal(j.results.length, 3);
  assert.equal(j.conventions.krcc, 'tau-b');
  const csv = parse(toCsv(ROWS), { columns: true }) as Record<string, string>[];
  assert.deepEqual(csv[0], {
    metric: 'psnr', dataset: 'LIVE', n: '779', srcc: '0.8756', krcc: '0.6865', plcc_raw: '0.8723', plcc_logistic4: '0.8801', plcc_logistic5: '0.8812',
    rmse_logistic4: '13.1', rmse_logistic5: '', sign_flipped: 'true', srcc_ci_lo: '', srcc_ci_hi: '', plcc_ci_lo: '', plcc_ci_hi: '', plot: 'plots/psnr_LIVE.svg',
  });
  const html = toHtml(ROWS, { title: 'FR <metrics>' });
  assert.match(html, /<title>FR &lt;metrics&gt;<\/title>/);
  assert.equal(html.match(/<tr><td>/g)?.length, 3);
  assert.match(html, /<a href="plots\/psnr_LIVE.svg">plot<\/a>/);
  assert.match(html, /<img src="plots\/psnr_LIVE.svg"/);
  const dir = await mkdtemp(join(tmpdir(), 'iqa-report-'));
  try {
    const files = await writeReport(join(dir, 'out'), ROWS, { title: 'x' });
    assert.deepEqual(files.map((f) => f.slice(dir.length + 1)), ['out/results.txt', 'out/results.json', 'out/results.csv', 'out/results.html']);
    assert.equal(await readFile(files[0], 'utf8'), `${formatTable(ROWS)}\n`);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
