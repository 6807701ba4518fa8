/**
 * Browser entry point: everything but file I/O. Images come from `fromInterleaved` (e.g. a canvas `ImageData`,
 * RGBA, alpha dropped or composited per the same policy as in Node).
 *
 * @example
 * ```ts
 * import { fromInterleaved, createMetric } from 'iqa-toolkit/browser';
 * const img = (c: ImageData) => fromInterleaved(c.data, c.width, c.height, 4);
 * const ssim = await createMetric('ssim');
 * const { score, map } = await ssim.compute(img(distData), img(refData));
 * ```
 */
export * from './tensor/index.js';
export * from './color/index.js';
export * from './signal/index.js';
export * from './metrics/types.js';
export { listMetrics, getMetricEntry } from './registry.js';
import { getMetricEntry } from './registry.js';
import type { Metric } from './metrics/types.js';

/** Creates a metric by name; `compute` takes decoded `Image`s. */
export async function createMetric(name: string, options: Readonly<Record<string, unknown>> = {}): Promise<Metric> {
  return getMetricEntry(name).create(options);
}
