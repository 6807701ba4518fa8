/**
 * Dataset loaders: one spec per dataset (file named after it), one loading routine, and a table by name.
 */
import { bid } from './bid.js';
import { cid2013 } from './cid2013.js';
import { csiq } from './csiq.js';
import { flive } from './flive.js';
import { kadid10k } from './kadid10k.js';
import { koniq10k } from './koniq10k.js';
import { liveMd } from './live-md.js';
import { live } from './live.js';
import { livec } from './livec.js';
import { loadDataset } from './loader.js';
import { pipal } from './pipal.js';
import { spaq } from './spaq.js';
import { tid2008 } from './tid2008.js';
import { tid2013 } from './tid2013.js';
import { expected } from '../../tensor/errors.js';
import type { Dataset, DatasetSpec, LoadOptions } from './types.js';

export * from './types.js';
export { loadDataset, normaliseScores, joinPath, type NormaliseOptions } from './loader.js';
export { loadGenericCsv, parseGenericCsv, type GenericCsvOptions } from './generic-csv.js';
export { parseCsv, labelError } from './label-file.js';
export { live, csiq, tid2008, tid2013, kadid10k, pipal, liveMd, koniq10k, livec, spaq, bid, flive, cid2013 };

/** Every dataset with a dedicated loader, by the name users type (lower case). */
export const DATASETS = {
  live,
  csiq,
  tid2008,
  tid2013,
  kadid10k,
  pipal,
  'live-md': liveMd,
  koniq10k,
  livec,
  spaq,
  bid,
  flive,
  cid2013,
} as const satisfies Record<string, DatasetSpec>;

export type DatasetName = keyof typeof DATASETS;

/** Looks a dataset up by name (case-insensitive; 'kadid-10k', 'koniq-10k', 'live-challenge', 'livemd' accepted). */
export function datasetSpec(name: string): DatasetSpec {
  const key = name.toLowerCase().replace(/^kadid-10k$/, 'kadid10k').replace(/^koniq-10k$/, 'koniq10k').replace(/^(live[_-]?challenge|clive)$/, 'livec').replace(/^live_?md$/, 'live-md');
  const spec = (DATASETS as Record<string, DatasetSpec>)[key];
  if (spec === undefined) throw expected('datasetSpec', 'dataset name', `one of ${Object.keys(DATASETS).join(', ')}`, `'${name}'`);
  return spec;
}

/** Loads a named dataset. */
export function loadNamedDataset(name: string, opts: LoadOptions): Promise<Dataset> {
  return loadDataset(datasetSpec(name), opts);
}
