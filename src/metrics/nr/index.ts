/** Every no-reference classic metric, as registry entries. One file per metric beside this one. */
import type { MetricEntry } from '../types.js';

export const NR_METRICS: readonly MetricEntry[] = [
  // --- niqe.ts, il-niqe.ts, brisque.ts, piqe.ts, entropy.ts, sharpness.ts, blockiness.ts

];
