/**
 * Learned metrics for the registry (the lead wires `MODEL_METRICS` into src/registry.ts), and the model-side
 * public API: backbones by name, weight import, LPIPS/DISTS as graph functions (training losses).
 */
import type { MetricEntry } from '../metrics/types.js';
import { DISTS_METRIC } from './dists.js';
import { LPIPS_METRICS } from './lpips.js';
import { ONNX_METRIC } from './onnx-metric.js';

/** YOTO and CVRKD-IQA lazy-load their model code; weights are always supplied by the user, never downloaded. */
const YOTO_CVRKD: MetricEntry[] = [
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

export const MODEL_METRICS: MetricEntry[] = [...LPIPS_METRICS, DISTS_METRIC, ONNX_METRIC, ...YOTO_CVRKD];

export { BACKBONES, createBackbone, type Backbone, type BackboneName } from './backbones/index.js';
export { loadBackbone, loadState, swinKeyMap, type LoadOptions } from './weights.js';
export { Lpips, createLpips, loadLpipsLinear, type LpipsNet, type LpipsOptions } from './lpips.js';
export { Dists, createDists, loadDistsAlphaBeta, type DistsOptions } from './dists.js';
export { createOnnxMetric, type OnnxMetricOptions } from './onnx-metric.js';
export { Yoto, YOTO_PAPER, type YotoConfig, type YotoMode, type YotoEncoder } from './yoto/yoto.js';
export { Cvrkd, CVRKD_PAPER, type CvrkdConfig } from './cvrkd/cvrkd.js';
