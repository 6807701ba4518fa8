/**
 * The one table of everything a user can name. `createMetric('ssim')` looks names up here; there is no guessing of
 * module names and no registration by side-effect import (style.md §7).
 * This file holds the classic metrics, which run everywhere (browser included); `registry-node.ts` composes the
 * full table for Node, adding the learned models that run on onnxruntime-node.
 */
import { FR_METRICS } from './metrics/fr/index.js';
import { NR_METRICS } from './metrics/nr/index.js';
import type { MetricEntry, MetricInfo, Mode } from './metrics/types.js';
import { IqaError } from './tensor/errors.js';

export interface Registry {
  /** Every registered metric's metadata, optionally filtered by mode. */
  listMetrics(filter?: { mode?: Mode }): MetricInfo[];
  /** The entry for `name` (case-insensitive; '-' and '_' are interchangeable). */
  getMetricEntry(name: string): MetricEntry;
}

export function makeRegistry(all: readonly MetricEntry[]): Registry {
  const byName = new Map<string, MetricEntry>();
  for (const e of all) {
    if (byName.has(e.name)) throw new Error(`registry: duplicate metric name '${e.name}'`);
    byName.set(e.name, e);
  }
  return {
    listMetrics: (filter = {}) => all.filter((e) => !filter.mode || e.mode === filter.mode).map(({ create: _c, ...info }) => info),
    getMetricEntry(name) {
      const key = name.toLowerCase();
      const e = byName.get(key) ?? byName.get(key.replace(/-/g, '_')) ?? byName.get(key.replace(/_/g, '-'));
      if (!e) throw new IqaError(`createMetric: unknown metric '${name}': expected one of ${[...byName.keys()].join(', ')}`, 'E_UNKNOWN');
      return e;
    },
  };
}

/** The classic metrics (isomorphic). */
export const CLASSIC_METRICS: readonly MetricEntry[] = [...FR_METRICS, ...NR_METRICS];
const classic = makeRegistry(CLASSIC_METRICS);
export const listMetrics = classic.listMetrics;
export const getMetricEntry = classic.getMetricEntry;
