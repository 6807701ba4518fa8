/**
 * Registry entries of the learned models (wired into src/registry.ts by the lead). Each entry lazy-loads its model
 * code; weights are always supplied by the user (`weights` option), never downloaded.
 */
import type { MetricEntry } from '../metrics/types.js';

export const MODEL_METRICS: readonly MetricEntry[] = [
  {
    name: 'yoto',
    mode: 'NR',
    lowerBetter: false,
    range: [0, Infinity],
    description: 'YOTO (Yun & Lin 2023): unified FR/NR transformer; options {mode: FR|NR, weights, crops}; weights required',
    needsWeights: true,
    create: async (o) => (await import('./yoto/metric.js')).createYoto(o as import('./yoto/metric.js').YotoMetricOptions),
  },
  {
    name: 'cvrkd',
    mode: 'NAR',
    lowerBetter: false,
    range: [-Infinity, Infinity],
    description: 'CVRKD-IQA (Yin et al. AAAI-22): FR teacher / NAR student; options {role, weights, referencePool, rounds}; weights required',
    needsWeights: true,
    create: async (o) => (await import('./cvrkd/metric.js')).createCvrkd(o as import('./cvrkd/metric.js').CvrkdMetricOptions),
  },
];
