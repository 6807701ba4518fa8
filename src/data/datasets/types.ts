/**
 * The common shape of every IQA dataset: a list of labelled items plus what the score means.
 * Paths in items are absolute (the dataset root joined with the label file's relative path).
 */
import type { TextFs } from '../../io/files.js';

/** 'higher-better': MOS-like (LIVEC, KonIQ, KADID, TID). 'lower-better': DMOS-like (LIVE, CSIQ, LIVE-MD). */
export type ScoreDirection = 'higher-better' | 'lower-better';

/** Synthetic sets are split by reference content, authentic sets by image (models.md §6.2). */
export type DatasetKind = 'synthetic' | 'authentic';

export interface DatasetItem {
  /** Distorted (or, for authentic sets, the only) image. */
  readonly dist: string;
  /** Pristine reference, for full-reference sets. */
  readonly ref?: string;
  /** Subjective score as stored in the label file (direction given by the dataset). */
  readonly score: number;
  /** Standard deviation of the opinion scores, where the label file has it. */
  readonly std?: number;
  /** Content id for splitting: the reference id for synthetic sets, the image id for authentic ones. */
  readonly content: string;
  /** Extra per-item labels: distortion type, level, official split, source line... */
  readonly meta: Readonly<Record<string, string | number>>;
}

export interface Dataset {
  readonly name: string;
  readonly kind: DatasetKind;
  readonly scoreDirection: ScoreDirection;
  /** Nominal score scale [lo, hi] (used by `normaliseScores`); observed scores may overshoot it (LIVE DMOS). */
  readonly range: readonly [number, number];
  /** Label file the items came from. */
  readonly labelFile: string;
  readonly items: readonly DatasetItem[];
}

export interface LoadOptions {
  /**
   * Dataset root: the folder that holds `<Name>/...` for the iqa-dataset label files, or the dataset's own folder
   * for official label files (see each loader).
   */
  root: string;
  /** Label file path (default: the loader's first candidate that exists under `root`). */
  labels?: string;
  /** Check that every image exists (default true). */
  checkFiles?: boolean;
  /** File access (default: Node's, loaded lazily so that this module stays browser-safe). */
  fs?: TextFs;
}

/** One label row before paths are resolved; `line` is the 1-based line in the label file. */
export interface RawItem {
  dist: string;
  ref?: string;
  score: number;
  std?: number;
  content: string;
  meta: Record<string, string | number>;
  line: number;
}

/**
 * A parser for one label-file format: returns null when the text is not in its format (header mismatch).
 * `base` says what the item paths are relative to: the loader's root, or the label file's folder.
 */
export type LabelParser = (text: string, file: string) => { items: RawItem[]; base: 'root' | 'labelDir' } | null;

/** Static description of a dataset: what the score means and which label formats it reads. */
export interface DatasetSpec {
  readonly name: string;
  readonly kind: DatasetKind;
  readonly scoreDirection: ScoreDirection;
  readonly range: readonly [number, number];
  /** Candidate label files relative to `root`, tried in order. */
  readonly labelFiles: readonly string[];
  /** Parsers tried in order; the first that recognises the header wins. */
  readonly parsers: readonly LabelParser[];
  /** One line on the scale and provenance, shown in reports. */
  readonly note: string;
}
