/**
 * `iqa eval` engine (Node): runs metrics over datasets with cached, resumable per-image scores, correlates them with
 * the subjective scores, and, for synthetic sets with distortion levels, runs the Waterloo D/L/P tests.
 * Cache: one JSON-lines file per metric in `cacheDir`, keyed by the image paths and their size/mtime, appended as
 * scores arrive, so a killed run resumes where it stopped.
 */
import { appendFile, mkdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { runBatch, type BatchConfig, type Job } from '../cli/batch.js';
import { getMetricEntry } from '../registry-node.js';
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

/**
 * Scores `pairs` with several metrics in one pass (each image decoded once), reusing and extending the per-metric
 * caches. Returns one score array per metric, in pair order (NaN where the metric failed on that image).
 */
async function scoreAll(metrics: string[], pairs: { dist: string; ref?: string }[], opts: EvalRunOptions, dataset: string, failures: EvalFailure[]): Promise<Map<string, Float64Array>> {
  const files = new Map(metrics.map((m) => [m, opts.cacheDir ? join(opts.cacheDir, `${m}.jsonl`) : undefined]));
  const caches = new Map<string, Map<string, number>>();
  for (const m of metrics) caches.set(m, files.get(m) ? await loadCache(files.get(m)!) : new Map());
  const keys = await Promise.all(pairs.map((p) => cacheKey(p.dist, p.ref)));
  const out = new Map(metrics.map((m) => [m, new Float64Array(pairs.length).fill(NaN)]));
  const todo: Job[] = [];
  const missing = new Set<string>();
  pairs.forEach((p, i) => {
    let need = false;
    for (const m of metrics) {
      const c = caches.get(m)!.get(keys[i]);
      if (c !== undefined) out.get(m)![i] = c;
      else {
        need = true;
        missing.add(m);
      }
    }
    if (need) todo.push({ id: todo.length, name: String(i), dist: p.dist, ref: p.ref });
  });
  if (todo.length) {
    if (opts.cacheDir) await mkdir(opts.cacheDir, { recursive: true });
    const run = metrics.filter((m) => missing.has(m));
    const cfg: BatchConfig = { metrics: run, metricOptions: {}, alpha: 'drop', resize: false, wantMaps: false };
    let done = pairs.length - todo.length;
    let pending = Promise.resolve();
    await runBatch(cfg, todo, {
      workers: opts.workers,
      onResult: (r) => {
        const i = Number(r.name);
        for (const m of run) {
          const s = r.scores[m];
          if (s !== undefined) {
            out.get(m)![i] = s;
            const file = files.get(m);
            if (file) pending = pending.then(() => appendFile(file, `${JSON.stringify({ k: keys[i], s: Number.isFinite(s) ? s : String(s) })}\n`));
          } else failures.push({ metric: m, dataset, image: r.dist, error: r.error ?? r.metricErrors[m] ?? 'unknown error' });
        }
        opts.onProgress?.(++done, pairs.length, dataset);
      },
    });
    await pending;
  }
  return out;
}

/** Runs every metric over every dataset: one pass over the images for all metrics, then statistics per metric. */
export async function runEvaluation(opts: EvalRunOptions): Promise<EvalRunResult> {
  const rows: ResultRow[] = [];
  const waterloo: EvalRunResult['waterloo'] = [];
  const failures: EvalFailure[] = [];
  const skipped: string[] = [];
  const entries = opts.metrics.map((m) => getMetricEntry(m));
  for (const ds of opts.datasets) {
    // FR metrics need a reference: on a set without references only the NR metrics run
    const usable = entries.filter((e) => e.mode !== 'FR' || ds.items.every((it) => it.ref));
    for (const e of entries) if (!usable.includes(e)) skipped.push(`${e.name} on ${ds.name}: full-reference metric, but the set has items without a reference`);
    if (!usable.length) continue;
    const items: readonly DatasetItem[] = ds.items;
    const scores = await scoreAll(usable.map((e) => e.name), items.map((it) => ({ dist: it.dist, ref: it.ref })), opts, ds.name, failures);
    const withLevels = (opts.waterloo ?? true) && items.length > 0 && items.every((it) => it.meta.level !== undefined && it.ref);
    // pristine scores for the Waterloo tests: NR metrics score the reference itself, FR metrics compare it with itself
    const refs = withLevels ? [...new Set(items.map((it) => it.ref!))] : [];
    const pristineScores = refs.length ? await scoreAll(usable.map((e) => e.name), refs.map((r) => ({ dist: r, ref: r })), opts, `${ds.name} (pristine)`, failures) : undefined;
    for (const entry of usable) {
      const sc = scores.get(entry.name)!;
      const ok = [...sc.keys()].filter((i) => Number.isFinite(sc[i]));
      const plotBase = opts.plotDir ? join(opts.plotDir, `${entry.name}__${ds.name}`) : undefined;
      const ev = evaluatePredictions({
        metric: entry.name,
        dataset: ds.name,
        pred: ok.map((i) => sc[i]),
        target: ok.map((i) => items[i].score),
        predictionDirection: entry.lowerBetter ? 'lower-better' : 'higher-better',
        targetDirection: ds.scoreDirection,
        bootstrap: opts.bootstrap ? { resamples: opts.bootstrap, seed: opts.seed ?? 0 } : undefined,
        plotPath: plotBase ? `plots/${entry.name}__${ds.name}.svg` : undefined,
      });
      rows.push(ev.row);
      if (plotBase) await writePlot(plotBase, ev.svg);
      if (pristineScores && ok.length) {
        const pr = pristineScores.get(entry.name)!;
        const pristine = new Map<string, number>();
        refs.forEach((r, k) => !Number.isNaN(pr[k]) && pristine.set(r, pr[k])); // +Infinity (PSNR of identical images) is a valid, ideal score
        const table = finiteOrder(scoreTable(ok.map((i) => items[i]), ok.map((i) => sc[i]), pristine));
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
