/**
 * Learned metrics for the registry (the lead wires `MODEL_METRICS` into src/registry.ts), and the model-side
 * public API: backbones by name, weight import, LPIPS/DISTS as graph functions (training losses).
 */
import type { MetricEntry } from '../metrics/types.js';
import { DISTS_METRIC } from './dists.js';
import { LPIPS_METRICS } from './lpips.js';
import { ONNX_METRIC } from './onnx-metric.js';

export const MODEL_METRICS: MetricEntry[] = [...LPIPS_METRICS, DISTS_METRIC, ONNX_METRIC];

export { BACKBONES, createBackbone, type Backbone, type BackboneName } from './backbones/index.js';
export { loadBackbone, loadState, swinKeyMap, type LoadOptions } from './weights.js';
export { Lpips, createLpips, loadLpipsLinear, type LpipsNet, type LpipsOptions } from './lpips.js';
export { Dists, createDists, loadDistsAlphaBeta, type DistsOptions } from './dists.js';
export { createOnnxMetric, type OnnxMetricOptions } from './onnx-metric.js';
