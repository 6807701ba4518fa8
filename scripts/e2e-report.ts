/**
 * End-to-end report for the CPU-sized runs: classic FR metrics on the same held-out contents as the trained models
 * (same data config and split), beside the YOTO (joint, NR-only) and CVRKD (teacher, student) test numbers.
 * node --import tsx scripts/e2e-report.ts configs/yoto-cpu-joint.json configs/yoto-cpu-nr.json configs/cvrkd-cpu.json [--classic=psnr,haarpsi]
 */
import { readFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { getMetricEntry } from '../src/registry.js';
import { pearson, srcc } from '../src/eval/correlation.js';
import { loadTrainingData } from '../src/train/data.js';

const args = process.argv.slice(2).filter((a) => !a.startsWith('--classic='));
const classic = (process.argv.find((a) => a.startsWith('--classic=')) ?? '--classic=psnr').slice(10).split(',');
const [jointCfg, nrCfg, cvrkdCfg] = args;
const cfg = JSON.parse(await readFile(jointCfg, 'utf8')) as { data: { csv: string; testFraction?: number; seed?: number }; out: string };
const data = await loadTrainingData(cfg.data, 'half');
const mos = data.test.map((s) => s.score);
const rows: string[][] = [];
const fmt = (v: number) => (Number.isFinite(v) ? Math.abs(v).toFixed(4) : 'n/a');
for (const name of classic) {
  let e;
  try {
    e = getMetricEntry(name);
  } catch {
    continue;
  }
  const m = await e.create({});
  const pred: number[] = [];
  // identical pairs (identity levels of some distortions) give PSNR = Infinity: capped at 100 dB for ranking
  for (const s of data.test) pred.push(Math.min(100, (await m.compute(s.distImage, s.refImage)).score));
  rows.push([name, 'FR', fmt(srcc(pred, mos)), fmt(pearson(pred, mos))]);
}
const read = async (c: string) => JSON.parse(await readFile(c, 'utf8')) as { out: string };
for (const [label, c] of [['yoto joint', jointCfg], ['yoto NR-only', nrCfg]] as const) {
  const p = join((await read(c)).out, 'metrics.json');
  if (!existsSync(p)) continue;
  const r = JSON.parse(await readFile(p, 'utf8')) as { results: { mode: string; srcc: number; plcc: number }[] };
  for (const x of r.results) rows.push([label, x.mode, fmt(x.srcc), fmt(x.plcc)]);
}
if (cvrkdCfg) {
  const p = join((await read(cvrkdCfg)).out, 'metrics.json');
  if (existsSync(p)) {
    const r = JSON.parse(await readFile(p, 'utf8')) as { results: { role: string; srcc: number; plcc: number; meanSpread: number; plccLogistic4: number }[] };
    for (const x of r.results) rows.push([`cvrkd ${x.role}`, x.role === "teacher" ? "FR" : "NAR", fmt(x.srcc), fmt(x.plcc), `logistic4 ${fmt(x.plccLogistic4)}`, `spread ${x.meanSpread.toFixed(4)}`]);
  }
}
console.log(`held-out contents: ${data.testContents.join(', ')} (${data.test.length} images); |SRCC| |PLCC| (raw predictions)`);
for (const r of rows) console.log(r.join('\t'));
