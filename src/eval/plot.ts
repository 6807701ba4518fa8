/**
 * Scatter plot of predictions against subjective scores with the fitted logistic curve, as a standalone SVG string
 * (written directly: a plot library would bring a DOM or a canvas for one chart type). Browser-safe; PNG through
 * `io/image-grid.svgToPng`.
 */
import { escapeXmlText } from './report.js';
import type { LogisticFit } from './logistic.js';

export interface ScatterOptions {
  title?: string;
  xLabel?: string;
  yLabel?: string;
  /** Fitted curve to draw (over the x range). */
  fit?: Pick<LogisticFit, 'predict' | 'kind'>;
  /** Lines of text in the legend box, e.g. 'SRCC 0.912'. */
  legend?: readonly string[];
  width?: number;
  height?: number;
  /** Point radius (default 2.5, or 1.5 above 2000 points). */
  radius?: number;
}

/** "Nice" tick values covering [lo, hi] (1, 2, 5 x 10^k steps). */
export function niceTicks(lo: number, hi: number, target = 6): number[] {
  if (!(hi > lo)) return [lo];
  const raw = (hi - lo) / target;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * mag).find((s) => s >= raw) ?? 10 * mag;
  const out: number[] = [];
  for (let k = Math.ceil(lo / step - 1e-9); k * step <= hi + step * 1e-9; k++) out.push(k === 0 ? 0 : Number((k * step).toPrecision(12)));
  return out;
}

function fmtTick(v: number): string {
  const a = Math.abs(v);
  if (a !== 0 && (a >= 1e5 || a < 1e-3)) return v.toExponential(1);
  return String(Number(v.toPrecision(6)));
}

function extent(v: ArrayLike<number>): [number, number] {
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = 0; i < v.length; i++) {
    lo = Math.min(lo, v[i]);
    hi = Math.max(hi, v[i]);
  }
  if (lo === hi) return [lo - 0.5, hi + 0.5];
  const pad = 0.04 * (hi - lo);
  return [lo - pad, hi + pad];
}

/** Builds the SVG document for a prediction-vs-MOS scatter. */
export function scatterSvg(x: ArrayLike<number>, y: ArrayLike<number>, opts: ScatterOptions = {}): string {
  const W = opts.width ?? 560;
  const H = opts.height ?? 420;
  const m = { l: 64, r: 16, t: opts.title ? 36 : 16, b: 52 };
  const pw = W - m.l - m.r;
  const ph = H - m.t - m.b;
  const [x0, x1] = extent(x);
  const [y0, y1] = extent(y);
  const sx = (v: number) => m.l + ((v - x0) / (x1 - x0)) * pw;
  const sy = (v: number) => m.t + ph - ((v - y0) / (y1 - y0)) * ph;
  const r = opts.radius ?? (x.length > 2000 ? 1.5 : 2.5);
  const parts: string[] = [];
  parts.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="sans-serif" font-size="12">`);
  parts.push(`<rect width="${W}" height="${H}" fill="#fff"/>`);
  if (opts.title) parts.push(`<text x="${W / 2}" y="22" text-anchor="middle" font-size="14" font-weight="bold">${escapeXmlText(opts.title)}</text>`);
  // Grid and ticks.
  for (const t of niceTicks(x0, x1)) {
    const px = sx(t).toFixed(1);
    parts.push(`<line x1="${px}" y1="${m.t}" x2="${px}" y2="${m.t + ph}" stroke="#eee"/>`);
    parts.push(`<text x="${px}" y="${m.t + ph + 16}" text-anchor="middle">${fmtTick(t)}</text>`);
  }
  for (const t of niceTicks(y0, y1)) {
    const py = sy(t).toFixed(1);
    parts.push(`<line x1="${m.l}" y1="${py}" x2="${m.l + pw}" y2="${py}" stroke="#eee"/>`);
    parts.push(`<text x="${m.l - 6}" y="${py}" text-anchor="end" dominant-baseline="middle">${fmtTick(t)}</text>`);
  }
  parts.push(`<rect x="${m.l}" y="${m.t}" width="${pw}" height="${ph}" fill="none" stroke="#333"/>`);
  // Points.
  const pts: string[] = [];
  for (let i = 0; i < x.length; i++) pts.push(`<circle cx="${sx(x[i]).toFixed(1)}" cy="${sy(y[i]).toFixed(1)}" r="${r}"/>`);
  parts.push(`<g fill="#1f77b4" fill-opacity="0.55">${pts.join('')}</g>`);
  // Fitted curve, clipped to the plot area.
  if (opts.fit) {
    const steps = 200;
    const d: string[] = [];
    for (let k = 0; k <= steps; k++) {
      const xv = x0 + ((x1 - x0) * k) / steps;
      const yv = opts.fit.predict(xv);
      if (Number.isFinite(yv)) d.push(`${d.length === 0 ? 'M' : 'L'}${sx(xv).toFixed(1)},${sy(yv).toFixed(1)}`);
    }
    parts.push(`<clipPath id="plot"><rect x="${m.l}" y="${m.t}" width="${pw}" height="${ph}"/></clipPath>`);
    parts.push(`<path d="${d.join('')}" fill="none" stroke="#d62728" stroke-width="2" clip-path="url(#plot)"/>`);
  }
  // Axis labels.
  parts.push(`<text x="${m.l + pw / 2}" y="${H - 12}" text-anchor="middle">${escapeXmlText(opts.xLabel ?? 'prediction')}</text>`);
  parts.push(`<text transform="translate(16 ${m.t + ph / 2}) rotate(-90)" text-anchor="middle">${escapeXmlText(opts.yLabel ?? 'MOS')}</text>`);
  // Legend.
  const legend = [...(opts.legend ?? []), ...(opts.fit ? [`curve: ${opts.fit.kind}`] : [])];
  if (legend.length > 0) {
    const lw = 8 + 7 * Math.max(...legend.map((s) => s.length));
    parts.push(`<g transform="translate(${m.l + 8} ${m.t + 8})"><rect width="${lw}" height="${8 + 16 * legend.length}" fill="#fff" fill-opacity="0.85" stroke="#999"/>`);
    legend.forEach((s, i) => parts.push(`<text x="6" y="${18 + 16 * i}">${escapeXmlText(s)}</text>`));
    parts.push('</g>');
  }
  parts.push('</svg>');
  return parts.join('\n');
}
