/**
 * The full registry for Node: the classic metrics plus the learned models (LPIPS, DISTS, user ONNX files, and the
 * IQA models), which run on onnxruntime-node. The CLI and `createMetric` in `api.ts` look names up here.
 */
import { CLASSIC_METRICS, makeRegistry } from './registry.js';
import { MODEL_METRICS } from './models/index.js';
import { NR_MODEL_METRICS } from './models/nr-models.js';

const full = makeRegistry([...CLASSIC_METRICS, ...MODEL_METRICS, ...NR_MODEL_METRICS]);
export const listMetrics = full.listMetrics;
export const getMetricEntry = full.getMetricEntry;
