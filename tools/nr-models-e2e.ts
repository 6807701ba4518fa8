/**
 * End-to-end CPU run for QFM-IQM and MFENet (issue 8): trains the CPU-sized full models and each ablation with the
 * same budget on a synthetic set (see docs/models-nr.md for how it is generated), evaluates on the held-out contents,
 * and adds NIQE, BRISQUE and PIQE on the same test images. Not run in CI (minutes):
 *   node --import tsx tools/nr-models-e2e.ts [data|qfm|qfm-opt|mfenet|classic ...]
 * `qfm-opt`: the full QFM-IQM against full + adversarial ε refinement and full + L_con (§3.6's optional parts), for
 * each seed of NRM_SEEDS (comma list, default 0; seed s sets train.seed and model.seed, the content split stays seed 0).
 * `qfm-feat`: the full QFM-IQM against full + the student's feature distillation (λ_f = 0.1), same seeds.
 * Data in $NRM_DATA (default /tmp/nrm: set/, unlabelled/); writes $NRM_RUNS/<name>/result.json (default
 * $NRM_DATA/runs) and prints a table.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { readNrConfig, trainFromConfig, type NrTrainConfig } from '../src/train/nr-models.js';

const which = new Set(process.argv.slice(2).length ? process.argv.slice(2) : ['data', 'qfm', 'mfenet', 'classic']);
const rows: string[] = [];
const log = (s: string) => console.error(`[${new Date().toISOString().slice(11, 19)}] ${s}`);
const DATA = process.env.NRM_DATA ?? '/tmp/nrm';
const RUNS = process.env.NRM_RUNS ?? `${DATA}/runs`;
const SEEDS = (process.env.NRM_SEEDS ?? '0').split(',').map(Number);

async function run(base: string, name: string, edit: (c: NrTrainConfig) => void): Promise<void> {
  const cfg = await readNrConfig(base);
  cfg.out = `${RUNS}/${name}`;
  // the configs read ../synth-small (iqa train's layout): point them at this tool's generated sets
  cfg.data.csv = `${DATA}/set/labels.csv`;
  if (cfg.qfm?.distill) cfg.qfm.distill.csv = `${DATA}/unlabelled/labels.csv`;
  edit(cfg);
  const r = await trainFromConfig(cfg, log);
  rows.push(`| ${name} | ${r.test.srcc.toFixed(3)} | ${r.test.plcc.toFixed(3)} | ${r.seconds.toFixed(0)} |`);
  console.log(rows[rows.length - 1]);
}

/** Name suffix and config edit for seed s of the multi-seed groups (seed s sets train.seed and model.seed). */
const seedRun = (seed: number): [string, (c: NrTrainConfig) => void] => [seed ? `-s${seed}` : '', (c) => ((c.train.seed = seed), (c.model.seed = seed))];

if (which.has('data')) {
  // 20 BSD100 contents (first 20 files) shrunk to 128 px; labelled: 8 KADID types x 5 levels (seed 1);
  // unlabelled (QFM distillation): 5 other types x 5 levels of the same references (seed 2; test contents dropped by the trainer)
  const { mkdir, readdir, symlink } = await import('node:fs/promises');
  const { synthesize } = await import('../src/data/synth/generate.js');
  const src = '/work/shared/data/pristine/bsd100';
  await mkdir(`${DATA}/pristine`, { recursive: true });
  for (const f of (await readdir(src)).sort().slice(0, 20)) await symlink(`${src}/${f}`, `${DATA}/pristine/${f}`).catch(() => {});
  const pseudoMos = '/work/shared/data/labels/kadid10k_mos_by_type_level.csv';
  await synthesize({ pristine: `${DATA}/pristine`, out: `${DATA}/set`, seed: 1, types: [1, 3, 10, 11, 13, 16, 21, 25], maxSide: 128, workers: 1, pseudoMos });
  await synthesize({ pristine: `${DATA}/pristine`, out: `${DATA}/unlabelled`, seed: 2, types: [2, 12, 14, 17, 24], maxSide: 128, workers: 1, pseudoMos });
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
if (which.has('qfm-opt')) {
  const q = 'configs/qfm-iqm-cpu.json';
  for (const seed of SEEDS) {
    const [sfx, seeded] = seedRun(seed);
    await run(q, `qfm-full${sfx}`, seeded);
    await run(q, `qfm-full-adv-eps${sfx}`, (c) => (seeded(c), (c.qfm!.advEps = { eta: 0.05, max: 0.3 })));
    await run(q, `qfm-full-con${sfx}`, (c) => (seeded(c), (c.qfm!.lambdaCon = 0.1), (c.qfm!.conMargin = 0.5), (c.qfm!.conTauQuantile = 0.75), (c.qfm!.conMinDy = 0.2)));
  }
}
if (which.has('qfm-feat')) {
  // stage B's feature distillation λ_f·MSE(z_s, z_t) at the design's 0.1 against the full model without it
  const q = 'configs/qfm-iqm-cpu.json';
  for (const seed of SEEDS) {
    const [sfx, seeded] = seedRun(seed);
    if (!which.has('qfm-opt')) await run(q, `qfm-full${sfx}`, seeded);
    await run(q, `qfm-full-feat${sfx}`, (c) => (seeded(c), (c.qfm!.distill!.lambdaF = 0.1)));
  }
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
  const ref = JSON.parse(await readFile(`${RUNS}/qfm-full/result.json`, 'utf8').catch(() => readFile(`${RUNS}/mfenet-full/result.json`, 'utf8'))) as { testContents: string[] };
  const test = new Set(ref.testContents);
  const items = (parse(await readFile(`${DATA}/set/labels.csv`, 'utf8'), { columns: true }) as Record<string, string>[]).filter((r) => test.has(r.content));
  for (const name of ['niqe', 'brisque', 'piqe']) {
    const m = await createMetric(name);
    const pred: number[] = [];
    for (const r of items) pred.push((await m.compute(await readImage(`${DATA}/set/${r.dist}`))).score);
    const c = correlate(pred, items.map((r) => Number(r.score)), { predictionDirection: 'lower-better', fits: [] });
    rows.push(`| ${name} | ${c.srcc.toFixed(3)} | ${c.plcc.toFixed(3)} | - |`);
    console.log(rows[rows.length - 1]);
  }
}
await writeFile(`${RUNS}/table-${[...which].join('-')}.md`, ['| model | SRCC | PLCC | s |', '|---|---|---|---|', ...rows].join('\n') + '\n');
