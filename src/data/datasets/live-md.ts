/**
 * LIVE Multiply Distorted (D. Jayaraman, A. Mittal, A. K. Moorthy, A. C. Bovik, "Objective quality assessment of
 * multiply distorted images", Asilomar 2012): 15 references, 450 images in two parts (blur+JPEG, blur+noise).
 * Score: DMOS, lower is better, nominal 0-100. Label file: iqa-dataset `LIVE_MD.txt`
 * (`LIVE_MD/To_Release/Part_<k>/<folder>/...`, references `LIVE_MD/To_Release/Ref_Images/...`); the part is
 * recorded in `meta.part`. The official `.mat` files are not read.
 */
import { parseIqaDatasetCsv } from './label-file.js';
import type { DatasetSpec } from './types.js';

export function liveMdNameInfo(dist: string): Record<string, number> | null {
  const m = /Part_(\d)/.exec(dist);
  return m ? { part: Number(m[1]) } : null;
}

export const liveMd: DatasetSpec = {
  name: 'LIVE-MD',
  kind: 'synthetic',
  scoreDirection: 'lower-better',
  range: [0, 100],
  labelFiles: ['LIVE_MD.txt', 'LIVE_MD/LIVE_MD.txt'],
  parsers: [parseIqaDatasetCsv(true, liveMdNameInfo)],
  note: 'LIVE-MD, DMOS (lower is better), nominal 0-100',
};
