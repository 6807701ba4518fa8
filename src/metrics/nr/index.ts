/** Every no-reference classic metric, as registry entries. One file per metric beside this one. */
import type { MetricEntry } from '../types.js';
import { niqeEntries } from './niqe.js';
import { ilNiqeEntries } from './il-niqe.js';
import { brisqueEntries } from './brisque.js';
import { piqeEntries } from './piqe.js';
import { entropyEntries } from './entropy.js';
import { lapvarEntries } from './lapvar.js';
import { jpegWsbEntries } from './jpeg-wsb.js';
import { cpbdEntries } from './cpbd.js';

export const NR_METRICS: readonly MetricEntry[] = [
  // --- niqe.ts, il-niqe.ts, brisque.ts, piqe.ts, entropy.ts, lapvar.ts (sharpness), jpeg-wsb.ts (blockiness)
  ...niqeEntries,
  ...ilNiqeEntries,
  ...brisqueEntries,
  ...piqeEntries,
  ...entropyEntries,
  ...lapvarEntries,
  ...jpegWsbEntries,
  // --- cpbd.ts (CPBD sharpness)
  ...cpbdEntries,
];
