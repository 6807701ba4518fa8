/**
 * LIVE Image Quality Assessment Database, Release 2 (H. R. Sheikh, Z. Wang, L. Cormack, A. C. Bovik, 2006):
 * 29 references, 779 distorted images (jp2k 227, jpeg 233, wn / gblur / fastfading 174 each).
 * Label file: the iqa-dataset `LIVE.txt` (`dis_img_path,dis_type,ref_img_path,score`), paths `LIVE/<type>/imgN.bmp`,
 * references `LIVE/refimgs/<name>.bmp`. Score: **realigned DMOS** (`dmos_realigned.mat`), lower is better,
 * nominal 0-100 (observed -2.6 ... 111.8); the reference copies inside each folder are not listed.
 * The official `.mat` label files are not read (a MAT-file reader is not worth a dependency for one file).
 */
import { parseIqaDatasetCsv } from './label-file.js';
import type { DatasetSpec } from './types.js';

export const live: DatasetSpec = {
  name: 'LIVE',
  kind: 'synthetic',
  scoreDirection: 'lower-better',
  range: [0, 100],
  labelFiles: ['LIVE.txt', 'LIVE/LIVE.txt'],
  parsers: [parseIqaDatasetCsv(true)],
  note: 'LIVE R2, realigned DMOS (lower is better), nominal 0-100',
};
