/**
 * LIVE In the Wild Image Quality Challenge (D. Ghadiyaram, A. C. Bovik, "Massive online crowdsourced study of
 * subjective and objective picture quality", IEEE TIP 25(1), 2016): 1,162 authentic images (the 7 training
 * images of `AllImages_release.mat` excluded, as CVRKD slices [7:1169]). Score: MOS ~0-100, higher is better.
 * Label file: iqa-dataset `LIVE_Challenge.txt` (paths `LIVE_Challenge/Images/...`); the `.mat` files are not read.
 */
import { parseIqaDatasetCsv } from './label-file.js';
import type { DatasetSpec } from './types.js';

export const livec: DatasetSpec = {
  name: 'LIVEC',
  kind: 'authentic',
  scoreDirection: 'higher-better',
  range: [0, 100],
  labelFiles: ['LIVE_Challenge.txt', 'LIVE_Challenge/LIVE_Challenge.txt'],
  parsers: [parseIqaDatasetCsv(false)],
  note: 'LIVE Challenge, MOS 0-100 (higher is better)',
};
