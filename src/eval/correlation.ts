/**
 * Agreement between objective scores and subjective scores (models.md §6.1), matching scipy.stats:
 * - SRCC: Spearman's rho = Pearson correlation of average ranks (`scipy.stats.spearmanr`, ties averaged).
 * - KRCC: Kendall's tau-b = (P - Q) / sqrt((n0 - n1)(n0 - n2)) (`scipy.stats.kendalltau`, variant 'b'), counted in
 *   O(n log n) as scipy does (W. R. Knight, "A computer method for calculating Kendall's tau with ungrouped data",
 *   JASA 61(314), 1966).
 * - PLCC: Pearson r, raw or after a fitted logistic (`logistic.ts`), and RMSE of the fitted curve.
 * Sign: if exactly one of prediction and target is lower-is-better, the prediction is negated first, so that a good
 * metric always gets positive correlations; `signFlipped` records it.
 */
import { expected } from '../tensor/errors.js';
import { fitLogistic, type LogisticFit, type LogisticOptions } from './logistic.js';
import { makeRng, randInt } from './rng.js';

export type Direction = 'higher-better' | 'lower-better';

function checkPair(where: string, x: ArrayLike<number>, y: ArrayLike<number>, min = 2): void {
  if (x.length !== y.length) throw expected(where, 'vector lengths', 'equal', `${x.length} and ${y.length}`);
  if (x.length < min) throw expected(where, 'number of samples', `at least ${min}`, String(x.length));
  for (let i = 0; i < x.length; i++) {
    if (!Number.isFinite(x[i]) || !Number.isFinite(y[i])) {
      throw expected(where, `sample ${i}`, 'finite values', `(${x[i]}, ${y[i]})`, 'E_NAN');
    }
  }
}

/** Pearson linear correlation coefficient (NaN when a vector is constant, as scipy). */
export function pearson(x: ArrayLike<number>, y: ArrayLike<number>): number {
  checkPair('pearson', x, y);
  const n = x.length;
  let mx = 0;
  let my = 0;
  for (let i = 0; i < n; i++) {
    mx += x[i];
    my += y[i];
  }
  mx /= n;
  my /= n;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    const dx = x[i] - mx;
    const dy = y[i] - my;
    sxy += dx * dy;
    sxx += dx * dx;
    syy += dy * dy;
  }
  const r = sxy / Math.sqrt(sxx * syy);
  return Math.max(-1, Math.min(1, r));
}

/** Ranks 1..n with ties given their average rank (`scipy.stats.rankdata(method='average')`). */
export function rankAverage(v: ArrayLike<number>): Float64Array {
  // Native typed-array sort, then each value's average rank from its run of equal values (binary search).
  const n = v.length;
  const sorted = Float64Array.from(v).sort();
  const r = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const x = v[i];
    let lo = 0;
    let hi = n;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (sorted[mid] < x) lo = mid + 1;
      else hi = mid;
    }
    const first = lo;
    hi = n;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (sorted[mid] <= x) lo = mid + 1;
      else hi = mid;
    }
    r[i] = (first + lo + 1) / 2; // ranks first+1 .. lo, averaged
  }
  return r;
}

/** Spearman rank-order correlation (SRCC). */
export function srcc(x: ArrayLike<number>, y: ArrayLike<number>): number {
  checkPair('srcc', x, y);
  return pearson(rankAverage(x), rankAverage(y));
}

/** Number of pairs tied within runs of equal values of a sorted array: sum t(t-1)/2. */
function tiedPairs(sorted: ArrayLike<number>): number {
  let s = 0;
  let run = 1;
  for (let i = 1; i <= sorted.length; i++) {
    if (i < sorted.length && sorted[i] === sorted[i - 1]) run++;
    else {
      s += (run * (run - 1)) / 2;
      run = 1;
    }
  }
  return s;
}

/** Counts inversions (pairs i < j with a[i] > a[j]) of `a` by merge sort; sorts `a` in place. */
function countInversions(a: Float64Array): number {
  const n = a.length;
  let buf: Float64Array = new Float64Array(n);
  let src: Float64Array = a;
  let inv = 0;
  for (let width = 1; width < n; width *= 2) {
    for (let lo = 0; lo < n; lo += 2 * width) {
      const mid = Math.min(lo + width, n);
      const hi = Math.min(lo + 2 * width, n);
      let i = lo;
      let j = mid;
      let k = lo;
      while (i < mid && j < hi) {
        if (src[j] < src[i]) {
          inv += mid - i;
          buf[k++] = src[j++];
        } else buf[k++] = src[i++];
      }
      while (i < mid) buf[k++] = src[i++];
      while (j < hi) buf[k++] = src[j++];
    }
    const t = src;
    src = buf;
    buf = t;
  }
  if (src !== a) a.set(src);
  return inv;
}

