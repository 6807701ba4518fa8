/**
 * What every metric is, as data: its name, mode, direction and range (the registry's contract), and what it
 * returns. Classic metrics are synchronous pure functions over `Image`s; `classicFR`/`classicNR` wrap them as
 * registry entries. Learned metrics implement `Metric` directly (their `compute` is asynchronous).
 */
import type { Image, Plane } from '../tensor/image.js';
import { assertFinite, assertSameSize } from '../tensor/image.js';

export type Mode = 'FR' | 'NR' | 'NAR';

/** A score, and where the metric has one, its quality map (e.g. the SSIM map). */
export interface MetricOutput {
  readonly score: number;
  readonly map?: Plane;
}

export interface MetricInfo {
  /** The user-facing name, e.g. 'ssim', 'ms_ssim', 'niqe'. */
  readonly name: string;
  readonly mode: Mode;
  readonly lowerBetter: boolean;
  /** Rough score range [lo, hi] (Infinity allowed). */
  readonly range: readonly [number, number];
  /** One line: what it is, and the reference it matches. */
  readonly description: string;
  /** True when weight/parameter files must be supplied by the user (no download ever happens). */
  readonly needsWeights: boolean;
}

export interface Metric extends MetricInfo {
  /** FR: `compute(distorted, reference)`; NR: `compute(image)`. */
  compute(dist: Image, ref?: Image): Promise<MetricOutput>;
  /** Releases native resources (onnxruntime sessions) if any. */
  dispose?(): Promise<void>;
}

export interface MetricEntry extends MetricInfo {
  create(options?: Readonly<Record<string, unknown>>): Metric | Promise<Metric>;
}

/** Wraps a synchronous FR function `(dist, ref, opts) => output` as a registry entry. */
export function classicFR<O extends object>(
  info: Omit<MetricInfo, 'mode' | 'needsWeights'> & { needsWeights?: boolean },
  fn: (dist: Image, ref: Image, opts: O) => MetricOutput,
  defaults: O,
): MetricEntry {
  const full: MetricInfo = { ...info, mode: 'FR', needsWeights: info.needsWeights ?? false };
  return {
    ...full,
    create(options) {
      const opts = { ...defaults, ...(options as Partial<O> | undefined) };
      return {
        ...full,
        async compute(dist, ref) {
          if (!ref) throw new Error(`${full.name}: a reference image is required (full-reference metric)`);
          assertSameSize(full.name, dist, ref);
          assertFinite(full.name, dist);
          assertFinite(full.name, ref);
          return fn(dist, ref, opts);
        },
      };
    },
  };
}

/** Wraps a synchronous NR function `(img, opts) => output` as a registry entry. */
export function classicNR<O extends object>(
  info: Omit<MetricInfo, 'mode' | 'needsWeights'> & { needsWeights?: boolean },
  fn: (img: Image, opts: O) => MetricOutput,
  defaults: O,
): MetricEntry {
  const full: MetricInfo = { ...info, mode: 'NR', needsWeights: info.needsWeights ?? false };
  return {
    ...full,
    create(options) {
      const opts = { ...defaults, ...(options as Partial<O> | undefined) };
      return {
        ...full,
        async compute(img) {
          assertFinite(full.name, img);
          return fn(img, opts);
        },
      };
    },
  };
}
