/**
 * The batch engine behind `iqa compare` and `iqa score`: jobs (one image or one pair) run on worker threads, each
 * worker creating the metrics once. A bad file becomes an error row and the batch goes on.
 */
import { Worker } from 'node:worker_threads';
import { availableParallelism } from 'node:os';
import type { Plane } from '../tensor/image.js';

export interface Job {
  id: number;
  name: string;
  dist: string;
  ref?: string;
}

export interface JobResult {
  id: number;
  name: string;
  dist: string;
  ref?: string;
  scores: Record<string, number>;
  /** Per-metric failures (metric name -> message), e.g. an image smaller than the metric's minimum. */
  metricErrors: Record<string, string>;
  /** Failure of the whole job (unreadable file, size mismatch without --resize). */
  error?: string;
  maps?: Record<string, Plane>;
}

export interface BatchConfig {
  metrics: string[];
  metricOptions: Record<string, Record<string, unknown>>;
  alpha: 'drop' | 'white';
  resize: boolean;
  wantMaps: boolean;
}

export interface BatchOptions {
  workers?: number;
  onResult?: (r: JobResult) => void;
}

/** Runs one job in this thread (used by workers and for single jobs). */
export async function runJob(cfg: BatchConfig, job: Job, cache: Map<string, Promise<import('../api.js').MetricHandle>>): Promise<JobResult> {
  const { createMetric } = await import('../api.js');
  const { readImage } = await import('../io/decode.js');
  const { imresizeImage } = await import('../signal/imresize.js');
  const res: JobResult = { id: job.id, name: job.name, dist: job.dist, ref: job.ref, scores: {}, metricErrors: {} };
  try {
    let dist = await readImage(job.dist, { alpha: cfg.alpha });
    const ref = job.ref ? await readImage(job.ref, { alpha: cfg.alpha }) : undefined;
    if (ref && (dist.width !== ref.width || dist.height !== ref.height)) {
      if (!cfg.resize) {
        throw new Error(`image sizes differ: distorted ${job.dist} is ${dist.width}x${dist.height}, reference ${job.ref} is ${ref.width}x${ref.height} (use --resize to resize the distorted image to the reference size)`);
      }
      dist = imresizeImage(dist, ref.width, ref.height);
    }
    if (ref && dist.channels !== ref.channels) {
      throw new Error(`channel counts differ: distorted has ${dist.channels}, reference has ${ref.channels}`);
    }
    for (const m of cfg.metrics) {
      try {
        let h = cache.get(m);
        if (!h) cache.set(m, (h = createMetric(m, cfg.metricOptions[m] ?? {})));
        const out = await (await h).compute(dist, ref);
        res.scores[m] = out.score;
        if (cfg.wantMaps && out.map) (res.maps ??= {})[m] = out.map;
      } catch (e) {
        res.metricErrors[m] = (e as Error).message;
      }
    }
  } catch (e) {
    res.error = (e as Error).message;
  }
  return res;
}

/** Runs all jobs, in parallel on worker threads when there is more than one job. Results come back in job order. */
export async function runBatch(cfg: BatchConfig, jobs: Job[], opts: BatchOptions = {}): Promise<JobResult[]> {
  const nWorkers = Math.max(1, Math.min(opts.workers ?? availableParallelism(), jobs.length));
  const results: JobResult[] = new Array(jobs.length);
  if (nWorkers === 1) {
    const cache = new Map();
    for (const j of jobs) {
      const r = await runJob(cfg, j, cache);
      results[j.id] = r;
      opts.onResult?.(r);
    }
    return results;
  }
  const isTs = import.meta.url.endsWith('.ts');
  const workerUrl = new URL(isTs ? './worker.ts' : './worker.js', import.meta.url);
  let next = 0;
  await Promise.all(
    Array.from({ length: nWorkers }, () => new Promise<void>((resolve, reject) => {
      // under tsx (tests, dev) the worker registers the TypeScript loader before importing worker.ts
      const w = isTs
        ? new Worker(`import('tsx/esm/api').then((t) => { t.register(); return import(${JSON.stringify(workerUrl.href)}); })`, { eval: true, workerData: cfg })
        : new Worker(workerUrl, { workerData: cfg });
      const feed = () => {
        if (next < jobs.length) w.postMessage(jobs[next++]);
        else void w.terminate().then(() => resolve());
      };
      w.on('message', (r: JobResult) => {
        results[r.id] = r;
        opts.onResult?.(r);
        feed();
      });
      w.on('error', reject);
      w.once('online', feed);
    })),
  );
  return results;
}
