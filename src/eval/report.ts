/**
 * Result tables for metric x dataset evaluations: text (for the terminal), JSON, CSV (csv-stringify, the writer of
 * the csv-parse family used by the loaders) and a standalone HTML report linking the scatter plots.
 * Every PLCC column names its convention (models.md §6.1: raw | logistic4 | logistic5). Browser-safe: files are
 * written by `report-write.ts`.
 */
import { stringify } from 'csv-stringify/sync';
import type { CorrelationResult, Interval } from './correlation.js';

export interface ResultRow {
  readonly metric: string;
  readonly dataset: string;
  readonly n: number;
  readonly srcc: number;
  readonly krcc: number;
  /** Raw Pearson r. */
  readonly plcc: number;
  readonly plccLogistic4?: number;
  readonly plccLogistic5?: number;
  /** RMSE of the logistic4 curve against the target (target units). */
  readonly rmseLogistic4?: number;
  readonly rmseLogistic5?: number;
  readonly signFlipped: boolean;
  /** Bootstrap intervals, where computed. */
  readonly srccCi?: Interval;
  readonly plccCi?: Interval;
  /** Relative path of the scatter plot (SVG or PNG), for the HTML report. */
  readonly plot?: string;
  /** Free-form provenance: fit inits, split, protocol switch... */
  readonly notes?: Readonly<Record<string, string | number>>;
}

/** Flattens a correlation result into a table row. */
export function resultRow(
  metric: string,
  dataset: string,
  r: CorrelationResult,
  extra: Pick<ResultRow, 'srccCi' | 'plccCi' | 'plot' | 'notes'> = {},
): ResultRow {
  return {
    metric,
    dataset,
    n: r.n,
    srcc: r.srcc,
    krcc: r.krcc,
    plcc: r.plcc,
    plccLogistic4: r.logistic4?.plcc,
    plccLogistic5: r.logistic5?.plcc,
    rmseLogistic4: r.logistic4?.rmse,
    rmseLogistic5: r.logistic5?.rmse,
    signFlipped: r.signFlipped,
    ...extra,
  };
}

const COLUMNS = [
  ['metric', 'metric'],
  ['dataset', 'dataset'],
  ['n', 'n'],
  ['srcc', 'SRCC'],
  ['krcc', 'KRCC'],
  ['plcc', 'PLCC(raw)'],
  ['plccLogistic4', 'PLCC(logistic4)'],
  ['plccLogistic5', 'PLCC(logistic5)'],
  ['rmseLogistic4', 'RMSE(logistic4)'],
  ['signFlipped', 'sign flipped'],
] as const;

function fmt(v: unknown, digits = 4): string {
  if (v === undefined || v === null) return '-';
  if (typeof v === 'number') return Number.isInteger(v) ? String(v) : Number.isNaN(v) ? 'NaN' : v.toFixed(digits);
  if (typeof v === 'boolean') return v ? 'yes' : 'no';
  return String(v);
}

function ciText(ci: Interval | undefined): string {
  return ci ? `[${ci.lo.toFixed(3)}, ${ci.hi.toFixed(3)}]` : '';
}

