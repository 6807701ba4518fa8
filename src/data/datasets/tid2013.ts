/**
 * TID2013 (N. Ponomarenko et al., "Image database TID2013: peculiarities, results and perspectives", Signal
 * Processing: Image Communication 30, 2015): 25 references, 3000 distorted images (24 types x 5 levels).
 * Score: MOS 0-9, higher is better. Distorted names are lower case (`i01_01_1.bmp`); the official references are
 * `I01.BMP` (the iqa-dataset file writes `i01.bmp`; each format's own names are used as written).
 * Label files: iqa-dataset `TID2013.txt` under the root, or the official `TID2013/mos_with_names.txt`.
 */
import { tidParsers } from './tid.js';
import type { DatasetSpec } from './types.js';

export const tid2013: DatasetSpec = {
  name: 'TID2013',
  kind: 'synthetic',
  scoreDirection: 'higher-better',
  range: [0, 9],
  labelFiles: ['TID2013.txt', 'TID2013/mos_with_names.txt', 'mos_with_names.txt'],
  parsers: tidParsers((id) => `I${id}.BMP`),
  note: 'TID2013, MOS 0-9 (higher is better)',
};
