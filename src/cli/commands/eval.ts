/**
 * `iqa eval -m <metrics> -d <datasets>`: runs metrics over labelled datasets (cached per-image scores, resumable),
 * prints SRCC/KRCC/PLCC per metric x dataset, the Waterloo D/L/P tests for synthetic sets with levels, and with
 * `--out` writes JSON/CSV/HTML reports and a scatter plot per metric x dataset.
 * A dataset is `NAME=ROOT` (a known dataset: kadid10k, tid2013, live, ...), a generic CSV file, or a folder holding
 * one CSV (e.g. the output of `iqa synth`).
 */
import type { Command } from 'commander';
import { table } from '../output.js';
import { progress } from '../progress.js';

interface EvalFlags {
  metric: string;
  dataset: string[];
  out?: string;
  cache?: string;
  json?: boolean;
  csv?: boolean;
  workers?: string;
  split?: string;
  part?: string;
  repeat?: string;
  bootstrap?: string;
  waterloo?: boolean;
  quiet?: boolean;
}

async function loadSpec(spec: string) {
  const { loadNamedDataset, loadGenericCsv } = await import('../../data/datasets/index.js');
  const { isDirectory } = await import('../../io/pairing.js');
  const eq = spec.indexOf('=');
  if (eq > 0 && !spec.toLowerCase().endsWith('.csv')) return loadNamedDataset(spec.slice(0, eq), { root: spec.slice(eq + 1) });
  if (await isDirectory(spec)) {
    const { readdir } = await import('node:fs/promises');
    const csvs = (await readdir(spec)).filter((f) => f.toLowerCase().endsWith('.csv'));
    if (csvs.length !== 1) throw new Error(`-d ${spec}: expected a folder with exactly one CSV label file, found ${csvs.length ? csvs.join(', ') : 'none'}`);
    const { join } = await import('node:path');
    return loadGenericCsv({ file: join(spec, csvs[0]) });
  }
  return loadGenericCsv({ file: spec });
}

export function register(program: Command): void {
  program
    .command('eval')
    .description('evaluate metrics against subjective scores (SRCC/KRCC/PLCC, Waterloo D/L/P tests), with plots and reports')
    .requiredOption('-m, --metric <names>', 'comma-separated metric names')
    .requiredOption('-d, --dataset <spec...>', 'NAME=ROOT, a generic CSV, or a folder with one CSV (e.g. from `iqa synth`)')
    .option('--out <dir>', 'write results.{txt,json,csv,html} and plots/ here')
    .option('--cache <dir>', 'per-image score cache (default <out>/cache); makes runs resumable')
    .option('--split <file>', 'evaluate only one part of a saved split (JSON from the splits API)')
    .option('--part <part>', 'train | val | test (default test)', 'test')
    .option('--repeat <n>', 'which repeat of the split (default 0)', '0')
    .option('--bootstrap <n>', 'bootstrap resamples for confidence intervals (default none)')
    .option('--no-waterloo', 'skip the D/L/P tests')
    .option('--workers <n>', 'worker threads (default: all cores)')
    .option('--json', 'print JSON')
    .option('--csv', 'print CSV')
    .option('-q, --quiet', 'no progress bar')
    .action(async (flags: EvalFlags) => {
      const { parseMetricList } = await import('../scoring.js');
      const { runEvaluation } = await import('../../eval/run-node.js');
      const { formatTable, toCsv, toJson } = await import('../../eval/report.js');
      const { splitsFromJson, selectSplit } = await import('../../eval/splits.js');
      const { readFile } = await import('node:fs/promises');
      const { join } = await import('node:path');
      const metrics = parseMetricList(flags.metric);
      let datasets = await Promise.all(flags.dataset.map(loadSpec));
      if (flags.split) {
        const text = await readFile(flags.split, 'utf8');
        datasets = datasets.map((ds) => {
          const set = splitsFromJson(text, ds, flags.split);
          const split = set.splits[Number(flags.repeat)];
          if (!split) throw new Error(`--repeat ${flags.repeat}: the split file has ${set.splits.length} repeats`);
          return { ...ds, items: selectSplit(ds.items, split, (flags.part ?? 'test') as 'train' | 'val' | 'test') };
        });
      }
      const total = datasets.reduce((s, d) => s + d.items.length, 0) * metrics.length;
      const bar = progress(total, !flags.quiet);
      let last = 0;
      const res = await runEvaluation({
        metrics,
        datasets,
        cacheDir: flags.cache ?? (flags.out ? join(flags.out, 'cache') : undefined),
        plotDir: flags.out ? join(flags.out, 'plots') : undefined,
        workers: flags.workers ? Number(flags.workers) : undefined,
        waterloo: flags.waterloo,
        bootstrap: flags.bootstrap ? Number(flags.bootstrap) : undefined,
        onProgress: (done, _t, label) => {
          if (done > last) bar.tick(label);
          last = done;
        },
      });
      bar.stop();
      const wl = res.waterloo.map((w) => ({ metric: w.metric, dataset: w.dataset, D: w.result.d.D, L: w.result.l.srcc, P: w.result.p.P }));
      if (flags.json) console.log(JSON.stringify({ results: JSON.parse(toJson(res.rows)), waterloo: wl, failures: res.failures }, null, 2));
      else if (flags.csv) console.log(toCsv(res.rows).trimEnd());
      else {
        console.log(formatTable(res.rows));
        if (wl.length) {
          console.log('\nWaterloo Exploration tests (D: pristine/distorted separability, L: level ranking, P: pair preference)');
          console.log(table(['metric', 'dataset', 'D', 'L', 'P'], wl.map((w) => [w.metric, w.dataset, w.D.toFixed(4), w.L.toFixed(4), w.P.toFixed(4)])));
        }
      }
      if (flags.out) {
        const { writeReport } = await import('../../eval/report-write.js');
        const { writeOutput } = await import('../../io/files.js');
        const files = await writeReport(flags.out, res.rows, { title: 'iqa eval', meta: { metrics, datasets: datasets.map((d) => d.name) } });
        if (wl.length) await writeOutput(join(flags.out, 'waterloo.json'), JSON.stringify(wl, null, 2));
        console.error(`wrote ${files.join(', ')}`);
      }
      for (const s of res.skipped) console.error(`note: ${s}`);
      for (const f of res.failures.slice(0, 20)) console.error(`error: ${f.metric} on ${f.image}: ${f.error}`);
      if (res.failures.length > 20) console.error(`... and ${res.failures.length - 20} more failures`);
      process.exitCode = res.failures.length ? 2 : 0;
    });
}
