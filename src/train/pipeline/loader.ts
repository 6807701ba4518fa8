/**
 * `BatchLoader`: training batches decoded, cropped and augmented on `node:worker_threads` workers while the previous
 * batch computes (prefetch depth k: batches s+1..s+k are prepared while the consumer holds batch s).
 *
 *   const loader = new BatchLoader(samples, { batch: 8, crop: 64, ref: true, norm: 'half' }, { seed: 20, workers: 2 });
 *   for (let e = 0; e < epochs; e++) for await (const b of loader.epoch(e)) await step(b.x, b.y, b.targets);
 *   await loader.close();
 *
 * Batches (pixels and order) are a function of (seed, epoch, batch index) only (recipe.ts): identical for any
 * worker count (0 = in this thread) and prefetch depth, and `epoch(e, b)` / `steps(s)` resume mid-way with the
 * batches an uninterrupted run would have seen. A file that cannot be read or decoded fails the iteration with an
 * IqaError naming it (and the workers are terminated), or with `onBadFile: 'skip'` is left out of its batch and
 * reported. Workers are started on first use, hold the process open only while they have work, and are
 * terminated by `close()`.
 */
import { Worker } from 'node:worker_threads';
import { IqaError, expected } from '../../tensor/errors.js';
import { ImageCache } from './cache.js';
import { decodeForBatch } from './decode.js';
import { assembleBatch, batchesPerEpoch, epochOrder, type BatchPixels, type BatchPlan, type BatchRecipe, type DecodedImage, type LoaderSample, type SkippedSample } from './recipe.js';
import type { FromWorker, ToWorker, WorkerInit } from './worker.js';

export interface LoaderOptions {
  /** Base seed of the epoch orders, crops and flips (default 0). */
  seed?: number;
  /** Worker threads (default 1); 0 prepares batches in this thread (same batches). */
  workers?: number;
  /** Batches prepared ahead of the one being consumed (default 2; 0 = none). */
  prefetch?: number;
  /** Decoded-image cache budget in bytes, LRU (default 0: decode every time). */
  cacheBytes?: number;
  /** 'error' (default): a bad file ends the iteration with an error naming it; 'skip': leave it out and report it. */
  onBadFile?: 'error' | 'skip';
  /**
   * Custom batch composition (e.g. QFM-IQM's MOS-stratified batches): sample indices of each batch of an epoch, a
   * pure function of the epoch (seed it with deriveSeed(seed, epoch)); every epoch must have as many batches.
   * Replaces the recipe's shuffle and `batch`; `maxBatches` still caps.
   */
  batches?: (epoch: number) => number[][];
  /** Called for each skipped sample in skip mode, when its batch is prepared (also listed in `Batch.skipped`). */
  onSkip?: (s: SkippedSample & { epoch: number; index: number }) => void;
}

export interface Batch {
  epoch: number;
  /** Batch index within the epoch. */
  index: number;
  /** Global step: epoch * batchesPerEpoch + index. */
  step: number;
  /** Samples in the batch (recipe.batch unless some were skipped). */
  size: number;
  /** [size * crops, 3, crop, crop], sample-major. */
  shape: [number, number, number, number];
  x: Float32Array;
  /** Aligned reference crops (recipe.ref). */
  y?: Float32Array;
  /** One target per sample. */
  targets: Float32Array;
  /** Sample indices (into the loader's list), slot order. */
  samples: number[];
  skipped: SkippedSample[];
}

export interface LoaderStats {
  /** Images decoded so far (all threads). */
  decodes: number;
  cachedImages: number;
  cacheBytes: number;
  /** Batches assembled so far (consumed or waiting). */
  prepared: number;
  /** Worker threads not yet exited. */
  liveWorkers: number;
}

interface Task {
  id: number;
  plan: BatchPlan;
  resolve: (p: BatchPixels) => void;
  reject: (e: Error) => void;
}

/** A worker and the batches sent to it (it prepares them one after the other, in order). */
interface Slot {
  w: Worker;
  tasks: Task[];
}

export class BatchLoader {
  readonly batchesPerEpoch: number;
  readonly workers: number;
  readonly prefetch: number;
  private readonly seed: number;
  private readonly skip: boolean;
  private readonly cache: ImageCache | null;
  private readonly inflight = new Map<string, Promise<DecodedImage>>();
  private slots: Slot[] = [];
  private readonly exits: Promise<void>[] = [];
  private live = 0;
  private nextId = 0;
  private decodes = 0;
  private prepared = 0;
  private closing = false;
  private failure: Error | null = null;
  private order: { epoch: number; batches: number[][] } | null = null;

  constructor(
    readonly samples: readonly LoaderSample[],
    readonly recipe: BatchRecipe,
    private readonly opts: LoaderOptions = {},
  ) {
    this.batchesPerEpoch = batchesPerEpoch(samples.length, recipe);
    if (opts.batches) this.batchesPerEpoch = Math.min(opts.batches(0).length, recipe.maxBatches ?? Infinity);
    const int = (what: string, v: number, min: number) => {
      if (!(Number.isInteger(v) && v >= min)) throw expected('BatchLoader', what, `an integer >= ${min}`, String(v));
      return v;
    };
    this.workers = int('workers', opts.workers ?? 1, 0);
    this.prefetch = int('prefetch', opts.prefetch ?? 2, 0);
    this.seed = int('seed', opts.seed ?? 0, 0);
    this.skip = (opts.onBadFile ?? 'error') === 'skip';
    const cb = int('cacheBytes', opts.cacheBytes ?? 0, 0);
    this.cache = cb > 0 ? new ImageCache(cb) : null;
  }

