/**
 * Worker thread of the batch pipeline: receives batch plans, decodes (or reads from the shared cache), crops and
 * flips, and returns the pixels (transferred, not copied) with the images it decoded for the main thread's cache.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { decodeNormalised } from './decode.js';
import { assembleBatch, type BatchPixels, type BatchPlan, type BatchRecipe, type DecodedImage } from './recipe.js';

export interface WorkerInit {
  iqaBatchWorker: true;
  recipe: BatchRecipe;
  seed: number;
  skip: boolean;
  /** Decode into SharedArrayBuffers and send them back for the cache. */
  shared: boolean;
}

export type ToWorker = { kind: 'batch'; id: number; plan: BatchPlan; known: [string, DecodedImage][] };
export type FromWorker =
  | { kind: 'done'; id: number; pixels: BatchPixels; decoded: [string, DecodedImage][]; decodes: number }
  | { kind: 'fail'; id: number; file: string; message: string; code: string };

const init = workerData as WorkerInit | null;
if (parentPort && init?.iqaBatchWorker) {
  const port = parentPort;
  port.on('message', (msg: ToWorker) => {
    const known = new Map(msg.known);
    const decoded: [string, DecodedImage][] = [];
    const inflight = new Map<string, Promise<DecodedImage>>();
    const images = (file: string): Promise<DecodedImage> => {
      const k = known.get(file);
      if (k) return Promise.resolve(k);
      let p = inflight.get(file);
      if (!p) {
        p = decodeNormalised(file, init.recipe.norm, init.shared).then((img) => {
          if (init.shared) decoded.push([file, img]);
          return img;
        });
        inflight.set(file, p);
      }
      return p;
    };
    assembleBatch(msg.plan, init.recipe, init.seed, images, init.skip)
      .then((pixels) => {
        const transfer = [pixels.x.buffer as ArrayBuffer, ...(pixels.y ? [pixels.y.buffer as ArrayBuffer] : [])];
        port.postMessage({ kind: 'done', id: msg.id, pixels, decoded, decodes: inflight.size } satisfies FromWorker, transfer);
      })
      .catch((e: unknown) => {
        const err = e as Error & { file?: string; code?: string };
        port.postMessage({ kind: 'fail', id: msg.id, file: err.file ?? '', message: err.message ?? String(e), code: err.code ?? 'E_DECODE' } satisfies FromWorker);
      });
  });
}
