/**
 * KADID-10k (H. Lin, V. Hosu, D. Saupe, "KADID-10k: a large-scale artificially distorted IQA database", QoMEX 2019):
 * 81 references, 10,125 distorted images (25 types x 5 levels), `I01_01_01.png` = reference 01, type 01, level 01.
 * Score: MOS 1-5, higher is better (the official column is named `dmos` but holds MOS).
 * Label files: iqa-dataset `KADID-10k.txt` (paths `KADID-10k/images/...`), or the official `dmos.csv`
 * (`dist_img,ref_img,dmos,var`, images in `images/` next to it; std = sqrt(var)).
 */
import { hasColumns, headerOf, labelError, num, parseCsv, parseIqaDatasetCsv, stem, str } from './label-file.js';
import type { DatasetSpec, LabelParser, RawItem } from './types.js';

/** `I01_17_3.png` -> { refId: 1, typeId: 17, level: 3 }. */
export function kadidNameInfo(dist: string): Record<string, number> | null {
  const m = /I(\d\d)_(\d\d)_(\d\d)\.[A-Za-z]+$/.exec(dist);
  return m ? { refId: Number(m[1]), typeId: Number(m[2]), level: Number(m[3]) } : null;
}

const official: LabelParser = (text, file) => {
  if (!hasColumns(headerOf(text), ['dist_img', 'ref_img', 'dmos'])) return null;
  const { columns, rows } = parseCsv(text, file);
  const items = rows.map((row): RawItem => {
    const dist = str(file, row, 'dist_img');
    const ref = str(file, row, 'ref_img');
    const info = kadidNameInfo(dist);
    if (info === null) throw labelError(file, row.line, 'image name', "'Irr_tt_ll.png'", `'${dist}'`);
    const item: RawItem = { dist: `images/${dist}`, ref: `images/${ref}`, score: num(file, row, 'dmos'), content: stem(ref), meta: info, line: row.line };
    if (columns.includes('var')) item.std = Math.sqrt(num(file, row, 'var'));
    return item;
  });
  return { items, base: 'labelDir' };
};

export const kadid10k: DatasetSpec = {
  name: 'KADID-10k',
  kind: 'synthetic',
  scoreDirection: 'higher-better',
  range: [1, 5],
  labelFiles: ['KADID-10k.txt', 'kadid10k/dmos.csv', 'KADID-10k/dmos.csv', 'dmos.csv'],
  parsers: [parseIqaDatasetCsv(true, kadidNameInfo), official],
  note: 'KADID-10k, MOS 1-5 (higher is better)',
};
