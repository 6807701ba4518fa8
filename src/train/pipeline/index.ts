/** The training batch pipeline: worker-thread decoding, cropping and augmentation with prefetch (loader.ts). */
export { BatchLoader, type Batch, type LoaderOptions, type LoaderStats } from './loader.js';
export { ImageCache } from './cache.js';
export { assembleBatch, batchesPerEpoch, deriveSeed, epochOrder, type BatchPixels, type BatchPlan, type BatchRecipe, type DecodedImage, type LoaderSample, type SkippedSample } from './recipe.js';
