/**
 * End-to-end CPU run for QFM-IQM and MFENet (issue 8): trains the CPU-sized full models and each ablation with the
 * same budget on a synthetic set (see docs/models-nr.md for how it is generated), evaluates on the held-out contents,
 * and adds NIQE, BRISQUE and PIQE on the same test images. Not run in CI (minutes):
 *   node --import tsx tools/nr-models-e2e.ts [qfm|mfenet|classic ...]
 * Writes /tmp/nrm/runs/<name>/result.json and prints a table.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { readNrConfig, trainFromConfig, type NrTrainConfig } from '../src/train/nr-models.js';

const which = new Set(process.argv.slice(2).length ? process.argv.slice(2) : ['qfm', 'mfenet', 'classic']);
const rows: string[] = [];
const log = (s: string) => console.error(`[${new Date().toISOString().slice(11, 19)}] ${s}`);

async function run(base: string, name: string, edit: (c: NrTrainConfig) => void): Promise<void> {
  const cfg = await readNrConfig(base);
  cfg.out = `/tmp/nrm/runs/${name}`;
  edit(cfg);
  const r = await trainFromConfig(cfg, log);
  rows.push(`| ${name} | ${r.test.srcc.toFixed(3)} | ${r.test.plcc.toFixed(3)} | ${r.seconds.toFixed(0)} |`);
  console.log(rows[rows.length - 1]);
}

if (which.has('qfm')) {
  const q = 'configs/qfm-iqm-cpu.json';
  await run(q, 'qfm-full', () => {});
  await run(q, 'qfm-no-distill', (c) => (c.qfm!.distill = null));
  await run(q, 'qfm-no-gate', (c) => ((c.model.gate = false), (c.qfm!.distill = null)));
  await run(q, 'qfm-no-sens', (c) => ((c.qfm!.lambdaSens = 0), (c.qfm!.distill = null)));
  await run(q, 'qfm-no-match', (c) => ((c.qfm!.lambdaMatch = 0), (c.qfm!.distill = null)));
  await run(q, 'qfm-deiqt-baseline', (c) => ((c.model.gate = false), (c.qfm!.lambdaSens = 0), (c.qfm!.lambdaMatch = 0), (c.qfm!.distill = null)));
}
if (which.has('mfenet')) {
  const m = 'configs/mfenet-cpu.json';
  await run(m, 'mfenet-full', () => {});
  await run(m, 'mfenet-no-hfen', (c) => (c.model.hfen = false));
  await run(m, 'mfenet-no-aff', (c) => (c.model.aff = false));
  await run(m, 'mfenet-no-ffm', (c) => (c.model.ffm = false));
  await run(m, 'mfenet-no-dan', (c) => (c.model.dan = false));
  await run(m, 'mfenet-plain-van', (c) => ((c.model.hfen = false), (c.model.dan = false), (c.mfenet!.lambdaCls = 0)));
}
if (which.has('classic')) {
  // NIQE / BRISQUE / PIQE on the same held-out images (the test split of a result.json)
  const { createMetric } = await import('../src/api.js');
  const { readImage } = await import('../src/io/decode.js');
  const { correlate } = await import('../src/eval/correlation.js');
  const { parse } = await import('csv-parse/sync');
  const ref = JSON.parse(await readFile('/tmp/nrm/runs/qfm-full/result.json', 'utf8').catch(() => readFile('/tmp/nrm/runs/mfenet-full/result.json', 'utf8'))) as { testContents: string[] };
  const test = new Set(ref.testContents);
  const items = (parse(await readFile('/tmp/nrm/set/labels.csv', 'utf8'), { columns: true }) as Record<string, string>[]).filter((r) => test.has(r.content));
  for (const name of ['niqe', 'brisque', 'piqe']) {
    const m = await createMetric(name);
    const pred: number[] = [];
    for (const r of items) pred.push((await m.compute(await readImage(`/tmp/nrm/set/${r.dist}`))).score);
    const c = correlate(pred, items.map((r) => Number(r.score)), { predictionDirection: 'lower-better', fits: [] });
    rows.push(`| ${name} | ${c.srcc.toFixed(3)} | ${c.plcc.toFixed(3)} | - |`);
    console.log(rows[rows.length - 1]);
  }
}
await writeFile(`/tmp/nrm/runs/table-${[...which].join('-')}.md`, ['| model | SRCC | PLCC | s |', '|---|---|---|---|', ...rows].join('\n') + '\n');
