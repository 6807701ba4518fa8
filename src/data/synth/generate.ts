/**
 * `synthesize`: the synthetic IQA set generator (Node). Reads every image under a pristine folder (recursively),
 * writes its reference and each KADID-10k type x level as PNG, and a label CSV in the generic format
 * `ref,dist,score,std,type,level,content` (paths relative to the output folder; score = pseudo-MOS, see
 * pseudo-mos.ts, optionally replaced by a caller's blend with an FR metric).
 * Parallel over images with worker_threads; deterministic for any worker count (per-output seeds derive from the
 * global seed, content name, type and level); resumable (complete outputs are kept, writes are atomic).
 */
import { readdir, readFile, stat } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { join, relative, sep, extname } from 'node:path';
import { Worker } from 'node:worker_threads';
import { stringify } from 'csv-stringify/sync';
import { readImage } from '../../io/decode.js';
import { writeFileAtomic } from '../../io/atomic.js';
import { expected, IqaError } from '../../tensor/errors.js';
import type { Image } from '../../tensor/image.js';
import { lookupPseudoMos, parsePseudoMos, type PseudoMosTable } from './pseudo-mos.js';
import { DISTORTIONS, distortionType } from './types.js';
import { distPath, processImage, refPath, type FromWorker, type ImageJob, type ImageResult, type ToWorker } from './worker.js';

export interface SynthRecord {
  /** Reference PNG, relative to the output folder ('/'-separated). */
  readonly ref: string;
  /** Distorted PNG, relative to the output folder. */
  readonly dist: string;
  /** Label on KADID's 1..5 MOS scale (higher = better): the pseudo-MOS unless `score` replaced it. */
  readonly score: number;
  /** Spread of KADID's MOS over its references for this type and level. */
  readonly std: number;
  /** Distortion name (types.ts). */
  readonly type: string;
  readonly typeId: number;
  readonly level: number;
  /** Content name (pristine path without extension). */
  readonly content: string;
  /** The pseudo-MOS itself (equal to `score` without a `score` callback). */
  readonly pseudoMos: number;
}

export interface SynthProgress {
  /** Outputs finished (written or skipped) of `total`. */
  readonly done: number;
  readonly total: number;
  readonly written: number;
  readonly skipped: number;
  readonly images: number;
  readonly imagesDone: number;
}

export interface SynthOptions {
  /** Folder of pristine images (searched recursively: png, jpg, jpeg, bmp, tif, tiff, webp). */
  pristine: string;
  /** Output folder (created): ref/, dist/, labels.csv, synth.json. */
  out: string;
  /** Global seed (default 0). */
  seed?: number;
  /** Distortion names or KADID numbers (default: all 25). */
  types?: ReadonlyArray<string | number>;
  /** Levels 1..5 (default all). */
  levels?: readonly number[];
  /** Parallel workers over images (default min(2, cores)); 1 runs in this thread. */
  workers?: number;
  /** Shrink images whose longer side exceeds this (0 = keep; default 0 here, the CLI sets its own default). */
  maxSide?: number;
  /** Pseudo-MOS table or the path of kadid10k_mos_by_type_level.csv (required; the CLI resolves the shared copy). */
  pseudoMos: string | PseudoMosTable;
  /**
   * Optional label hook, called once per output after generation (in this thread): returns the score to write.
   * `load` decodes the reference and distorted PNGs. See `blendWithFr`.
   */
  score?: (rec: SynthRecord, load: () => Promise<{ ref: Image; dist: Image }>) => number | Promise<number>;
  /** PNG zlib level (default 3: about 10% larger than 6, much faster). */
  pngCompression?: number;
  onProgress?: (p: SynthProgress) => void;
}

export interface SynthSummary {
  readonly out: string;
  readonly csv: string;
  readonly images: number;
  readonly outputs: number;
  readonly written: number;
  readonly skipped: number;
  readonly seconds: number;
  readonly seed: number;
  readonly maxSide: number;
  readonly workers: number;
  readonly types: readonly string[];
  readonly levels: readonly number[];
}

const IMAGE_EXT = new Set(['.png', '.jpg', '.jpeg', '.bmp', '.tif', '.tiff', '.webp']);

/** Every image file under `dir`, sorted by relative path. */
export async function listImages(dir: string): Promise<string[]> {
  const out: string[] = [];
  const walk = async (d: string): Promise<void> => {
    let entries;
    try {
      entries = await readdir(d, { withFileTypes: true });
    } catch (e) {
      throw new IqaError(`synthesize: pristine folder ${d}: cannot read: ${(e as Error).message}`, 'E_READ', { cause: e });
    }
    for (const e of entries) {
      const p = join(d, e.name);
      // Symbolic links are followed (a pristine folder may be a set of links).
      const st = e.isSymbolicLink() ? await stat(p) : e;
      if (st.isDirectory()) await walk(p);
      else if (st.isFile() && IMAGE_EXT.has(extname(e.name).toLowerCase())) out.push(p);
    }
  };
  await walk(dir);
  return out.sort((a, b) => (relative(dir, a) < relative(dir, b) ? -1 : 1));
}

