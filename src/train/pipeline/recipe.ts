/**
 * The batch pipeline's pure part (no Node modules; runs in the main thread and in the workers): what a batch is,
 * which samples it holds, and how their crops are drawn and assembled.
 * Determinism: the epoch order comes from Rng(deriveSeed(seed, epoch)) and the crops and flips of the sample in
 * slot j of batch b from Rng(deriveSeed(seed, epoch, b, j)), so a batch depends only on (seed, epoch, b) and the
 * files: never on the worker count, the prefetch depth or which worker ran it, and any batch can be rebuilt alone
 * (resume from a step). Crops are the aligned random crops with joint horizontal flips of ../data.ts `cropBatch`
 * (one offset per pair, dist and ref cut at the same place), over ../../models/preprocess.ts.
 */
import { Rng } from '../../engine/rng.js';
import { assertCropFits, cropInto, cropNormalisedInto, randomCrops, type CropPos, type Normalisation } from '../../models/preprocess.js';
import { expected } from '../../tensor/errors.js';
import type { Image } from '../../tensor/image.js';

/** One training sample: image files (absolute paths or paths the decoder resolves) and its target. */
export interface LoaderSample {
  dist: string;
  /** Reference image (aligned crops) when the recipe asks for `ref`. */
  ref?: string;
  target: number;
}

/** What each batch holds and how its samples are cropped. */
export interface BatchRecipe {
  /** Samples per batch. */
  batch: number;
  /** Square crop side. */
  crop: number;
  /** Crops per sample (default 1): the batch tensor has batch * crops rows, sample-major. */
  crops?: number;
  /** Also cut the reference at the same positions (and flips) into `y` (default false). */
  ref?: boolean;
  /** Joint (dist and ref) random horizontal flip, p = 0.5: per crop (true, the default), one per sample ('sample'), or none. */
  flip?: boolean | 'sample';
  /** Pixel normalisation (preprocess.ts). */
  norm: Normalisation;
  /** Shuffle each epoch (default true); otherwise samples in list order. */
  shuffle?: boolean;
  /** Cap on batches per epoch (the trainers' maxStepsPerEpoch). The last partial batch is always dropped. */
  maxBatches?: number;
}

/**
 * A decoded image: normalised float32 CHW, 3 channels (preprocess.ts `normalise`; what the cache holds), or the
 * decoded `Image` itself, whose crops are normalised as they are cut (no cache: the rest is never normalised).
 */
export interface DecodedImage {
  data?: Float32Array;
  raw?: Image;
  h: number;
  w: number;
}

/** The work for one batch: which samples sit in which slot. */
export interface BatchPlan {
  epoch: number;
  index: number;
  /** Sample indices, slot order. */
  samples: number[];
  /** Their files (dist, and ref when the recipe wants it). */
  files: { dist: string; ref?: string }[];
}

/** A sample that could not be used (skip mode). */
export interface SkippedSample {
  sample: number;
  file: string;
  message: string;
}

/** Pixels of a batch as assembled by a worker or in-process. */
export interface BatchPixels {
  x: Float32Array;
  y?: Float32Array;
  /** Sample indices kept (all of the plan's unless some were skipped). */
  kept: number[];
  skipped: SkippedSample[];
}

/** A 32-bit seed from integers (murmur3 finaliser over an FNV-style fold; the count is mixed in, so (1) != (1, 0)). */
export function deriveSeed(...parts: number[]): number {
  let h = 0x811c9dc5 ^ parts.length;
  for (const p of parts) {
    h = Math.imul(h ^ (p >>> 0), 0x01000193) >>> 0;
    h = Math.imul(h ^ Math.floor(p / 4294967296), 0x01000193) >>> 0;
  }
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b) >>> 0;
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35) >>> 0;
  return (h ^ (h >>> 16)) >>> 0;
}