  /** (epoch, batch index) of a global step. */
  position(step: number): { epoch: number; index: number } {
    const n = Math.max(this.batchesPerEpoch, 1);
    return { epoch: Math.floor(step / n), index: step % n };
  }

  /** The batches of epoch `e`, from batch `from` (resume). */
  epoch(e: number, from = 0): AsyncGenerator<Batch> {
    const n = this.batchesPerEpoch;
    return this.range(e * n + Math.min(from, n), (e + 1) * n);
  }

  /** Batches of global steps [from, to) across epochs (resume from a checkpoint's step). */
  steps(from: number, to: number): AsyncGenerator<Batch> {
    return this.range(from, to);
  }

  /** One batch by global step. */
  async batchAt(step: number): Promise<Batch> {
    this.assertOpen();
    try {
      return await this.submit(step);
    } catch (e) {
      await this.fail(e as Error);
      throw e;
    }
  }

  stats(): LoaderStats {
    return { decodes: this.decodes, prepared: this.prepared, cachedImages: this.cache?.size ?? 0, cacheBytes: this.cache?.bytes ?? 0, liveWorkers: this.live };
  }

  /** Terminates the workers (pending batches fail); idempotent. The loader cannot be used afterwards. */
  async close(): Promise<void> {
    this.closing = true;
    this.abort(new IqaError('BatchLoader: closed', 'E_CLOSED'));
    await Promise.all(this.slots.map((s) => s.w.terminate()));
    await Promise.all(this.exits);
    this.slots = [];
  }

  private assertOpen(): void {
    if (this.failure) throw this.failure;
    if (this.closing) throw new IqaError('BatchLoader: closed', 'E_CLOSED');
  }

  private async *range(from: number, to: number): AsyncGenerator<Batch> {
    this.assertOpen();
    if (!(Number.isInteger(from) && from >= 0 && Number.isInteger(to))) throw expected('BatchLoader', 'step range', 'integers from >= 0', `[${from}, ${to})`);
    const pending = new Map<number, Promise<Batch>>();
    let next = from;
    try {
      for (let s = from; s < to; s++) {
        // keep s (awaited now) and s+1..s+k (prepared while the consumer works on s) submitted
        for (; next < to && next <= s + this.prefetch; next++) {
          const p = this.submit(next);
          p.catch(() => {}); // a prefetched batch may fail before it is awaited: its error surfaces when it is
          pending.set(next, p);
        }
        const b = await pending.get(s)!;
        pending.delete(s);
        yield b;
      }
    } catch (e) {
      // a bad file (error mode) or a dead worker: stop every worker, fail the loader
      await this.fail(e as Error);
      throw e;
    }
  }

  private plan(step: number): BatchPlan {
    const { epoch, index } = this.position(step);
    if (this.order?.epoch !== epoch) this.order = { epoch, batches: this.epochBatches(epoch) };
    const samples = this.order.batches[index];
    const files = samples.map((i) => ({ dist: this.samples[i].dist, ...(this.recipe.ref ? { ref: this.samples[i].ref } : {}) }));
    return { epoch, index, samples, files };
  }

  private epochBatches(epoch: number): number[][] {
    const B = this.recipe.batch;
    if (!this.opts.batches) {
      const order = epochOrder(this.samples.length, this.seed, epoch, this.recipe.shuffle ?? true);
      return Array.from({ length: this.batchesPerEpoch }, (_, i) => order.slice(i * B, (i + 1) * B));
    }
    const bs = this.opts.batches(epoch);
    if (bs.length < this.batchesPerEpoch) throw expected('BatchLoader', `batches of epoch ${epoch}`, `at least ${this.batchesPerEpoch} (as epoch 0)`, String(bs.length));
    const bad = bs.flat().find((i) => !(Number.isInteger(i) && i >= 0 && i < this.samples.length));
    if (bad !== undefined) throw expected('BatchLoader', `batches of epoch ${epoch}: sample index`, `an integer in [0, ${this.samples.length})`, String(bad));
    return bs;
  }

