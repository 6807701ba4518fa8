/**
 * One pristine image -> its reference PNG and every requested type x level (Node). Runs inline or inside a
 * worker_threads worker started by generate.ts; the work of an image depends only on the job, never on which
 * worker runs it, so output bytes are identical for any worker count.
 */
import { isMainThread, parentPort, workerData } from 'node:worker_threads';
import { join } from 'node:path';
import sharp from 'sharp';
import { isCompletePng, jpegRoundTrip, readImageFit, writePng } from '../../io/encode-image.js';
import { makeImage, type Image } from '../../tensor/image.js';
import { makeRng, deriveSeed } from './rng.js';
import { distortionType } from './types.js';
import type { Codecs } from './unit.js';

export interface ImageJob {
  /** Absolute path of the pristine image. */
  readonly file: string;
  /** Content name: path under the pristine root without extension, '/'-separated. */
  readonly content: string;
  readonly out: string;
  readonly seed: number;
  readonly typeIds: readonly number[];
  readonly levels: readonly number[];
  readonly maxSide: number;
  readonly pngCompression: number;
}

export interface ImageResult {
  readonly content: string;
  readonly width: number;
  readonly height: number;
  readonly written: number;
  readonly skipped: number;
}

/** Relative output paths (posix) inside the output folder. */
export function refPath(content: string): string {
  return `ref/${content}.png`;
}
export function distPath(content: string, typeId: number, level: number): string {
  return `dist/${content}_${String(typeId).padStart(2, '0')}_${String(level).padStart(2, '0')}.png`;
}

const nodeCodecs: Codecs = { jpeg: jpegRoundTrip };

/** The reference as distorted and written: 3 channels (grey replicated), samples rounded to 8 bits. */
function asRgb8(img: Image): Image {
  const n = img.width * img.height;
  const out = new Float64Array(3 * n);
  for (let c = 0; c < 3; c++) {
    const off = (img.channels === 3 ? c : 0) * n;
    for (let i = 0; i < n; i++) out[c * n + i] = Math.min(255, Math.max(0, Math.round(img.data[off + i])));
  }
  return makeImage(img.width, img.height, 3, out, 8);
}

export async function processImage(job: ImageJob, onOutput?: (written: boolean) => void): Promise<ImageResult> {
  const ref = asRgb8(await readImageFit(job.file, job.maxSide));
  const { width, height } = ref;
  const png = { compressionLevel: job.pngCompression };
  const refFile = join(job.out, refPath(job.content));
  if (!(await isCompletePng(refFile, width, height))) await writePng(refFile, ref, png);
  let written = 0;
  let skipped = 0;
  // One PNG write in flight while the next distortion is computed (sharp encodes on its own thread).
  let pending: Promise<void> = Promise.resolve();
  for (const id of job.typeIds) {
    const t = distortionType(id);
    for (const level of job.levels) {
      const file = join(job.out, distPath(job.content, id, level));
      if (await isCompletePng(file, width, height)) {
        skipped++;
        onOutput?.(false);
        continue;
      }
      const rng = makeRng(deriveSeed(job.seed, job.content, id, level));
      const dist = await t.apply(ref, t.params[level - 1], { rng, codecs: nodeCodecs });
      await pending;
      pending = writePng(file, dist, png).then(() => {
        written++;
        onOutput?.(true);
      });
    }
  }
  await pending;
  return { content: job.content, width, height, written, skipped };
}

/** Messages between generate.ts and a worker. */
export type ToWorker = { kind: 'job'; job: ImageJob } | { kind: 'stop' };
export type FromWorker =
  | { kind: 'output'; written: boolean }
  | { kind: 'done'; result: ImageResult }
  | { kind: 'error'; content: string; message: string };

if (!isMainThread && parentPort && (workerData as { iqaSynthWorker?: boolean } | null)?.iqaSynthWorker) {
  // Parallelism comes from the workers: one libvips thread each avoids oversubscribing the cores.
  sharp.concurrency(1);
  const port = parentPort;
  port.on('message', (msg: ToWorker) => {
    if (msg.kind === 'stop') {
      port.close();
      return;
    }
    processImage(msg.job, (w) => port.postMessage({ kind: 'output', written: w } satisfies FromWorker))
      .then((result) => port.postMessage({ kind: 'done', result } satisfies FromWorker))
      .catch((e: unknown) => port.postMessage({ kind: 'error', content: msg.job.content, message: e instanceof Error ? e.message : String(e) } satisfies FromWorker));
  });
}
