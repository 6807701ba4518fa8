/**
 * The generic label format, for any set without a dedicated loader and for our synthetic sets (`iqa synth`):
 * a CSV with a header row and the columns
 *   `dist` (required), `score` (required), `ref` (optional, may be empty per row), `std` (optional),
 *   `split` (optional: train/val/test), `content` (optional: the splitting id), any others -> `meta`
 *   (numeric-looking values become numbers, e.g. `type`, `level`).
 * Paths are relative to the CSV's folder (or absolute). The content id defaults to the `ref` path when present,
 * else the `dist` path. Direction, range and kind are options (range defaults to the observed min..max; kind to
 * 'synthetic' when any row has a reference).
 */
import { hasColumns, headerOf, labelError, num, parseCsv, str } from './label-file.js';
import { loadDataset } from './loader.js';
import type { Dataset, DatasetKind, DatasetSpec, LabelParser, LoadOptions, RawItem, ScoreDirection } from './types.js';

export const GENERIC_COLUMNS = ['dist', 'score', 'ref', 'std', 'split', 'content'] as const;

export const parseGenericCsv: LabelParser = (text, file) => {
  if (!hasColumns(headerOf(text), ['dist', 'score'])) return null;
  const { columns, rows } = parseCsv(text, file);
  const extra = columns.filter((c) => !(GENERIC_COLUMNS as readonly string[]).includes(c));
  const items = rows.map((row): RawItem => {
    const dist = str(file, row, 'dist');
    const ref = (row.record.ref ?? '').trim() || undefined;
    const meta: Record<string, string | number> = {};
    for (const c of extra) {
      const v = row.record[c] ?? '';
      meta[c] = v !== '' && Number.isFinite(Number(v)) ? Number(v) : v;
    }
    const split = (row.record.split ?? '').trim();
    if (split !== '') {
      if (!['train', 'val', 'test'].includes(split)) throw labelError(file, row.line, "column 'split'", 'train, val or test', `'${split}'`);
      meta.split = split;
    }
    const item: RawItem = { dist, ref, score: num(file, row, 'score'), content: (row.record.content ?? '').trim() || ref || dist, meta, line: row.line };
    if ((row.record.std ?? '').trim() !== '') item.std = num(file, row, 'std');
    return item;
  });
  return { items, base: 'labelDir' };
};

export interface GenericCsvOptions extends Omit<LoadOptions, 'root' | 'labels'> {
  /** Path of the CSV file. */
  file: string;
  name?: string;
  scoreDirection?: ScoreDirection;
  range?: readonly [number, number];
  kind?: DatasetKind;
}

/** Loads a generic CSV dataset (see the file header for the columns). */
export async function loadGenericCsv(opts: GenericCsvOptions): Promise<Dataset> {
  const spec: DatasetSpec = {
    name: opts.name ?? (opts.file.split(/[\\/]/).pop() ?? opts.file).replace(/\.[^.]*$/, ''),
    kind: opts.kind ?? 'synthetic',
    scoreDirection: opts.scoreDirection ?? 'higher-better',
    range: opts.range ?? [0, 1],
    labelFiles: [],
    parsers: [parseGenericCsv],
    note: 'generic CSV',
  };
  const ds = await loadDataset(spec, { root: '.', labels: opts.file, checkFiles: opts.checkFiles, fs: opts.fs });
  let lo = Infinity;
  let hi = -Infinity;
  for (const it of ds.items) {
    lo = Math.min(lo, it.score);
    hi = Math.max(hi, it.score);
  }
  const kind = opts.kind ?? (ds.items.some((it) => it.ref !== undefined) ? 'synthetic' : 'authentic');
  return { ...ds, kind, range: opts.range ?? [lo, hi] };
}
