/**
 * PIPAL (J. Gu et al., "PIPAL: a large-scale image quality assessment dataset for perceptual image restoration",
 * ECCV 2020), public training part: 200 references, 23,200 distorted images (`A0001_00_00.bmp`: reference A0001,
 * distortion group 00, index 00). Score: Elo, higher is better; nominal range 900-1850 (observed 916.7-1836).
 * Label file: iqa-dataset `PIPAL.txt` (`PIPAL/Distortion_<k>/...`, references `PIPAL/Train_Ref/...`). The official
 * `Train_Label/A*.txt` (one file per reference) is not read; the iqa-dataset file holds the same scores.
 */
import { parseIqaDatasetCsv } from './label-file.js';
import type { DatasetSpec } from './types.js';

/** `A0001_02_11.bmp` -> { group: 2, index: 11 }. */
export function pipalNameInfo(dist: string): Record<string, number> | null {
  const m = /A\d{4}_(\d\d)_(\d\d)\.[A-Za-z]+$/.exec(dist);
  return m ? { group: Number(m[1]), index: Number(m[2]) } : null;
}

export const pipal: DatasetSpec = {
  name: 'PIPAL',
  kind: 'synthetic',
  scoreDirection: 'higher-better',
  range: [900, 1850],
  labelFiles: ['PIPAL.txt', 'PIPAL/PIPAL.txt'],
  parsers: [parseIqaDatasetCsv(true, pipalNameInfo)],
  note: 'PIPAL (train), Elo score (higher is better), nominal 900-1850',
};
