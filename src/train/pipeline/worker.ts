/**
 * Worker thread of the batch pipeline: receives batch plans, decodes (or reads from the shared cache), crops and
 * flips, and returns the pixels (transferred, not copied) with the images it decoded for the main thread's cache.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { decodeForBatch } from './decode.js';
import { assembleBatch, type BatchPixels, type BatchPlan, type BatchRecipe, type DecodedImage } from './recipe.js';

export interface WorkerInit {
  iqaBatchWorker: true;
  recipe: BatchRecipe;
  seed: number;
  skip: boolean;
  /** Decode into SharedArrayBuffers and send them back for the cache. */
  shared: boolean;
  /** Batches whose decoded images the worker keeps at hand (cache only). */
  keep: number;
}

export type ToWorker = { kind: 'batch'; id: number; plan: BatchPlan; known: [string, DecodedImage][] };
export type FromWorker =
  | { kind: 'done'; id: number; pixels: BatchPixels; decoded: [string, DecodedImage][]; decodes: number }
  | { kind: 'fail'; id: number; file: string; message: string; code: string };

const init = workerData as WorkerInit | null;
if (parentPort && init?.iqaBatchWorker) {
  const port = parentPort;
  // Images this worker decoded for its last `keep` batches: batches sent before the main thread's cache heard of
  // them (prefetch) still find them, so with one worker a cached set is decoded once.
  const recent: Map<string, DecodedImage>[] = [];
  const prepare = async (msg: ToWorker): Promise<void> => {
    const known = new Map(msg.known);
    const decoded = new Map<string, DecodedImage>();
    const inflight = new Map<string, Promise<DecodedImage>>();
    const images = (file: string): Promise<DecodedImage> => {
      const k = known.get(file) ?? recent.find((m) => m.has(file))?.get(file);
      if (k) return Promise.resolve(k);
      let p = inflight.get(file);
      if (!p) {
        p = decodeForBatch(file, init.recipe.norm, init.shared, init.shared).then((img) => {
          if (init.shared) decoded.set(file, img);
          return img;
        });
        inflight.set(file, p);
      }
      return p;
    };
    try {
      const pixels = await assembleBatch(msg.plan, init.recipe, init.seed, images, init.skip);
      if (init.shared) {
        recent.push(decoded);
        if (recent.length > init.keep) recent.shift();
      }
      const transfer = [pixels.x.buffer as ArrayBuffer, ...(pixels.y ? [pixels.y.buffer as ArrayBuffer] : [])];
      port.postMessage({ kind: 'done', id: msg.id, pixels, decoded: [...decoded], decodes: inflight.size } satisfies FromWorker, transfer);
    } catch (e) {
      const err = e as Error & { file?: string; code?: string };
      port.postMessage({ kind: 'fail', id: msg.id, file: err.file ?? '', message: err.message ?? String(e), code: err.code ?? 'E_DECODE' } satisfies FromWorker);
    }
  };
  // one batch after the other, in the order sent
  let chain = Promise.resolve();
  port.on('message', (msg: ToWorker) => {
    chain = chain.then(() => prepare(msg));
  });
}
