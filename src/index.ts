export * from './tensor/index.js';
export * from './io/index.js';
export * from './color/index.js';
export * from './signal/index.js';
export * from './metrics/types.js';
export { listMetrics, getMetricEntry } from './registry.js';
export { createMetric, type MetricHandle, type CreateMetricOptions } from './api.js';
