/**
 * The one table of everything a user can name. `createMetric('ssim')` looks names up here; there is no guessing of
 * module names and no registration by side-effect import (style.md §7).
 */
import { FR_METRICS } from './metrics/fr/index.js';
import { NR_METRICS } from './metrics/nr/index.js';
import type { MetricEntry, MetricInfo, Mode } from './metrics/types.js';
import { IqaError } from './tensor/errors.js';

const ALL: readonly MetricEntry[] = [...FR_METRICS, ...NR_METRICS];
const BY_NAME = new Map<string, MetricEntry>();
for (const e of ALL) {
  if (BY_NAME.has(e.name)) throw new Error(`registry: duplicate metric name '${e.name}'`);
  BY_NAME.set(e.name, e);
}

/** Every registered metric's metadata, optionally filtered by mode. */
export function listMetrics(filter: { mode?: Mode } = {}): MetricInfo[] {
  return ALL.filter((e) => !filter.mode || e.mode === filter.mode).map(({ create: _c, ...info }) => info);
}

/** The registry entry for `name` (case-insensitive; '-' and '_' are interchangeable). */
export function getMetricEntry(name: string): MetricEntry {
  const key = name.toLowerCase();
  const e = BY_NAME.get(key) ?? BY_NAME.get(key.replace(/-/g, '_')) ?? BY_NAME.get(key.replace(/_/g, '-'));
  if (!e) {
    throw new IqaError(`createMetric: unknown metric '${name}': expected one of ${[...BY_NAME.keys()].join(', ')}`, 'E_UNKNOWN');
  }
  return e;
}