/** Kendall rank correlation, tau-b (KRCC), as `scipy.stats.kendalltau`. NaN when a vector is constant. */
export function krcc(x: ArrayLike<number>, y: ArrayLike<number>): number {
  checkPair('krcc', x, y);
  const n = x.length;
  // Sort by x, then y: discordant pairs are then exactly the strict inversions of the y sequence.
  const idx = Array.from({ length: n }, (_, i) => i).sort((a, b) => x[a] - x[b] || y[a] - y[b]);
  const xs = Float64Array.from(idx, (i) => x[i]);
  const ys = Float64Array.from(idx, (i) => y[i]);
  // Pairs tied in both x and y.
  let both = 0;
  let run = 1;
  for (let i = 1; i <= n; i++) {
    if (i < n && xs[i] === xs[i - 1] && ys[i] === ys[i - 1]) run++;
    else {
      both += (run * (run - 1)) / 2;
      run = 1;
    }
  }
  const xTies = tiedPairs(xs);
  const dis = countInversions(ys); // ys is now sorted
  const yTies = tiedPairs(ys);
  const tot = (n * (n - 1)) / 2;
  const conMinusDis = tot - xTies - yTies + both - 2 * dis;
  const tau = conMinusDis / Math.sqrt(tot - xTies) / Math.sqrt(tot - yTies);
  return Math.max(-1, Math.min(1, tau));
}

/** Root mean squared error. */
export function rmse(x: ArrayLike<number>, y: ArrayLike<number>): number {
  checkPair('rmse', x, y, 1);
  let s = 0;
  for (let i = 0; i < x.length; i++) s += (x[i] - y[i]) ** 2;
  return Math.sqrt(s / x.length);
}

/** Which PLCC is meant: raw Pearson, or Pearson after the 4- or 5-parameter logistic. */
export type PlccConvention = 'raw' | 'logistic4' | 'logistic5';

export interface FitReport {
  readonly convention: 'logistic4' | 'logistic5';
  readonly params: readonly number[];
  readonly init: readonly number[];
  readonly sse: number;
  readonly iterations: number;
  /** Pearson r between the fitted curve's output and the target. */
  readonly plcc: number;
  /** RMSE between the fitted curve's output and the target (target units). */
  readonly rmse: number;
}

export interface CorrelationOptions {
  /** Direction of the predictions (default 'higher-better'; e.g. 'lower-better' for LPIPS, DISTS, NIQE, BRISQUE). */
  predictionDirection?: Direction;
  /** Direction of the target (default 'higher-better'; 'lower-better' for DMOS: LIVE, CSIQ, LIVE-MD). */
  targetDirection?: Direction;
  /** Which logistic fits to run (default both). */
  fits?: readonly ('logistic4' | 'logistic5')[];
  logistic?: LogisticOptions;
}

export interface CorrelationResult {
  readonly n: number;
  readonly srcc: number;
  readonly krcc: number;
  /** Raw Pearson r. */
  readonly plcc: number;
  readonly logistic4?: FitReport;
  readonly logistic5?: FitReport;
  /** True when the predictions were negated because exactly one side is lower-is-better. */
  readonly signFlipped: boolean;
}

/** Negates predictions when exactly one side is lower-is-better. */
export function alignSign(pred: ArrayLike<number>, opts: Pick<CorrelationOptions, 'predictionDirection' | 'targetDirection'> = {}): { values: Float64Array; flipped: boolean } {
  const flipped = (opts.predictionDirection ?? 'higher-better') !== (opts.targetDirection ?? 'higher-better');
  return { values: Float64Array.from(pred, (v) => (flipped ? -v : v)), flipped };
}

function fitReport(fit: LogisticFit, x: ArrayLike<number>, y: ArrayLike<number>): FitReport {
  const mapped = Float64Array.from(x, (v) => fit.predict(v));
  return { convention: fit.kind, params: fit.params, init: fit.init, sse: fit.sse, iterations: fit.iterations, plcc: pearson(mapped, y), rmse: rmse(mapped, y) };
}

