/**
 * Shared reading of the two TID databases (N. Ponomarenko et al.): distorted names `iRR_TT_L.bmp`
 * (RR reference, TT distortion type, L level 1-5), references `IRR.BMP`.
 * Formats: the iqa-dataset CSV, or the official `mos_with_names.txt` (`<MOS> <name>` per line) in the dataset folder
 * with `distorted_images/` and `reference_images/` next to it.
 */
import { labelError, parseIqaDatasetCsv, parseScoreNameLines } from './label-file.js';
import type { LabelParser, RawItem } from './types.js';

/** `i01_17_3.bmp` -> { typeId: 17, level: 3, refId: 1 }. */
export function tidNameInfo(dist: string): Record<string, number> | null {
  const m = /[iI](\d\d)_(\d\d)_(\d)\.[A-Za-z]+$/.exec(dist);
  return m ? { refId: Number(m[1]), typeId: Number(m[2]), level: Number(m[3]) } : null;
}

/** Official `mos_with_names.txt`; `refName` gives the reference file for a reference number. */
export function tidOfficialParser(refName: (id: string) => string): LabelParser {
  return (text, file) => {
    if (!file.toLowerCase().endsWith('mos_with_names.txt')) return null;
    const items = parseScoreNameLines(text, file).map(({ line, score, name }): RawItem => {
      const info = tidNameInfo(name);
      if (info === null) throw labelError(file, line, 'image name', "'iRR_TT_L.bmp'", `'${name}'`);
      const id = name.slice(1, 3);
      return {
        dist: `distorted_images/${name}`,
        ref: `reference_images/${refName(id)}`,
        score,
        content: `I${id}`,
        meta: { ...info },
        line,
      };
    });
    return { items, base: 'labelDir' };
  };
}

export function tidParsers(refName: (id: string) => string): LabelParser[] {
  const csv = parseIqaDatasetCsv(true, tidNameInfo);
  // The CSV's content id is the reference stem; TID2013 writes it 'i01', TID2008 'I01': unify to upper case.
  const csvUnified: LabelParser = (text, file) => {
    const r = csv(text, file);
    return r && { ...r, items: r.items.map((it) => ({ ...it, content: it.content.toUpperCase() })) };
  };
  return [csvUnified, tidOfficialParser(refName)];
}
