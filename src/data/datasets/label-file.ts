/**
 * Label-file parsing shared by the loaders: CSV through `csv-parse` (a maintained, RFC 4180 parser that runs in
 * the browser too and reports line numbers), strict number parsing, and errors that name the file and the line.
 */
import { parse } from 'csv-parse/sync';
import { IqaError } from '../../tensor/errors.js';
import type { RawItem } from './types.js';

/** A parsed CSV row with its 1-based line number in the file. */
export interface CsvRow {
  readonly line: number;
  readonly record: Readonly<Record<string, string>>;
}

/** Error for a bad label line: `<file>:<line>: <what>: expected <want>, got <got>`. */
export function labelError(file: string, line: number, what: string, want: string, got: string): IqaError {
  return new IqaError(`${file}:${line}: ${what}: expected ${want}, got ${got}`, 'E_LABEL');
}

/** Parses a CSV with a header row into records keyed by column; a row of the wrong length is an `IqaError`. */
export function parseCsv(text: string, file: string, opts: { delimiter?: string } = {}): { columns: string[]; rows: CsvRow[] } {
  let out: { record: Record<string, string>; info: { lines: number } }[];
  try {
    out = parse(stripBom(text), {
      columns: (header: string[]) => header.map((h) => h.trim()),
      info: true,
      skip_empty_lines: true,
      trim: true,
      delimiter: opts.delimiter ?? ',',
    }) as { record: Record<string, string>; info: { lines: number } }[];
  } catch (e) {
    const err = e as { lines?: number; message: string; code?: string };
    const line = err.lines ?? 0;
    const msg = err.code === 'CSV_RECORD_INCONSISTENT_COLUMNS' ? err.message.replace(/^Invalid Record Length: /, '') : err.message;
    throw new IqaError(`${file}:${line}: malformed CSV line: ${msg}`, 'E_LABEL', { cause: e });
  }
  const columns = out.length > 0 ? Object.keys(out[0].record) : headerOf(text, opts.delimiter ?? ',');
  return { columns, rows: out.map((r) => ({ line: r.info.lines, record: r.record })) };
}

function stripBom(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

/** The header fields of a CSV text (for files with no data rows). */
export function headerOf(text: string, delimiter = ','): string[] {
  const first = stripBom(text).split(/\r?\n/, 1)[0] ?? '';
  return first.split(delimiter).map((h) => h.trim().replace(/^"|"$/g, ''));
}

/** True when every name in `need` is a column. */
export function hasColumns(columns: readonly string[], need: readonly string[]): boolean {
  return need.every((n) => columns.includes(n));
}

/** Strict number: the whole (trimmed) field must be a finite decimal number. */
export function num(file: string, row: CsvRow, column: string): number {
  return parseNumber(file, row.line, column, row.record[column]);
}

export function parseNumber(file: string, line: number, column: string, raw: string | undefined): number {
  const s = (raw ?? '').trim();
  const v = s === '' ? NaN : Number(s);
  if (!Number.isFinite(v)) throw labelError(file, line, `column '${column}'`, 'a finite number', raw === undefined ? 'nothing' : `'${raw}'`);
  return v;
}

/** Non-empty string field. */
export function str(file: string, row: CsvRow, column: string): string {
  const s = (row.record[column] ?? '').trim();
  if (s === '') throw labelError(file, row.line, `column '${column}'`, 'a non-empty value', "''");
  return s;
}

/** Last path component without its extension: the content id of a reference image. */
export function stem(path: string): string {
  const base = path.split(/[\\/]/).pop() ?? path;
  const dot = base.lastIndexOf('.');
  return dot > 0 ? base.slice(0, dot) : base;
}

/**
 * The iqa-dataset label format (icbcbicc/IQA-Dataset `csv/`, the files in shared/data/labels/iqa-dataset):
 * `dis_img_path,dis_type,ref_img_path,score` (full-reference sets) or `dis_img_path,dis_type,score[,extra...]`
 * (authentic sets). Paths are relative to the root that holds `<Name>/`. `nameInfo` adds per-item meta
 * (type number, level...) parsed from the distorted file name.
 */
export function parseIqaDatasetCsv(
  withRef: boolean,
  nameInfo?: (dist: string) => Record<string, string | number> | null,
): (text: string, file: string) => { items: RawItem[]; base: 'root' } | null {
  return (text, file) => {
    const need = withRef ? ['dis_img_path', 'dis_type', 'ref_img_path', 'score'] : ['dis_img_path', 'dis_type', 'score'];
    if (!hasColumns(headerOf(text), need)) return null;
    const { columns, rows } = parseCsv(text, file);
    const extra = columns.filter((c) => !need.includes(c));
    const items = rows.map((row): RawItem => {
      const dist = str(file, row, 'dis_img_path');
      const ref = withRef ? str(file, row, 'ref_img_path') : undefined;
      const meta: Record<string, string | number> = { type: str(file, row, 'dis_type') };
      for (const c of extra) meta[c] = row.record[c];
      if (nameInfo) {
        const info = nameInfo(dist);
        if (info === null) throw labelError(file, row.line, 'image name', 'the dataset naming pattern', `'${dist}'`);
        Object.assign(meta, info);
      }
      return { dist, ref, score: num(file, row, 'score'), content: ref !== undefined ? stem(ref) : dist, meta, line: row.line };
    });
    return { items, base: 'root' };
  };
}

/**
 * Whitespace-separated lines `<score> <name>` (TID2008/TID2013 `mos_with_names.txt`). Blank lines are skipped;
 * anything else that is not exactly a number and a name is an error naming the line.
 */
export function parseScoreNameLines(text: string, file: string): { line: number; score: number; name: string }[] {
  const out: { line: number; score: number; name: string }[] = [];
  const lines = stripBom(text).split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const t = lines[i].trim();
    if (t === '') continue;
    const parts = t.split(/\s+/);
    if (parts.length !== 2) throw labelError(file, i + 1, 'line', "'<score> <image name>'", `'${t}'`);
    out.push({ line: i + 1, score: parseNumber(file, i + 1, 'score', parts[0]), name: parts[1] });
  }
  return out;
}
