/** Output formats shared by the CLI commands: aligned text table, JSON, CSV (csv-stringify: correct quoting). */
import { stringify } from 'csv-stringify/sync';
import type { JobResult } from './batch.js';

export type OutputFormat = 'table' | 'json' | 'csv';

export function formatNumber(v: number): string {
  if (!Number.isFinite(v)) return String(v);
  const a = Math.abs(v);
  return a !== 0 && (a < 1e-3 || a >= 1e6) ? v.toExponential(5) : v.toFixed(6).replace(/\.?0+$/, (m) => (m.startsWith('.') ? '' : m));
}

export function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (r: string[]) => r.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ').trimEnd();
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

/** Renders batch results in the chosen format. */
export function renderResults(results: JobResult[], metrics: string[], format: OutputFormat): string {
  if (format === 'json') {
    return JSON.stringify(
      results.map((r) => ({
        name: r.name,
        dist: r.dist,
        ...(r.ref ? { ref: r.ref } : {}),
        scores: Object.fromEntries(metrics.map((m) => [m, r.scores[m] ?? null])),
        ...(r.error ? { error: r.error } : {}),
        ...(Object.keys(r.metricErrors).length ? { metricErrors: r.metricErrors } : {}),
      })),
      (_k, v: unknown) => (typeof v === 'number' && !Number.isFinite(v) ? String(v) : v),
      2,
    );
  }
  if (format === 'csv') {
    const rows = results.map((r) => [r.name, r.dist, r.ref ?? '', ...metrics.map((m) => (m in r.scores ? String(r.scores[m]) : '')), r.error ?? Object.entries(r.metricErrors).map(([m, e]) => `${m}: ${e}`).join('; ')]);
    return stringify([['name', 'dist', 'ref', ...metrics, 'error'], ...rows]).trimEnd();
  }
  const rows = results.map((r) => [r.name, ...metrics.map((m) => (m in r.scores ? formatNumber(r.scores[m]) : r.error ? '-' : 'error'))]);
  return table(['image', ...metrics], rows);
}
