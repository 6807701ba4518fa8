/**
 * FLIVE / LIVE-FB (Z. Ying, H. Niu, P. Gupta, D. Mahajan, D. Ghadiyaram, A. C. Bovik, "From patches to pictures
 * (PaQ-2-PiQ): mapping the perceptual space of picture quality", CVPR 2020): 39,810 images.
 * Score: MOS ~0-100, higher is better. Label files: the official `labels_image.csv` (columns `name, mos`, optional
 * `is_valid`; images under `database/` next to it, `name` may hold a sub-folder), or an iqa-dataset `FLIVE.txt`
 * (not shipped in shared data). `is_valid` goes to `meta.split` ('val' when true, else 'train').
 */
import { hasColumns, headerOf, num, parseCsv, parseIqaDatasetCsv, str } from './label-file.js';
import type { DatasetSpec, LabelParser, RawItem } from './types.js';

const official: LabelParser = (text, file) => {
  if (!hasColumns(headerOf(text), ['name', 'mos'])) return null;
  const { columns, rows } = parseCsv(text, file);
  const items = rows.map((row): RawItem => {
    const name = str(file, row, 'name');
    const meta: Record<string, string | number> = {};
    if (columns.includes('is_valid')) meta.split = /^(true|1)$/i.test(row.record.is_valid ?? '') ? 'val' : 'train';
    return { dist: `database/${name}`, score: num(file, row, 'mos'), content: name, meta, line: row.line };
  });
  return { items, base: 'labelDir' };
};

export const flive: DatasetSpec = {
  name: 'FLIVE',
  kind: 'authentic',
  scoreDirection: 'higher-better',
  range: [0, 100],
  labelFiles: ['FLIVE.txt', 'FLIVE/labels_image.csv', 'labels_image.csv'],
  parsers: [parseIqaDatasetCsv(false), official],
  note: 'FLIVE (PaQ-2-PiQ), MOS 0-100 (higher is better)',
};