  private async submit(step: number): Promise<Batch> {
    this.assertOpen();
    const plan = this.plan(step);
    let px: BatchPixels;
    try {
      px = this.workers === 0 ? await assembleBatch(plan, this.recipe, this.seed, (f) => this.image(f), this.skip) : await this.onWorker(plan);
    } catch (e) {
      const err = e as Error & { file?: string; code?: string };
      if (err.code === 'E_CLOSED' || err.code === 'E_WORKER') throw err;
      const file = err.file ?? '';
      const msg = file && !err.message.includes(file) ? `${file}: ${err.message}` : err.message;
      throw new IqaError(`BatchLoader: epoch ${plan.epoch}, batch ${plan.index}: ${msg}`, err.code ?? 'E_DECODE', { cause: e });
    }
    this.prepared++;
    for (const s of px.skipped) this.opts.onSkip?.({ ...s, epoch: plan.epoch, index: plan.index });
    const nc = this.recipe.crops ?? 1;
    const c = this.recipe.crop;
    return {
      epoch: plan.epoch,
      index: plan.index,
      step,
      size: px.kept.length,
      shape: [px.kept.length * nc, 3, c, c],
      x: px.x,
      ...(px.y ? { y: px.y } : {}),
      targets: Float32Array.from(px.kept, (i) => this.samples[i].target),
      samples: px.kept,
      skipped: px.skipped,
    };
  }

  /** In-process decode through the cache (each file decoded once while in flight). */
  private image(file: string): Promise<DecodedImage> {
    const hit = this.cache?.get(file);
    if (hit) return Promise.resolve(hit);
    let p = this.inflight.get(file);
    if (!p) {
      this.decodes++;
      p = decodeForBatch(file, this.recipe.norm, this.cache !== null, false).then(
        (img) => {
          this.cache?.set(file, img);
          this.inflight.delete(file);
          return img;
        },
        (e: unknown) => {
          this.inflight.delete(file);
          throw e;
        },
      );
      this.inflight.set(file, p);
    }
    return p;
  }

  /**
   * Sends the batch at once to the worker with the fewest batches outstanding, so that workers keep preparing up
   * to the prefetch depth even while the main thread is busy (a training step that blocks it).
   */
  private onWorker(plan: BatchPlan): Promise<BatchPixels> {
    this.assertOpen();
    if (!this.slots.length) this.start();
    const slot = this.slots.reduce((a, b) => (b.tasks.length < a.tasks.length ? b : a));
    return new Promise<BatchPixels>((resolve, reject) => {
      const t: Task = { id: this.nextId++, plan, resolve, reject };
      const known: [string, DecodedImage][] = [];
      if (this.cache)
        for (const f of plan.files)
          for (const file of [f.dist, f.ref]) {
            const hit = file ? this.cache.get(file) : undefined;
            if (file && hit) known.push([file, hit]);
          }
      slot.tasks.push(t);
      slot.w.ref(); // a worker with work keeps the process alive; an idle one does not
      slot.w.postMessage({ kind: 'batch', id: t.id, plan, known } satisfies ToWorker);
    });
  }

  private start(): void {
    const init: WorkerInit = { iqaBatchWorker: true, recipe: this.recipe, seed: this.seed, skip: this.skip, shared: this.cache !== null, keep: this.prefetch + 1 };
    const isTs = import.meta.url.endsWith('.ts');
    const url = new URL(isTs ? './worker.ts' : './worker.js', import.meta.url);
    for (let i = 0; i < this.workers; i++) {
      // under tsx (tests, dev) the worker registers the TypeScript loader before importing worker.ts (as src/cli/batch.ts)
      const w = isTs
        ? new Worker(`import('tsx/esm/api').then((t) => { t.register(); return import(${JSON.stringify(url.href)}); })`, { eval: true, workerData: init })
        : new Worker(url, { workerData: init });
      const slot: Slot = { w, tasks: [] };
      const doing = () => (slot.tasks.length ? ` while preparing epoch ${slot.tasks[0].plan.epoch}, batch ${slot.tasks[0].plan.index}` : '');
      this.live++;
      this.exits.push(
        new Promise<void>((res) =>
          w.once('exit', (code) => {
            this.live--;
            if (!this.closing && !this.failure) void this.fail(new IqaError(`BatchLoader: worker ${i} exited (code ${code})${doing()}`, 'E_WORKER'));
            res();
          }),
        ),
      );
      w.on('error', (e: Error) => void this.fail(new IqaError(`BatchLoader: worker ${i} failed${doing()}: ${e.message}`, 'E_WORKER', { cause: e })));
      w.on('message', (m: FromWorker) => this.onMessage(slot, m));
      w.unref();
      this.slots.push(slot);
    }
  }

  private onMessage(slot: Slot, m: FromWorker): void {
    const k = slot.tasks.findIndex((t) => t.id === m.id);
    if (k < 0) return;
    const [t] = slot.tasks.splice(k, 1);
    if (!slot.tasks.length) slot.w.unref();
    if (m.kind === 'done') {
      this.decodes += m.decodes;
      for (const [f, img] of m.decoded) this.cache?.set(f, img);
      t.resolve(m.pixels);
    } else t.reject(Object.assign(new IqaError(m.message, m.code), { file: m.file }));
  }

  /** Rejects every outstanding batch with `e`. */
  private abort(e: Error): void {
    for (const s of this.slots) for (const t of s.tasks.splice(0)) t.reject(e);
  }

  private async fail(e: Error): Promise<void> {
    if (this.failure || this.closing) return;
    this.failure = e;
    this.abort(e);
    this.closing = true;
    await Promise.all(this.slots.map((s) => s.w.terminate()));
    await Promise.all(this.exits);
  }
}
