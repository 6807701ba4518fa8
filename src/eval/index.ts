/** Evaluation: correlations and logistic fits, splits, model-free tests, gMAD, plots and reports (browser-safe). */
export * from './correlation.js';
export * from './logistic.js';
export * from './splits.js';
export * from './model-free.js';
export * from './gmad.js';
export * from './plot.js';
export * from './report.js';
export * from './evaluate.js';
export { makeRng, shuffleInPlace, randInt, type Rng } from './rng.js';
