/**
 * SPAQ (Y. Fang, H. Zhu, Y. Zeng, K. Ma, Z. Wang, "Perceptual quality assessment of smartphone photography",
 * CVPR 2020): 11,125 smartphone photos. Score: MOS 0-100, higher is better.
 * Label file: iqa-dataset `SPAQ.txt` (paths `SPAQ/Dataset/TestImage/...`). The official
 * `MOS and Image attribute scores.xlsx` is not read (export it as the generic CSV if needed).
 */
import { parseIqaDatasetCsv } from './label-file.js';
import type { DatasetSpec } from './types.js';

export const spaq: DatasetSpec = {
  name: 'SPAQ',
  kind: 'authentic',
  scoreDirection: 'higher-better',
  range: [0, 100],
  labelFiles: ['SPAQ.txt', 'SPAQ/SPAQ.txt'],
  parsers: [parseIqaDatasetCsv(false)],
  note: 'SPAQ, MOS 0-100 (higher is better)',
};
