/**
 * KonIQ-10k (V. Hosu, H. Lin, T. Sziranyi, D. Saupe, "KonIQ-10k: an ecologically valid database for deep learning
 * of blind image quality assessment", IEEE TIP 29, 2020): 10,073 authentic images at 1024x768.
 * Score: MOS 1-5, higher is better. Label files: iqa-dataset `KonIQ-10k.txt` (paths `KonIQ-10k/1024x768/...`),
 * or the official `koniq10k_scores_and_distributions.csv` (`image_name, c1..c5, c_total, MOS, SD, MOS_zscore`,
 * images in `1024x768/` next to it; SD becomes `std`, MOS_zscore goes to `meta.mosZscore`, which CVRKD uses).
 */
import { hasColumns, headerOf, num, parseCsv, parseIqaDatasetCsv, stem, str } from './label-file.js';
import type { DatasetSpec, LabelParser, RawItem } from './types.js';

const official: LabelParser = (text, file) => {
  if (!hasColumns(headerOf(text), ['image_name', 'MOS'])) return null;
  const { columns, rows } = parseCsv(text, file);
  const items = rows.map((row): RawItem => {
    const name = str(file, row, 'image_name');
    const item: RawItem = { dist: `1024x768/${name}`, score: num(file, row, 'MOS'), content: stem(name), meta: {}, line: row.line };
    if (columns.includes('SD')) item.std = num(file, row, 'SD');
    if (columns.includes('MOS_zscore')) item.meta.mosZscore = num(file, row, 'MOS_zscore');
    return item;
  });
  return { items, base: 'labelDir' };
};

export const koniq10k: DatasetSpec = {
  name: 'KonIQ-10k',
  kind: 'authentic',
  scoreDirection: 'higher-better',
  range: [1, 5],
  labelFiles: ['KonIQ-10k.txt', 'koniq10k/koniq10k_scores_and_distributions.csv', 'koniq10k_scores_and_distributions.csv'],
  parsers: [parseIqaDatasetCsv(false), official],
  note: 'KonIQ-10k, MOS 1-5 (higher is better)',
};
