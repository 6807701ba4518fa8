/**
 * End-to-end CPU run for QFM-IQM and MFENet (issue 8): trains the CPU-sized full models and each ablation with the
 * same budget on a synthetic set (see docs/models-nr.md for how it is generated), evaluates on the held-out contents,
 * and adds NIQE, BRISQUE and PIQE on the same test images. Not run in CI (minutes):
 *   node --import tsx tools/nr-models-e2e.ts [data|qfm|mfenet|classic ...]
 * Writes /tmp/nrm/runs/<name>/result.json and prints a table.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { readNrConfig, trainFromConfig, type NrTrainConfig } from '../src/train/nr-models.js';

const which = new Set(process.argv.slice(2).length ? process.argv.slice(2) : ['data', 'qfm', 'mfenet', 'classic']);
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

if (which.has('data')) {
  // 20 BSD100 contents (first 20 files) shrunk to 128 px; labelled: 8 KADID types x 5 levels (seed 1);
  // unlabelled (QFM distillation): 5 other types x 5 levels of the same references (seed 2; test contents dropped by the trainer)
  const { mkdir, readdir, symlink } = await import('node:fs/promises');
  const { synthesize } = await import('../src/data/synth/generate.js');
  const src = '/work/shared/data/pristine/bsd100';
  await mkdir('/tmp/nrm/pristine', { recursive: true });
  for (const f of (await readdir(src)).sort().slice(0, 20)) await symlink(`${src}/${f}`, `/tmp/nrm/pristine/${f}`).catch(() => {});
  const pseudoMos = '/work/shared/data/labels/kadid10k_mos_by_type_level.csv';
  await synthesize({ pristine: '/tmp/nrm/pristine', out: '/tmp/nrm/set', seed: 1, types: [1, 3, 10, 11, 13, 16, 21, 25], maxSide: 128, workers: 1, pseudoMos });
  await synthesize({ pristine: '/tmp/nrm/pristine', out: '/tmp/nrm/unlabelled', seed: 2, types: [2, 12, 14, 17, 24], maxSide: 128, workers: 1, pseudoMos });
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
