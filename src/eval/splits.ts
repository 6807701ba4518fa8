/**
 * Train/val/test splits (models.md §6.2): by reference content for synthetic sets (no scene in two parts), by image
 * for authentic sets, or the dataset's own split (`meta.split`). Seeded; N repeats use seeds seed, seed+1, ...
 * A split set serialises to JSON with a fingerprint of the dataset (content ids and scores, not paths, so a
 * different root still matches) and is checked on reload.
 */
import { expected, IqaError } from '../tensor/errors.js';
import type { Dataset } from '../data/datasets/types.js';
import { makeRng, shuffleInPlace } from './rng.js';

export type SplitBy = 'content' | 'image' | 'official';

export interface SplitRatios {
  readonly train: number;
  readonly val: number;
  readonly test: number;
}

export interface Split {
  readonly seed: number;
  /** Item indices into the dataset, ascending. */
  readonly train: readonly number[];
  readonly val: readonly number[];
  readonly test: readonly number[];
}

export interface SplitSet {
  readonly version: 1;
  readonly dataset: string;
  readonly n: number;
  readonly by: SplitBy;
  readonly ratios: SplitRatios;
  readonly seed: number;
  /** FNV-1a 32-bit hash of the items' content ids and scores, hex. */
  readonly fingerprint: string;
  readonly splits: readonly Split[];
}

export interface SplitOptions {
  /** Default: 'content' for synthetic sets, 'image' for authentic ones. */
  by?: SplitBy;
  /** Fractions of groups (content ids or images); default { train: 0.8, val: 0, test: 0.2 }. */
  ratios?: SplitRatios;
  /** Seed of the first repeat (default 0). */
  seed?: number;
  /** Number of repeats (default 10, the toolkit default; 1 for a single split). */
  repeats?: number;
}

type SplittableDataset = Pick<Dataset, 'name' | 'kind' | 'items'>;

/** FNV-1a over content ids and scores: identifies the labels, whatever the root folder. */
export function datasetFingerprint(ds: Pick<Dataset, 'items'>): string {
  let h = 0x811c9dc5;
  const feed = (s: string) => {
    for (let i = 0; i < s.length; i++) {
      h ^= s.charCodeAt(i);
      h = Math.imul(h, 0x01000193) >>> 0;
    }
  };
  for (const it of ds.items) feed(`${it.content}\u0000${it.score}\u0001`);
  return h.toString(16).padStart(8, '0');
}

function checkRatios(r: SplitRatios): void {
  for (const k of ['train', 'val', 'test'] as const) {
    if (!(r[k] >= 0 && r[k] <= 1)) throw expected('makeSplits', `ratio ${k}`, 'a number in [0, 1]', String(r[k]));
  }
  const s = r.train + r.val + r.test;
  if (Math.abs(s - 1) > 1e-9) throw expected('makeSplits', 'ratios', 'train + val + test = 1', `${r.train} + ${r.val} + ${r.test} = ${s}`);
}

/** Builds `repeats` seeded splits of a dataset. */
export function makeSplits(ds: SplittableDataset, opts: SplitOptions = {}): SplitSet {
  const by = opts.by ?? (ds.kind === 'synthetic' ? 'content' : 'image');
  const ratios = opts.ratios ?? { train: 0.8, val: 0, test: 0.2 };
  const seed = opts.seed ?? 0;
  const repeats = opts.repeats ?? 10;
  if (!(Number.isInteger(repeats) && repeats >= 1)) throw expected('makeSplits', 'repeats', 'a positive integer', String(repeats));
  checkRatios(ratios);
  if (ds.items.length === 0) throw expected('makeSplits', `dataset ${ds.name}`, 'at least one item', 'none');
  const splits: Split[] = [];
  if (by === 'official') {
    const parts: Record<string, number[]> = { train: [], val: [], test: [] };
    ds.items.forEach((it, i) => {
      const s = it.meta.split;
      if (s !== 'train' && s !== 'val' && s !== 'test') throw expected('makeSplits', `item ${i} (${it.dist}) official split`, 'train, val or test', String(s));
      parts[s].push(i);
    });
    splits.push({ seed, train: parts.train, val: parts.val, test: parts.test });
  } else {
    // Groups in first-appearance order, so the result depends on the label file order and the seed only.
    const groupOf = new Map<string, number[]>();
    ds.items.forEach((it, i) => {
      const key = by === 'content' ? it.content : `${i}`;
      const g = groupOf.get(key);
      if (g) g.push(i);
      else groupOf.set(key, [i]);
    });
    const groups = [...groupOf.values()];
    const G = groups.length;
    const nTrain = Math.round(ratios.train * G);
    const nVal = Math.min(G - nTrain, Math.round(ratios.val * G));
    for (let r = 0; r < repeats; r++) {
      const order = shuffleInPlace(groups.map((_, i) => i), makeRng(seed + r));
      const pick = (a: number, b: number) => order.slice(a, b).flatMap((g) => groups[g]).sort((x, y) => x - y);
      splits.push({ seed: seed + r, train: pick(0, nTrain), val: pick(nTrain, nTrain + nVal), test: pick(nTrain + nVal, G) });
    }
  }
  return { version: 1, dataset: ds.name, n: ds.items.length, by, ratios, seed, fingerprint: datasetFingerprint(ds), splits };
}

/** Serialises a split set (stable key order, one split per line block). */
export function splitsToJson(s: SplitSet): string {
  return JSON.stringify(s, null, 1);
}

/**
 * Parses and validates a saved split set; with `ds`, also checks that it was made for these labels
 * (same item count and fingerprint).
 */
export function splitsFromJson(text: string, ds?: Pick<Dataset, 'name' | 'items'>, source = 'splits'): SplitSet {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch (e) {
    throw new IqaError(`${source}: cannot parse JSON: ${(e as Error).message}`, 'E_PARSE', { cause: e });
  }
  const s = v as SplitSet;
  if (typeof s !== 'object' || s === null || s.version !== 1 || !Array.isArray(s.splits) || typeof s.n !== 'number') {
    throw expected(source, 'content', 'a split set (version 1)', JSON.stringify(v).slice(0, 80), 'E_PARSE');
  }
  s.splits.forEach((sp, k) => {
    const seen = new Uint8Array(s.n);
    for (const part of ['train', 'val', 'test'] as const) {
      if (!Array.isArray(sp[part])) throw expected(source, `split ${k} ${part}`, 'an index array', typeof sp[part], 'E_PARSE');
      for (const i of sp[part]) {
        if (!(Number.isInteger(i) && i >= 0 && i < s.n)) throw expected(source, `split ${k} ${part} index`, `an integer in [0, ${s.n})`, String(i), 'E_PARSE');
        if (seen[i]) throw expected(source, `split ${k} index ${i}`, 'in one part only', 'repeated', 'E_PARSE');
        seen[i] = 1;
      }
    }
  });
  if (ds) {
    if (ds.items.length !== s.n) throw expected(source, `item count of ${ds.name}`, String(s.n), String(ds.items.length));
    const fp = datasetFingerprint(ds);
    if (fp !== s.fingerprint) throw expected(source, `fingerprint of ${ds.name}`, s.fingerprint, `${fp} (the labels differ from those the splits were made for)`);
  }
  return s;
}

/** Selects the items of one part of a split. */
export function selectSplit<T>(items: readonly T[], split: Split, part: 'train' | 'val' | 'test'): T[] {
  return split[part].map((i) => items[i]);
}