/** A long-format, column-aligned text table (one line per metric x dataset). */
export function formatTable(rows: readonly ResultRow[], opts: { digits?: number } = {}): string {
  const withCi = rows.some((r) => r.srccCi);
  const head: string[] = [...COLUMNS.map(([, h]) => h), ...(withCi ? ['SRCC 95% CI'] : [])];
  const body = rows.map((r) => [...COLUMNS.map(([k]) => fmt(r[k], opts.digits)), ...(withCi ? [ciText(r.srccCi)] : [])]);
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((b) => b[i].length)));
  const line = (cells: string[]) => cells.map((c, i) => (i < 2 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
  return [line(head), widths.map((w) => '-'.repeat(w)).join('  '), ...body.map(line)].join('\n');
}

/** A metric x dataset grid of one statistic (e.g. SRCC), as text. */
export function formatPivot(rows: readonly ResultRow[], stat: 'srcc' | 'krcc' | 'plcc' | 'plccLogistic4' | 'plccLogistic5' = 'srcc', digits = 4): string {
  const metrics = [...new Set(rows.map((r) => r.metric))];
  const datasets = [...new Set(rows.map((r) => r.dataset))];
  const cell = (m: string, d: string) => fmt(rows.find((r) => r.metric === m && r.dataset === d)?.[stat], digits);
  const head = [stat, ...datasets];
  const body = metrics.map((m) => [m, ...datasets.map((d) => cell(m, d))]);
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((b) => b[i].length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
  return [line(head), ...body.map(line)].join('\n');
}

/** JSON document: the rows plus free-form run metadata (versions, protocol, fit conventions). */
export function toJson(rows: readonly ResultRow[], meta: Readonly<Record<string, unknown>> = {}): string {
  return JSON.stringify({ ...meta, conventions: { plcc: ['raw', 'logistic4', 'logistic5'], krcc: 'tau-b' }, results: rows }, null, 1);
}

/** CSV with a header row; intervals as lo/hi columns. */
export function toCsv(rows: readonly ResultRow[]): string {
  const records = rows.map((r) => ({
    metric: r.metric,
    dataset: r.dataset,
    n: r.n,
    srcc: r.srcc,
    krcc: r.krcc,
    plcc_raw: r.plcc,
    plcc_logistic4: r.plccLogistic4 ?? '',
    plcc_logistic5: r.plccLogistic5 ?? '',
    rmse_logistic4: r.rmseLogistic4 ?? '',
    rmse_logistic5: r.rmseLogistic5 ?? '',
    sign_flipped: r.signFlipped,
    srcc_ci_lo: r.srccCi?.lo ?? '',
    srcc_ci_hi: r.srccCi?.hi ?? '',
    plcc_ci_lo: r.plccCi?.lo ?? '',
    plcc_ci_hi: r.plccCi?.hi ?? '',
    plot: r.plot ?? '',
  }));
  return stringify(records, { header: true, cast: { boolean: (b) => (b ? 'true' : 'false') } });
}

/** Escapes text for XML/HTML content and attribute values. */
export function escapeXmlText(s: string): string {
  return s.replace(/[<>&'"]/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', "'": '&#39;', '"': '&quot;' })[c] as string);
}

/** A standalone HTML page: the results table (plots linked per row) and a gallery of the plots. */
export function toHtml(rows: readonly ResultRow[], opts: { title?: string; notes?: readonly string[] } = {}): string {
  const title = opts.title ?? 'IQA evaluation';
  const withCi = rows.some((r) => r.srccCi);
  const th = [...COLUMNS.map(([, h]) => h), ...(withCi ? ['SRCC 95% CI'] : []), 'plot'].map((h) => `<th>${escapeXmlText(h)}</th>`).join('');
  const tr = rows
    .map((r) => {
      const cells = [...COLUMNS.map(([k]) => fmt(r[k])), ...(withCi ? [ciText(r.srccCi)] : [])].map((c) => `<td>${escapeXmlText(c)}</td>`);
      const plot = r.plot ? `<a href="${escapeXmlText(r.plot)}">plot</a>` : '';
      return `<tr>${cells.join('')}<td>${plot}</td></tr>`;
    })
    .join('\n');
  const gallery = rows
    .filter((r) => r.plot)
    .map((r) => `<figure><a href="${escapeXmlText(r.plot as string)}"><img src="${escapeXmlText(r.plot as string)}" alt="${escapeXmlText(`${r.metric} on ${r.dataset}`)}" width="420"></a><figcaption>${escapeXmlText(`${r.metric} on ${r.dataset}`)}</figcaption></figure>`)
    .join('\n');
  const notes = (opts.notes ?? []).map((n) => `<li>${escapeXmlText(n)}</li>`).join('');
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeXmlText(title)}</title>
<style>body{font-family:sans-serif;margin:2em}table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:3px 8px;text-align:right}td:nth-child(-n+2){text-align:left}figure{display:inline-block;margin:8px}</style>
</head><body>
<h1>${escapeXmlText(title)}</h1>
<p>SRCC and KRCC (tau-b) on raw predictions; PLCC raw and after the 4-parameter (CVRKD) and 5-parameter (VQEG) logistic fits. "sign flipped": the prediction was negated because exactly one of prediction and target is lower-is-better.</p>
${notes ? `<ul>${notes}</ul>` : ''}
<table><thead><tr>${th}</tr></thead><tbody>
${tr}
</tbody></table>
<h2>Scatter plots</h2>
${gallery}
</body></html>
`;
}