/** Checks a recipe against the sample list; returns the number of batches per epoch. */
export function batchesPerEpoch(n: number, r: BatchRecipe): number {
  const pos = (what: string, v: number | undefined) => {
    if (v !== undefined && !(Number.isInteger(v) && v >= 1)) throw expected('BatchLoader', `recipe ${what}`, 'a positive integer', String(v));
  };
  pos('batch', r.batch);
  pos('crop', r.crop);
  pos('crops', r.crops);
  if (r.maxBatches !== undefined && !(Number.isInteger(r.maxBatches) && r.maxBatches >= 0)) throw expected('BatchLoader', 'recipe maxBatches', 'an integer >= 0', String(r.maxBatches));
  return Math.min(Math.floor(n / r.batch), r.maxBatches ?? Infinity);
}

/** Sample order of an epoch: seeded Fisher-Yates (the same shuffle as ../data.ts `shuffled`). */
export function epochOrder(n: number, seed: number, epoch: number, shuffle = true): number[] {
  const a = [...Array(n).keys()];
  if (!shuffle) return a;
  const rng = new Rng(deriveSeed(seed, epoch));
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(rng.uniform() * (i + 1));
    [a[i], a[j]] = [a[j], a[i]];
  }
  return a;
}

function cut(img: DecodedImage, norm: Normalisation, p: CropPos, size: number, dst: Float32Array, o: number, flip: boolean): void {
  if (img.data) cropInto(img.data, img.h, img.w, p, size, dst, o, flip);
  else cropNormalisedInto(img.raw!, norm, p, size, dst, o, flip);
}

/**
 * Cuts the crops of one batch. `images` returns the decoded image of a file or throws (the error names the file);
 * in skip mode a failing sample is left out and reported, otherwise the error propagates with the file named.
 */
export async function assembleBatch(plan: BatchPlan, r: BatchRecipe, seed: number, images: (file: string) => Promise<DecodedImage>, skip: boolean): Promise<BatchPixels> {
  const size = r.crop;
  const nc = r.crops ?? 1;
  const per = 3 * size * size;
  const loaded = await Promise.all(
    plan.files.map(async (f, slot) => {
      let file = f.dist;
      try {
        const d = await images(f.dist);
        let ref: DecodedImage | undefined;
        if (r.ref) {
          file = f.ref ?? '';
          if (!f.ref) throw expected(f.dist, 'reference', 'a ref file (recipe.ref)', 'none');
          ref = await images(f.ref);
          if (ref.h !== d.h || ref.w !== d.w) throw expected(f.ref, 'reference size', `that of ${f.dist} (${d.w}x${d.h})`, `${ref.w}x${ref.h}`, 'E_SIZE');
        }
        file = f.dist;
        assertCropFits(f.dist, { width: d.w, height: d.h }, size);
        return { d, ref };
      } catch (e) {
        const message = e instanceof Error ? e.message : String(e);
        if (!skip) throw Object.assign(e instanceof Error ? e : new Error(message), { file });
        return { skipped: { sample: plan.samples[slot], file, message } };
      }
    }),
  );
  const good = loaded.flatMap((l, slot) => ('d' in l && l.d ? [{ slot, d: l.d, ref: l.ref }] : []));
  const x = new Float32Array(good.length * nc * per);
  const y = r.ref ? new Float32Array(good.length * nc * per) : undefined;
  good.forEach(({ slot, d, ref }, i) => {
    const rng = new Rng(deriveSeed(seed, plan.epoch, plan.index, slot));
    const ps = randomCrops(d.h, d.w, size, nc, rng);
    const flip = r.flip ?? true;
    const once = flip === 'sample' && rng.uniform() < 0.5;
    ps.forEach((p, k) => {
      const f = flip === 'sample' ? once : flip && rng.uniform() < 0.5;
      const o = (i * nc + k) * per;
      cut(d, r.norm, p, size, x, o, f);
      if (y && ref) cut(ref, r.norm, p, size, y, o, f);
    });
  });
  return { x, y, kept: good.map((g) => plan.samples[g.slot]), skipped: loaded.flatMap((l) => ('skipped' in l && l.skipped ? [l.skipped] : [])) };
}
