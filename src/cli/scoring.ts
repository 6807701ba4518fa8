/**
 * Shared body of `iqa compare` (FR pairs) and `iqa score` (NR images): builds the jobs, runs the batch with a
 * progress bar, writes maps, prints results. Exit code: 0 all scored, 2 some files or metrics failed,
 * 3 nothing to score (no pairs / no images).
 */
import { writeFile, mkdir } from 'node:fs/promises';
import { basename, extname, join, dirname } from 'node:path';
import { runBatch, type BatchConfig, type Job } from './batch.js';
import { renderResults, type OutputFormat } from './output.js';
import { progress } from './progress.js';

export interface ScoringFlags {
  metric: string;
  json?: boolean;
  csv?: boolean;
  map?: string;
  resize?: boolean;
  workers?: string;
  alpha?: string;
  quiet?: boolean;
  options?: string;
}

export function parseMetricList(s: string): string[] {
  const ms = s.split(',').map((x) => x.trim()).filter(Boolean);
  if (ms.length === 0) throw new Error('no metric given: use -m ssim,fsim');
  return ms;
}

export async function runScoring(jobs: Job[], flags: ScoringFlags, singleInput: boolean): Promise<number> {
  const { getMetricEntry } = await import('../registry.js');
  const metrics = parseMetricList(flags.metric).map((m) => getMetricEntry(m).name); // fail fast on unknown names
  const alpha = flags.alpha ?? 'drop';
  if (alpha !== 'drop' && alpha !== 'white') throw new Error(`--alpha: expected drop or white, got ${alpha}`);
  const workers = flags.workers !== undefined ? Number(flags.workers) : undefined;
  if (workers !== undefined && !(Number.isInteger(workers) && workers >= 1)) throw new Error(`--workers: expected a positive integer, got ${flags.workers}`);
  let metricOptions: Record<string, Record<string, unknown>> = {};
  if (flags.options) {
    try {
      metricOptions = JSON.parse(flags.options) as Record<string, Record<string, unknown>>;
    } catch (e) {
      throw new Error(`--options: expected JSON like '{"ssim":{"downsample":false}}', got ${flags.options}`);
    }
  }
  if (jobs.length === 0) {
    console.error('nothing to score');
    return 3;
  }
  const cfg: BatchConfig = { metrics, metricOptions, alpha, resize: !!flags.resize, wantMaps: !!flags.map };
  const bar = progress(jobs.length, !flags.quiet);
  const results = await runBatch(cfg, jobs, { workers, onResult: (r) => bar.tick(r.name) });
  bar.stop();
  const format: OutputFormat = flags.json ? 'json' : flags.csv ? 'csv' : 'table';
  console.log(renderResults(results, metrics, format));
  let failed = 0;
  for (const r of results) {
    if (r.error) console.error(`error: ${r.name}: ${r.error}`);
    for (const [m, e] of Object.entries(r.metricErrors)) console.error(`error: ${r.name}: ${m}: ${e}`);
    if (r.error || Object.keys(r.metricErrors).length) failed++;
  }
  if (flags.map) await writeMaps(results, flags.map, singleInput);
  return failed ? 2 : 0;
}

async function writeMaps(results: Awaited<ReturnType<typeof runBatch>>, target: string, single: boolean): Promise<void> {
  const { encodeHeatmap } = await import('../io/encode.js');
  const { getMetricEntry } = await import('../registry.js');
  let written = 0;
  for (const r of results) {
    for (const [m, map] of Object.entries(r.maps ?? {})) {
      const e = getMetricEntry(m);
      const path = single && Object.keys(r.maps ?? {}).length === 1 && extname(target)
        ? target
        : join(single && extname(target) ? dirname(target) : target, `${basename(r.name, extname(r.name))}.${m}.png`);
      await mkdir(dirname(path), { recursive: true });
      // bright = better: invert maps of lower-is-better metrics (e.g. GMSD's deviation map)
      await writeFile(path, await encodeHeatmap(map, { invert: e.lowerBetter }));
      written++;
    }
  }
  if (written === 0) console.error(`warning: --map: none of the chosen metrics produces a quality map`);
  else console.error(`wrote ${written} quality map(s) to ${target}`);
}
