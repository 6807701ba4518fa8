/**
 * Writes evaluation outputs to disk (Node only, through `io`): plots as SVG and PNG, and the table as text, JSON,
 * CSV and HTML. Kept apart from `report.ts` / `plot.ts`, which are browser-safe.
 */
import { svgToPng } from '../io/image-grid.js';
import { writeOutput } from '../io/files.js';
import { formatTable, toCsv, toHtml, toJson, type ResultRow } from './report.js';

/** Writes `<base>.svg` and, unless `png: false`, `<base>.png`; returns the paths written. */
export async function writePlot(base: string, svg: string, opts: { png?: boolean; scale?: number } = {}): Promise<string[]> {
  const out = [`${base}.svg`];
  await writeOutput(out[0], svg);
  if (opts.png ?? true) {
    out.push(`${base}.png`);
    await writeOutput(out[1], await svgToPng(svg, opts.scale ?? 2));
  }
  return out;
}

export interface WriteReportOptions {
  title?: string;
  /** Metadata stored in the JSON (versions, protocol...). */
  meta?: Readonly<Record<string, unknown>>;
  notes?: readonly string[];
  /** Base file name inside `dir` (default 'results'). */
  name?: string;
}

/** Writes `<name>.txt|json|csv|html` into `dir`; returns the paths. */
export async function writeReport(dir: string, rows: readonly ResultRow[], opts: WriteReportOptions = {}): Promise<string[]> {
  const base = `${dir.replace(/[\\/]+$/, '')}/${opts.name ?? 'results'}`;
  const files: [string, string][] = [
    [`${base}.txt`, `${formatTable(rows)}\n`],
    [`${base}.json`, toJson(rows, opts.meta)],
    [`${base}.csv`, toCsv(rows)],
    [`${base}.html`, toHtml(rows, { title: opts.title, notes: opts.notes })],
  ];
  for (const [p, c] of files) await writeOutput(p, c);
  return files.map(([p]) => p);
}
