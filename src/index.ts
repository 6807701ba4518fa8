/** Public API (Node). The browser entry point is `iqa-toolkit/browser` (src/browser.ts): everything but file I/O. */
export * from './tensor/index.js';
export * from './io/index.js';
export * from './color/index.js';
export * from './signal/index.js';
export * from './metrics/types.js';
export { listMetrics, getMetricEntry } from './registry.js';
export { createMetric, type MetricHandle, type CreateMetricOptions } from './api.js';
export * as datasets from './data/datasets/index.js';
export * as evaluation from './eval/index.js';
export { runEvaluation, type EvalRunOptions, type EvalRunResult } from './eval/run-node.js';
export { writeReport, writePlot } from './eval/report-write.js';
