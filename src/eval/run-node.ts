/**
 * `iqa eval` engine (Node): runs metrics over datasets with cached, resumable per-image scores, correlates them with
 * the subjective scores, and, for synthetic sets with distortion levels, runs the Waterloo D/L/P tests.
 * Cache: one JSON-lines file per metric in `cacheDir`, keyed by the image paths and their size/mtime, appended as
 * scores arrive, so a killed run resumes where it stopped.
 */
import { appendFile, mkdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { runBatch, type BatchConfig, type Job } from '../cli/batch.js';
import { getMetricEntry } from '../registry.js';
import type { Dataset, DatasetItem } from '../data/datasets/types.js';
import { evaluatePredictions } from './evaluate.js';
import type { ResultRow } from './report.js';
import { scoreTable, waterlooTests, type WaterlooResult } from './model-free.js';
import { writePlot } from './report-write.js';

export interface EvalRunOptions {
  metrics: string[];
  datasets: Dataset[];
  /** Folder for the per-metric score cache (resumable). No cache when absent. */
  cacheDir?: string;
  /** Folder for plots (SVG + PNG); none when absent. */
  plotDir?: string;
  workers?: number;
  /** Run the Waterloo D/L/P tests where items carry `meta.level` (default true). */
  waterloo?: boolean;
  bootstrap?: number;
  seed?: number;
  onProgress?: (done: number, total: number, label: string) => void;
}

export interface EvalFailure {
  metric: string;
  dataset: string;
  image: string;
  error: string;
}

export interface EvalRunResult {
  rows: ResultRow[];
  waterloo: { metric: string; dataset: string; result: WaterlooResult }[];
  failures: EvalFailure[];
  /** Notes on tests that could not run (with the reason). */
  skipped: string[];
}

async function cacheKey(dist: string, ref?: string): Promise<string> {
  const sig = async (p: string) => {
    try {
      const s = await stat(p);
      return `${p}@${s.size}:${Math.round(s.mtimeMs)}`;
    } catch {
      return `${p}@missing`;
    }
  };
  return ref ? `${await sig(dist)}|${await sig(ref)}` : await sig(dist);
}

async function loadCache(file: string): Promise<Map<string, number>> {
  const m = new Map<string, number>();
  let text = '';
  try {
    text = await readFile(file, 'utf8');
  } catch {
    return m;
  }
  for (const line of text.split('\n')) {
    if (!line.trim()) continue;
    try {
      const { k, s } = JSON.parse(line) as { k: string; s: number | string };
      m.set(k, typeof s === 'string' ? Number(s) : s);
    } catch {
      // a line cut by a kill: ignore it, the score is recomputed
    }
  }
  return m;
}

/** Scores `jobs` with one metric, reusing and extending the cache. Returns scores in job order (NaN on failure). */
async function scoreAll(metric: string, pairs: { dist: string; ref?: string }[], opts: EvalRunOptions, dataset: string, failures: EvalFailure[]): Promise<Float64Array> {
  const file = opts.cacheDir ? join(opts.cacheDir, `${metric}.jsonl`) : undefined;
  const cache = file ? await loadCache(file) : new Map<string, number>();
  const keys = await Promise.all(pairs.map((p) => cacheKey(p.dist, p.ref)));
  const out = new Float64Array(pairs.length).fill(NaN);
  const todo: Job[] = [];
  pairs.forEach((p, i) => {
    const c = cache.get(keys[i]);
    if (c !== undefined) out[i] = c;
    else todo.push({ id: todo.length, name: String(i), dist: p.dist, ref: p.ref });
  });
  if (todo.length) {
    if (file) await mkdir(opts.cacheDir!, { recursive: true });
    const cfg: BatchConfig = { metrics: [metric], metricOptions: {}, alpha: 'drop', resize: false, wantMaps: false };
    let done = pairs.length - todo.length;
    let pending = Promise.resolve();
    await runBatch(cfg, todo, {
      workers: opts.workers,
      onResult: (r) => {
        const i = Number(r.name);
        const s = r.scores[metric];
        if (s !== undefined) {
          out[i] = s;
          if (file) pending = pending.then(() => appendFile(file, `${JSON.stringify({ k: keys[i], s: Number.isFinite(s) ? s : String(s) })}\n`));
        } else failures.push({ metric, dataset, image: r.dist, error: r.error ?? r.metricErrors[metric] ?? 'unknown error' });
        opts.onProgress?.(++done, pairs.length, `${metric} ${dataset}`);
      },
    });
    await pending;
  }
  return out;
}

/** Runs every metric over every dataset. */
export async function runEvaluation(opts: EvalRunOptions): Promise<EvalRunResult> {
  const rows: ResultRow[] = [];
  const waterloo: EvalRunResult['waterloo'] = [];
  const failures: EvalFailure[] = [];
  const skipped: string[] = [];
  for (const ds of opts.datasets) {
    for (const name of opts.metrics) {
      const entry = getMetricEntry(name);
      const items: readonly DatasetItem[] = entry.mode === 'FR' ? ds.items.filter((it) => it.ref) : ds.items;
      if (items.length === 0) continue;
      const pairs = items.map((it) => ({ dist: it.dist, ref: entry.mode === 'FR' ? it.ref : undefined }));
      const scores = await scoreAll(entry.name, pairs, opts, ds.name, failures);
      const ok = [...scores.keys()].filter((i) => Number.isFinite(scores[i]));
      const plotBase = opts.plotDir ? join(opts.plotDir, `${entry.name}__${ds.name}`) : undefined;
      const ev = evaluatePredictions({
        metric: entry.name,
        dataset: ds.name,
        pred: ok.map((i) => scores[i]),
        target: ok.map((i) => items[i].score),
        predictionDirection: entry.lowerBetter ? 'lower-better' : 'higher-better',
        targetDirection: ds.scoreDirection,
        bootstrap: opts.bootstrap ? { resamples: opts.bootstrap, seed: opts.seed ?? 0 } : undefined,
        plotPath: plotBase ? `plots/${entry.name}__${ds.name}.svg` : undefined,
      });
      rows.push(ev.row);
      if (plotBase) await writePlot(plotBase, ev.svg);
      if ((opts.waterloo ?? true) && ok.length && ok.every((i) => items[i].meta.level !== undefined && items[i].ref)) {
        // pristine scores: NR metrics score the reference itself, FR metrics compare it with itself
        const refs = [...new Set(ok.map((i) => items[i].ref!))];
        const pr = await scoreAll(entry.name, refs.map((r) => ({ dist: r, ref: entry.mode === 'FR' ? r : undefined })), opts, ds.name, failures);
        const pristine = new Map<string, number>();
        refs.forEach((r, k) => !Number.isNaN(pr[k]) && pristine.set(r, pr[k])); // +Infinity (e.g. PSNR of identical images) is a valid, ideal score
        const sub = ok.map((i) => items[i]);
        const table = finiteOrder(scoreTable(sub, ok.map((i) => scores[i]), pristine));
        try {
          waterloo.push({ metric: entry.name, dataset: ds.name, result: waterlooTests(table, { direction: entry.lowerBetter ? 'lower-better' : 'higher-better' }) });
        } catch (e) {
          // e.g. a set with one level per content: the tests are undefined there; say so, keep the correlations
          skipped.push(`${entry.name} on ${ds.name}: Waterloo tests skipped: ${(e as Error).message}`);
        }
      }
    }
  }
  return { rows, waterloo, failures, skipped };
}

/**
 * The D/L/P tests depend only on the order of scores (thresholds, ranks, pairs), so +/-Infinity (PSNR of identical
 * images) is replaced by a value just beyond the finite extremes, which keeps every comparison unchanged.
 */
function finiteOrder<T extends { score: number }>(rows: T[]): T[] {
  const finite = rows.map((r) => r.score).filter(Number.isFinite);
  const hi = Math.max(...finite), lo = Math.min(...finite);
  const span = Math.max(1, hi - lo);
  return rows.map((r) => (Number.isFinite(r.score) ? r : { ...r, score: r.score > 0 ? hi + span : lo - span }));
}
