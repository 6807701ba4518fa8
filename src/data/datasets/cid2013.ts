/**
 * CID2013 (T. Virtanen, M. Nuutinen, M. Vaahteranoksa, P. Oittinen, J. Hakkinen, "CID2013: a database for
 * evaluating no-reference image quality assessment algorithms", IEEE TIP 24(1), 2015): 474 camera images in six
 * image sets (IS1-IS6). Score: MOS, higher is better, nominal 0-100 (observed -9.5 ... 87.9).
 * Label file: iqa-dataset `CID2013.txt` (paths `CID2013/IS<k>/co<j>/...`); the image set is `meta.imageSet`.
 * The official `.xlsx` files are not read.
 */
import { parseIqaDatasetCsv } from './label-file.js';
import type { DatasetSpec } from './types.js';

export function cidNameInfo(dist: string): Record<string, number> | null {
  const m = /IS(\d)\//.exec(dist);
  return m ? { imageSet: Number(m[1]) } : null;
}

export const cid2013: DatasetSpec = {
  name: 'CID2013',
  kind: 'authentic',
  scoreDirection: 'higher-better',
  range: [0, 100],
  labelFiles: ['CID2013.txt', 'CID2013/CID2013.txt'],
  parsers: [parseIqaDatasetCsv(false, cidNameInfo)],
  note: 'CID2013, MOS 0-100 (higher is better)',
};
