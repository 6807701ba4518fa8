/**
 * BID, the Blurred Image Database (A. Ciancio, A. L. N. T. da Costa, E. A. B. da Silva, A. Said, R. Samadani,
 * P. Obrador, "No-reference blur assessment of digital pictures based on multifeature classifiers", IEEE TIP 20(1),
 * 2011): 586 photos `ImageDatabase/DatabaseImage0001.JPG` ... Score: MOS 0-5, higher is better.
 * The official grades ship as `DatabaseGrades.xlsx` (not read: no spreadsheet dependency); this loader reads a
 * `BID.txt` in the iqa-dataset layout (`dis_img_path,dis_type,score`, paths `BID/ImageDatabase/...`), which is what
 * that file exports to (image number -> `BID/ImageDatabase/DatabaseImage%04d.JPG`).
 */
import { parseIqaDatasetCsv } from './label-file.js';
import type { DatasetSpec } from './types.js';

export const bid: DatasetSpec = {
  name: 'BID',
  kind: 'authentic',
  scoreDirection: 'higher-better',
  range: [0, 5],
  labelFiles: ['BID.txt', 'BID/BID.txt'],
  parsers: [parseIqaDatasetCsv(false)],
  note: 'BID, MOS 0-5 (higher is better)',
};