/** SRCC, KRCC, raw PLCC and the logistic PLCC/RMSE of `pred` against `target`, with sign handling. */
export function correlate(pred: ArrayLike<number>, target: ArrayLike<number>, opts: CorrelationOptions = {}): CorrelationResult {
  checkPair('correlate', pred, target);
  const { values: x, flipped } = alignSign(pred, opts);
  const y = Float64Array.from(target);
  const out: { -readonly [K in keyof CorrelationResult]: CorrelationResult[K] } = {
    n: x.length,
    srcc: srcc(x, y),
    krcc: krcc(x, y),
    plcc: pearson(x, y),
    signFlipped: flipped,
  };
  for (const kind of opts.fits ?? (['logistic4', 'logistic5'] as const)) {
    if (x.length >= (kind === 'logistic4' ? 4 : 5)) out[kind] = fitReport(fitLogistic(kind, x, y, opts.logistic), x, y);
  }
  return out;
}

export interface BootstrapOptions {
  /** Number of resamples (default 1000). */
  resamples?: number;
  /** Confidence level (default 0.95). */
  level?: number;
  /** Seed (default 0). */
  seed?: number;
}

export interface Interval {
  readonly estimate: number;
  readonly lo: number;
  readonly hi: number;
  readonly level: number;
  readonly resamples: number;
}

/**
 * Percentile bootstrap confidence interval of a paired statistic (B. Efron, R. Tibshirani, "An Introduction to the
 * Bootstrap", 1993, ch. 13): resample pairs with replacement, recompute, take the (1-level)/2 and (1+level)/2
 * quantiles (linear interpolation, numpy's default). Resamples that give NaN (a constant vector) are dropped.
 */
export function bootstrapCi(
  stat: (x: Float64Array, y: Float64Array) => number,
  x: ArrayLike<number>,
  y: ArrayLike<number>,
  opts: BootstrapOptions = {},
): Interval {
  checkPair('bootstrapCi', x, y);
  const B = opts.resamples ?? 1000;
  const level = opts.level ?? 0.95;
  if (!(level > 0 && level < 1)) throw expected('bootstrapCi', 'level', 'a number in (0, 1)', String(level));
  if (!(Number.isInteger(B) && B >= 1)) throw expected('bootstrapCi', 'resamples', 'a positive integer', String(B));
  const rng = makeRng(opts.seed ?? 0);
  const n = x.length;
  const xs = new Float64Array(n);
  const ys = new Float64Array(n);
  const vals: number[] = [];
  for (let b = 0; b < B; b++) {
    for (let i = 0; i < n; i++) {
      const j = randInt(rng, n);
      xs[i] = x[j];
      ys[i] = y[j];
    }
    const v = stat(xs, ys);
    if (Number.isFinite(v)) vals.push(v);
  }
  vals.sort((a, b) => a - b);
  return { estimate: stat(Float64Array.from(x), Float64Array.from(y)), lo: quantile(vals, (1 - level) / 2), hi: quantile(vals, (1 + level) / 2), level, resamples: vals.length };
}

/** Quantile of sorted values with linear interpolation (numpy 'linear'). */
export function quantile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return NaN;
  const pos = q * (sorted.length - 1);
  const i = Math.floor(pos);
  const f = pos - i;
  return i + 1 < sorted.length ? sorted[i] * (1 - f) + sorted[i + 1] * f : sorted[i];
}

/**
 * 2AFC score for BAPPS-style triplets (R. Zhang et al., "The unreasonable effectiveness of deep features as a
 * perceptual metric", CVPR 2017, §3/§5): for each triplet the metric gives d0 = score(ref, p0), d1 = score(ref, p1),
 * and `judge` is the fraction of people who preferred p1. The metric "picks" the patch it rates closer to the
 * reference; the score credits the share of people agreeing: (d0 < d1)(1 - judge) + (d1 < d0) judge + (d0 = d1)/2
 * for distances (lower-better), mirrored for similarities. Mean over triplets; 1 = always agree, human ceiling < 1.
 */
export function twoAfc(d0: ArrayLike<number>, d1: ArrayLike<number>, judge: ArrayLike<number>, direction: Direction = 'lower-better'): number {
  checkPair('twoAfc', d0, d1, 1);
  if (judge.length !== d0.length) throw expected('twoAfc', 'judge length', String(d0.length), String(judge.length));
  let s = 0;
  for (let i = 0; i < d0.length; i++) {
    const h = judge[i];
    if (!(h >= 0 && h <= 1)) throw expected('twoAfc', `judge ${i}`, 'a fraction in [0, 1]', String(h));
    const a = direction === 'lower-better' ? d0[i] : -d0[i];
    const b = direction === 'lower-better' ? d1[i] : -d1[i];
    s += a < b ? 1 - h : b < a ? h : 0.5;
  }
  return s / d0.length;
}