/** Content name of a pristine file: relative path without extension, '/'-separated. */
export function contentName(root: string, file: string): string {
  const r = relative(root, file);
  return r.slice(0, r.length - extname(r).length).split(sep).join('/');
}

/**
 * A `score` callback that blends the pseudo-MOS with an FR metric: score = (1 - weight) * pseudoMos +
 * weight * toMos(fr(ref, dist)). `toMos` maps the metric onto the 1..5 MOS scale (e.g. a logistic fitted on
 * KADID); the blend is only as good as that mapping.
 */
export function blendWithFr(
  fr: (ref: Image, dist: Image) => number | Promise<number>,
  opts: { weight: number; toMos: (frScore: number) => number },
): NonNullable<SynthOptions['score']> {
  if (!(opts.weight >= 0 && opts.weight <= 1)) throw expected('blendWithFr', 'weight', 'a number in [0, 1]', String(opts.weight));
  return async (rec, load) => {
    const { ref, dist } = await load();
    return (1 - opts.weight) * rec.pseudoMos + opts.weight * opts.toMos(await fr(ref, dist));
  };
}

/**
 * Starts a worker running worker.ts/.js. Under tsx (tests, `node --import tsx`) this module is TypeScript and the
 * worker needs the same loader: a tiny bootstrap registers tsx's ESM hooks in the worker, then imports worker.ts.
 */
function startWorker(): Worker {
  const workerData = { iqaSynthWorker: true };
  if (!import.meta.url.endsWith('.ts')) return new Worker(new URL('./worker.js', import.meta.url), { workerData });
  const tsxApi = import.meta.resolve('tsx/esm/api');
  const entry = new URL('./worker.ts', import.meta.url).href;
  const code = `import(${JSON.stringify(tsxApi)}).then((m) => { m.register(); return import(${JSON.stringify(entry)}); });`;
  return new Worker(code, { eval: true, workerData });
}

/** Runs jobs on `n` worker threads, one image at a time per worker, in job order. */
async function runPool(jobs: ImageJob[], n: number, onOutput: (w: boolean) => void, onDone: (r: ImageResult) => void): Promise<void> {
  let next = 0;
  let failed: Error | null = null;
  const runOne = (): Promise<void> =>
    new Promise((resolve, reject) => {
      const w = startWorker();
      const feed = (): void => {
        if (failed || next >= jobs.length) {
          w.postMessage({ kind: 'stop' } satisfies ToWorker);
          return;
        }
        w.postMessage({ kind: 'job', job: jobs[next++] } satisfies ToWorker);
      };
      w.on('message', (m: FromWorker) => {
        if (m.kind === 'output') onOutput(m.written);
        else if (m.kind === 'done') {
          onDone(m.result);
          feed();
        } else {
          failed ??= new IqaError(`synthesize: ${m.content}: ${m.message}`, 'E_SYNTH');
          w.postMessage({ kind: 'stop' } satisfies ToWorker);
        }
      });
      w.on('error', (e: unknown) => {
        failed ??= e instanceof Error ? e : new Error(String(e));
        reject(e);
      });
      w.on('exit', () => (failed ? reject(failed) : resolve()));
      feed();
    });
  // allSettled: on a failure the other workers finish their current image and exit before the error is thrown,
  // so nothing is still writing into the output folder when the caller sees it
  const settled = await Promise.allSettled(Array.from({ length: Math.min(n, jobs.length) }, runOne));
  if (failed) throw failed;
  for (const r of settled) if (r.status === 'rejected') throw r.reason;
}

