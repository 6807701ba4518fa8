/**
 * Training data for the learned models: a generic-CSV dataset (e.g. the synth generator's labels.csv) loaded with
 * the dataset loader, split by content with the evaluation splits (src/eval/splits.ts), images decoded once and
 * kept normalised in memory (the CPU-sized sets are small), and seeded batch sampling with aligned random crops
 * and joint horizontal flips (YOTO's RandCrop + RandHorizontalFlip).
 */
import { dirname, resolve } from 'node:path';
import { loadGenericCsv } from '../data/datasets/generic-csv.js';
import { makeSplits } from '../eval/splits.js';
import { readImage } from '../io/decode.js';
import type { Rng } from '../engine/rng.js';
import { normalise, randomCrops, stackCrops, type Normalisation } from '../models/preprocess.js';
import { expected } from '../tensor/errors.js';
import type { Image } from '../tensor/image.js';

export interface Sample {
  dist: Float32Array;
  ref: Float32Array;
  h: number;
  w: number;
  /** Raw label and the label mapped to [0, 1] by the training range. */
  score: number;
  target: number;
  content: string;
  type: string;
  distImage: Image;
  refImage: Image;
}

export interface DataConfig {
  /** Generic CSV (columns ref, dist, score, content ...), paths relative to its folder. */
  csv: string;
  /** Fraction of contents held out for test (default 0.25). */
  testFraction?: number;
  seed?: number;
  /**
   * Batch pipeline (./pipeline), for the trainers that use it (YOTO): worker threads decoding, cropping and
   * flipping (default 1; 0 = in this thread, same batches), batches prepared ahead (default 2), decoded-image
   * cache in MiB (default 1024: the CPU-sized sets are decoded once), and what a bad file does (default 'error').
   */
  workers?: number;
  prefetch?: number;
  cacheMB?: number;
  onBadFile?: 'error' | 'skip';
}

export interface LoadedData {
  train: Sample[];
  test: Sample[];
  /** Training label range used for normalisation [lo, hi]. */
  range: [number, number];
  /** Pristine references of the training contents (the NAR reference pool for student training). */
  trainRefs: { data: Float32Array; h: number; w: number; content: string; image: Image }[];
  testContents: string[];
}

/** One labelled pair as file paths (absolute), before decoding: what the batch pipeline (./pipeline) reads. */
export interface SampleRef {
  dist: string;
  ref: string;
  score: number;
  target: number;
  content: string;
  type: string;
}

export interface TrainingIndex {
  train: SampleRef[];
  test: SampleRef[];
  range: [number, number];
}

/** The split and labels of `cfg` (train/test by content, targets mapped to [0, 1] by the training range), no pixels. */
export async function loadTrainingIndex(cfg: DataConfig): Promise<TrainingIndex> {
  const ds = await loadGenericCsv({ file: cfg.csv });
  if (!ds.items.length) throw expected('loadTrainingData', 'items', 'at least one', '0');
  const tf = cfg.testFraction ?? 0.25;
  const split = makeSplits(ds, { by: 'content', ratios: { train: 1 - tf, val: 0, test: tf }, seed: cfg.seed ?? 0, repeats: 1 }).splits[0];
  const root = dirname(resolve(cfg.csv));
  const trainScores = split.train.map((i) => ds.items[i].score);
  const lo = Math.min(...trainScores);
  const hi = Math.max(...trainScores);
  const refs = (idx: readonly number[]): SampleRef[] =>
    idx.map((i) => {
      const it = ds.items[i];
      if (!it.ref) throw expected('loadTrainingData', `item ${it.dist} reference`, 'a ref column', 'none');
      return { dist: resolve(root, it.dist), ref: resolve(root, it.ref), score: it.score, target: (it.score - lo) / (hi - lo || 1), content: it.content, type: String(it.meta.type ?? '') };
    });
  return { train: refs(split.train), test: refs(split.test), range: [lo, hi] };
}

/** Decodes and normalises `refs` (each file once). */
export async function decodeSamples(refs: readonly SampleRef[], norm: Normalisation): Promise<Sample[]> {
  const cache = new Map<string, Promise<Image>>();
  const img = (p: string) => {
    if (!cache.has(p)) cache.set(p, readImage(p));
    return cache.get(p)!;
  };
  const normCache = new Map<Image, Float32Array>();
  const nrm = (im: Image) => {
    if (!normCache.has(im)) normCache.set(im, normalise(im, norm));
    return normCache.get(im)!;
  };
  return Promise.all(
    refs.map(async (r) => {
      const [d, f] = await Promise.all([img(r.dist), img(r.ref)]);
      return { dist: nrm(d), ref: nrm(f), h: d.height, w: d.width, score: r.score, target: r.target, content: r.content, type: r.type, distImage: d, refImage: f };
    }),
  );
}

export async function loadTrainingData(cfg: DataConfig, norm: Normalisation): Promise<LoadedData> {
  const idx = await loadTrainingIndex(cfg);
  const [train, test] = await Promise.all([decodeSamples(idx.train, norm), decodeSamples(idx.test, norm)]);
  const seen = new Set<string>();
  const trainRefs = train
    .filter((s) => !seen.has(s.content) && seen.add(s.content))
    .map((s) => ({ data: s.ref, h: s.refImage.height, w: s.refImage.width, content: s.content, image: s.refImage }));
  return { train, test, range: idx.range, trainRefs, testContents: [...new Set(test.map((s) => s.content))] };
}

/** Seeded epoch order. */
export function shuffled(n: number, rng: Rng): number[] {
  const a = [...Array(n).keys()];
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(rng.uniform() * (i + 1));
    [a[i], a[j]] = [a[j], a[i]];
  }
  return a;
}

/** A batch of aligned random crops (one offset per pair) with joint random horizontal flips. */
export function cropBatch(samples: readonly Sample[], size: number, rng: Rng, flip = true): { x: Float32Array; y: Float32Array; t: Float32Array } {
  const per = 3 * size * size;
  const x = new Float32Array(samples.length * per);
  const y = new Float32Array(samples.length * per);
  samples.forEach((s, i) => {
    const [p] = randomCrops(s.h, s.w, size, 1, rng);
    const f = flip && rng.uniform() < 0.5;
    x.set(stackCrops(s.dist, s.h, s.w, [p], size, [f]), i * per);
    y.set(stackCrops(s.ref, s.h, s.w, [p], size, [f]), i * per);
  });
  return { x, y, t: Float32Array.from(samples, (s) => s.target) };
}
