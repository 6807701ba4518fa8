/**
 * Pseudo-MOS labels: KADID-10k's human MOS averaged per distortion type and level over its 81 references
 * (`kadid10k_mos_by_type_level.csv`: dist_type, dist_name_label_file, dist_name, level, mos_mean, mos_std, count).
 * A synthetic image gets the mean for its type and level, whatever its content: see docs/synthetic-data.md.
 * CSV parsing: `csv-parse` (well-kept, runs in browsers too).
 */
import { parse } from 'csv-parse/sync';
import { IqaError } from '../../tensor/errors.js';

export interface PseudoMos {
  /** MOS mean on KADID's 1..5 scale (higher = better). */
  readonly mean: number;
  /** Standard deviation of the per-image MOS over the references (ddof 1). */
  readonly std: number;
  readonly count: number;
}

/** type id (1..25) -> level (1..5) -> pseudo-MOS. */
export type PseudoMosTable = ReadonlyMap<number, ReadonlyMap<number, PseudoMos>>;

const COLUMNS = ['dist_type', 'level', 'mos_mean', 'mos_std', 'count'] as const;

/** Parses the CSV text; `label` names the file in errors, which give the line. */
export function parsePseudoMos(text: string, label = 'kadid10k_mos_by_type_level.csv'): PseudoMosTable {
  let rows: Record<string, string>[];
  try {
    rows = parse(text, { columns: true, skip_empty_lines: true, trim: true }) as Record<string, string>[];
  } catch (e) {
    throw new IqaError(`parsePseudoMos: ${label}: ${(e as Error).message}`, 'E_PARSE', { cause: e });
  }
  if (rows.length === 0) throw new IqaError(`parsePseudoMos: ${label}: expected 125 data rows, got none`, 'E_PARSE');
  for (const c of COLUMNS) {
    if (!(c in rows[0])) throw new IqaError(`parsePseudoMos: ${label}: line 1: expected a column '${c}', got columns ${Object.keys(rows[0]).join(',')}`, 'E_PARSE');
  }
  const table = new Map<number, Map<number, PseudoMos>>();
  rows.forEach((r, i) => {
    const line = i + 2;
    const t = Number(r.dist_type);
    const l = Number(r.level);
    const mean = Number(r.mos_mean);
    const std = Number(r.mos_std);
    const count = Number(r.count);
    if (!Number.isInteger(t) || !Number.isInteger(l) || !Number.isFinite(mean) || !Number.isFinite(std)) {
      throw new IqaError(`parsePseudoMos: ${label}: line ${line}: expected integer dist_type/level and numeric mos_mean/mos_std, got ${JSON.stringify(r)}`, 'E_PARSE');
    }
    if (!table.has(t)) table.set(t, new Map());
    table.get(t)!.set(l, { mean, std, count });
  });
  return table;
}

/** The pseudo-MOS of one type and level; throws if the table lacks it. */
export function lookupPseudoMos(table: PseudoMosTable, typeId: number, level: number): PseudoMos {
  const m = table.get(typeId)?.get(level);
  if (!m) throw new IqaError(`lookupPseudoMos: type ${typeId} level ${level}: expected a row in the pseudo-MOS table, got none`, 'E_PARSE');
  return m;
}