/** Generates the synthetic set; see `SynthOptions`. Returns a summary; the labels are in `<out>/labels.csv`. */
export async function synthesize(opts: SynthOptions): Promise<SynthSummary> {
  const t0 = performance.now();
  const seed = opts.seed ?? 0;
  if (!Number.isInteger(seed)) throw expected('synthesize', 'seed', 'an integer', String(seed));
  const types = (opts.types ?? DISTORTIONS.map((d) => d.id)).map((t) => distortionType(t));
  const levels = [...(opts.levels ?? [1, 2, 3, 4, 5])];
  for (const l of levels) if (!Number.isInteger(l) || l < 1 || l > 5) throw expected('synthesize', 'level', 'integers 1..5', String(l));
  const maxSide = opts.maxSide ?? 0;
  if (!Number.isInteger(maxSide) || maxSide < 0) throw expected('synthesize', 'maxSide', 'a non-negative integer', String(maxSide));
  const workers = opts.workers ?? Math.min(2, availableParallelism());
  if (!Number.isInteger(workers) || workers < 1) throw expected('synthesize', 'workers', 'a positive integer', String(workers));
  const table = typeof opts.pseudoMos === 'string' ? parsePseudoMos(await readText(opts.pseudoMos), opts.pseudoMos) : opts.pseudoMos;
  for (const t of types) for (const l of levels) lookupPseudoMos(table, t.id, l);

  const files = await listImages(opts.pristine);
  if (files.length === 0) throw new IqaError(`synthesize: pristine folder ${opts.pristine}: expected image files, got none`, 'E_READ');
  const seen = new Map<string, string>();
  for (const f of files) {
    const c = contentName(opts.pristine, f);
    if (seen.has(c)) throw new IqaError(`synthesize: ${f} and ${seen.get(c)} map to the same content name '${c}'`, 'E_ARG');
    seen.set(c, f);
  }
  await checkManifest(opts.out, { seed, maxSide });
  const png = opts.pngCompression ?? 3;
  const jobs: ImageJob[] = files.map((file) => ({
    file,
    content: contentName(opts.pristine, file),
    out: opts.out,
    seed,
    typeIds: types.map((t) => t.id),
    levels,
    maxSide,
    pngCompression: png,
  }));

  const total = jobs.length * types.length * levels.length;
  let done = 0;
  let written = 0;
  let skipped = 0;
  let imagesDone = 0;
  const report = (): void => opts.onProgress?.({ done, total, written, skipped, images: jobs.length, imagesDone });
  const onOutput = (w: boolean): void => {
    done++;
    if (w) written++;
    else skipped++;
    report();
  };
  const onDone = (): void => {
    imagesDone++;
    report();
  };
  report();
  if (workers <= 1) {
    for (const job of jobs) {
      await processImage(job, onOutput);
      onDone();
    }
  } else {
    await runPool(jobs, workers, onOutput, onDone);
  }

  const records: SynthRecord[] = [];
  for (const job of jobs) {
    for (const t of types) {
      for (const level of levels) {
        const m = lookupPseudoMos(table, t.id, level);
        const rec: SynthRecord = { ref: refPath(job.content), dist: distPath(job.content, t.id, level), score: m.mean, std: m.std, type: t.name, typeId: t.id, level, content: job.content, pseudoMos: m.mean };
        records.push(rec);
      }
    }
  }
  if (opts.score) {
    for (let i = 0; i < records.length; i++) {
      const r = records[i];
      const s = await opts.score(r, async () => ({ ref: await readImage(join(opts.out, r.ref)), dist: await readImage(join(opts.out, r.dist)) }));
      if (!Number.isFinite(s)) throw expected('synthesize', `score callback for ${r.dist}`, 'a finite number', String(s));
      records[i] = { ...r, score: s };
    }
  }
  const csv = join(opts.out, 'labels.csv');
  await writeFileAtomic(csv, formatLabels(records));
  const summary: SynthSummary = {
    out: opts.out,
    csv,
    images: jobs.length,
    outputs: total,
    written,
    skipped,
    seconds: (performance.now() - t0) / 1000,
    seed,
    maxSide,
    workers,
    types: types.map((t) => t.name),
    levels,
  };
  return summary;
}

/** The generic label CSV: `ref,dist,score,std,type,level,content`. */
export function formatLabels(records: readonly SynthRecord[]): string {
  return stringify(
    records.map((r) => [r.ref, r.dist, r.score, r.std, r.type, r.level, r.content]),
    { header: true, columns: ['ref', 'dist', 'score', 'std', 'type', 'level', 'content'] },
  );
}

async function readText(path: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (e) {
    throw new IqaError(`synthesize: pseudo-MOS file ${path}: cannot read: ${(e as Error).message}`, 'E_READ', { cause: e });
  }
}

/**
 * `<out>/synth.json` records the settings that change pixels (seed, maxSide, generator version). Resuming into a
 * folder made with other settings would mix two sets, so it is refused.
 */
async function checkManifest(out: string, settings: { seed: number; maxSide: number }): Promise<void> {
  const path = join(out, 'synth.json');
  const want = { generator: 'iqa-synth', version: 1, ...settings };
  let text: string | null = null;
  try {
    text = await readFile(path, 'utf8');
  } catch {
    text = null;
  }
  if (text !== null) {
    let have: Record<string, unknown>;
    try {
      have = JSON.parse(text) as Record<string, unknown>;
    } catch {
      throw new IqaError(`synthesize: ${path}: expected the JSON written by a previous run, got unparsable text`, 'E_PARSE');
    }
    for (const k of ['version', 'seed', 'maxSide'] as const) {
      if (have[k] !== want[k]) {
        throw new IqaError(`synthesize: ${out}: was generated with ${k} = ${JSON.stringify(have[k])}, this run has ${JSON.stringify(want[k])}: use another output folder (or delete it)`, 'E_ARG');
      }
    }
    return;
  }
  await writeFileAtomic(path, JSON.stringify(want, null, 2) + '\n');
}
