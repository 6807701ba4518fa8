/**
 * The public entry point for scoring: `createMetric(name, options)` returns a metric whose `compute` takes paths,
 * encoded bytes or decoded images.
 *
 * @example
 * ```ts
 * import { createMetric } from 'iqa-toolkit';
 * const ssim = await createMetric('ssim');
 * const { score, map } = await ssim.compute('dist.png', 'ref.png');
 * ```
 */
import { readImage, type DecodeOptions, type ImageSource } from './io/decode.js';
import { getMetricEntry } from './registry-node.js';
import { resolveNrModelOptions } from './io/params.js';
import type { MetricInfo, MetricOutput } from './metrics/types.js';

export interface MetricHandle extends MetricInfo {
  /** FR: (distorted, reference); NR: (image). Inputs: path, encoded bytes or a decoded `Image`. */
  compute(dist: ImageSource, ref?: ImageSource): Promise<MetricOutput>;
  dispose(): Promise<void>;
}

export interface CreateMetricOptions extends Readonly<Record<string, unknown>> {
  /** Decoding policy for path/bytes inputs. */
  decode?: DecodeOptions;
}

export async function createMetric(name: string, options: CreateMetricOptions = {}): Promise<MetricHandle> {
  const entry = getMetricEntry(name);
  const { decode, ...metricOptions } = options;
  // `modelPath` options of NIQE, IL-NIQE and BRISQUE are loaded here (the metrics themselves take parsed models)
  const metric = await entry.create(resolveNrModelOptions(entry.name, metricOptions));
  const { create: _c, ...info } = entry;
  return {
    ...info,
    async compute(dist, ref) {
      const d = await readImage(dist, decode);
      const r = ref === undefined ? undefined : await readImage(ref, decode);
      return metric.compute(d, r);
    },
    async dispose() {
      await metric.dispose?.();
    },
  };
}
