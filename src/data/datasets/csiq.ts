/**
 * CSIQ (E. C. Larson, D. M. Chandler, "Most apparent distortion", J. Electron. Imaging 19(1), 2010):
 * 30 references, 866 distorted images, 6 types x 4-5 levels.
 * Label file: iqa-dataset `CSIQ.txt`; paths `CSIQ/dst_imgs/<TYPE>/<ref>.<TYPE>.<level>.png`, references
 * `CSIQ/src_imgs/<ref>.png`. Score: DMOS in [0, 1], lower is better. The level is parsed from the file name.
 */
import { parseIqaDatasetCsv } from './label-file.js';
import type { DatasetSpec } from './types.js';

/** `1600.AWGN.1.png` -> level 1. */
export function csiqNameInfo(dist: string): Record<string, number> | null {
  const m = /\.(\d+)\.[A-Za-z]+$/.exec(dist);
  return m ? { level: Number(m[1]) } : null;
}

export const csiq: DatasetSpec = {
  name: 'CSIQ',
  kind: 'synthetic',
  scoreDirection: 'lower-better',
  range: [0, 1],
  labelFiles: ['CSIQ.txt', 'CSIQ/CSIQ.txt'],
  parsers: [parseIqaDatasetCsv(true, csiqNameInfo)],
  note: 'CSIQ, DMOS in [0, 1] (lower is better)',
};
