/**
 * TID2008 (N. Ponomarenko et al., "TID2008 - a database for evaluation of full-reference visual quality assessment
 * metrics", Adv. Modern Radioelectronics 10, 2009): 25 references, 1700 distorted images (17 types x 4 levels).
 * Score: MOS 0-9, higher is better. File names are upper case (`I01_01_1.bmp`, `I01.BMP`).
 * Label files: iqa-dataset `TID2008.txt` under the root, or the official `TID2008/mos_with_names.txt`.
 */
import { tidParsers } from './tid.js';
import type { DatasetSpec } from './types.js';

export const tid2008: DatasetSpec = {
  name: 'TID2008',
  kind: 'synthetic',
  scoreDirection: 'higher-better',
  range: [0, 9],
  labelFiles: ['TID2008.txt', 'TID2008/mos_with_names.txt', 'mos_with_names.txt'],
  parsers: tidParsers((id) => `I${id}.BMP`),
  note: 'TID2008, MOS 0-9 (higher is better)',
};
