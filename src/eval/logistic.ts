/**
 * Logistic mappings from objective scores to MOS, fitted by least squares before PLCC/RMSE (models.md §6.1).
 *
 * logistic4 (CVRKD-IQA `convert_obj_score`): f(x) = (a - b) / (1 + exp(-(x - c) / |d|)) + b,
 *   init p0 = [max(y), min(y), mean(x), 1] (CVRKD; scipy curve_fit ftol=1e-8, maxfev=500000).
 * logistic5 (VQEG; H. R. Sheikh, M. F. Sabir, A. C. Bovik, "A statistical evaluation of recent full reference image
 *   quality assessment algorithms", IEEE TIP 15(11), 2006): Q(x) = b1 (1/2 - 1/(1 + exp(b2 (x - b3)))) + b4 x + b5,
 *   init p0 = [10, 0, mean(y), 0.1, 0.1] (pyiqa, from DBCNN `verify_performance.m`).
 *
 * Solver: a Levenberg-Marquardt loop with Marquardt's diagonal scaling and step rejection (as MINPACK `lmder`,
 * which scipy's curve_fit calls), analytic Jacobians, 4-5 unknowns solved by Cholesky. ml-levenberg-marquardt was
 * tried first and dropped: it accepts every step, uses additive damping, and stopped at non-optimal points on 6 of
 * the 10 scipy fixture fits (sum of squared errors up to 2.9x scipy's). The fit runs on standardised data
 * (x' = (x - mean x)/sd x, y' likewise) with the initial values mapped exactly into those coordinates and the result
 * mapped back: the same least-squares problem, better conditioned. Stops when an accepted step lowers the sum of
 * squares by less than 1e-10 relative (tighter than CVRKD's ftol=1e-8 and scipy's default 1.5e-8), when 25
 * iterations together gain less than 1e-8 relative, or after `maxIterations`.
 */
import { expected } from '../tensor/errors.js';

export type LogisticKind = 'logistic4' | 'logistic5';

export interface LogisticFit {
  readonly kind: LogisticKind;
  /** Parameters in the original units, in the order of the formula above. */
  readonly params: readonly number[];
  /** Initial values used (original units). */
  readonly init: readonly number[];
  /** Sum of squared residuals at `params`. */
  readonly sse: number;
  readonly iterations: number;
  /** Maps an objective score through the fitted curve. */
  readonly predict: (x: number) => number;
}

export interface LogisticOptions {
  /** Initial parameters (original units); default as in the file header. */
  init?: readonly number[];
  /** LM iteration budget per start (default 500). */
  maxIterations?: number;
}

/** f(x) = (a - b) / (1 + exp(-(x - c) / |d|)) + b. */
export function logistic4(p: readonly number[], x: number): number {
  return (p[0] - p[1]) / (1 + Math.exp(-(x - p[2]) / Math.abs(p[3]))) + p[1];
}

/** Q(x) = b1 (1/2 - 1/(1 + exp(b2 (x - b3)))) + b4 x + b5. */
export function logistic5(p: readonly number[], x: number): number {
  return p[0] * (0.5 - 1 / (1 + Math.exp(p[1] * (x - p[2])))) + p[3] * x + p[4];
}

function meanSd(v: ArrayLike<number>): [number, number] {
  let m = 0;
  for (let i = 0; i < v.length; i++) m += v[i];
  m /= v.length;
  let s = 0;
  for (let i = 0; i < v.length; i++) s += (v[i] - m) ** 2;
  const sd = Math.sqrt(s / v.length);
  return [m, sd > 0 ? sd : 1];
}

// Exact maps between original parameters and those on standardised data (x' = (x-mx)/sx, y' = (y-my)/sy).
const TO_STD: Record<LogisticKind, (p: readonly number[], mx: number, sx: number, my: number, sy: number) => number[]> = {
  logistic4: ([a, b, c, d], mx, sx, my, sy) => [(a - my) / sy, (b - my) / sy, (c - mx) / sx, d / sx],
  logistic5: ([b1, b2, b3, b4, b5], mx, sx, my, sy) => [b1 / sy, b2 * sx, (b3 - mx) / sx, (b4 * sx) / sy, (b5 + b4 * mx - my) / sy],
};
const FROM_STD: Record<LogisticKind, (q: readonly number[], mx: number, sx: number, my: number, sy: number) => number[]> = {
  logistic4: ([a, b, c, d], mx, sx, my, sy) => [a * sy + my, b * sy + my, c * sx + mx, d * sx],
  logistic5: ([b1, b2, b3, b4, b5], mx, sx, my, sy) => [b1 * sy, b2 / sx, b3 * sx + mx, (b4 * sy) / sx, b5 * sy + my - ((b4 * sy) / sx) * mx],
};

const MODEL: Record<LogisticKind, (p: readonly number[], x: number) => number> = { logistic4, logistic5 };

// Analytic partial derivatives of each model with respect to its parameters, written into out[o .. o+k).
const JACOBIAN: Record<LogisticKind, (p: readonly number[], x: number, out: Float64Array, o: number) => void> = {
  logistic4: (p, x, out, o) => {
    const ad = Math.abs(p[3]);
    const e = Math.exp(-(x - p[2]) / ad);
    const s = 1 / (1 + e);
    const ds = Number.isFinite(e) ? s * s * e : 0; // ds/du for u = (x - c)/|d|
    const amb = p[0] - p[1];
    out[o] = s;
    out[o + 1] = 1 - s;
    out[o + 2] = -(amb * ds) / ad;
    out[o + 3] = ((-amb * ds * (x - p[2])) / (ad * ad)) * (p[3] >= 0 ? 1 : -1);
  },
  logistic5: (p, x, out, o) => {
    const e = Math.exp(p[1] * (x - p[2]));
    const g = 1 / (1 + e);
    const dg = Number.isFinite(e) ? e * g * g : 0; // d/dz of -1/(1+e^z) = e^z/(1+e^z)^2
    out[o] = 0.5 - g;
    out[o + 1] = p[0] * dg * (x - p[2]);
    out[o + 2] = -p[0] * dg * p[1];
    out[o + 3] = x;
    out[o + 4] = 1;
  },
};

/** Default initial values (original units) for each form. */
export function defaultInit(kind: LogisticKind, x: ArrayLike<number>, y: ArrayLike<number>): number[] {
  let ymax = -Infinity;
  let ymin = Infinity;
  for (let i = 0; i < y.length; i++) {
    ymax = Math.max(ymax, y[i]);
    ymin = Math.min(ymin, y[i]);
  }
  return kind === 'logistic4' ? [ymax, ymin, meanSd(x)[0], 1] : [10, 0, meanSd(y)[0], 0.1, 0.1];
}

function sseOf(kind: LogisticKind, p: readonly number[], x: ArrayLike<number>, y: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < x.length; i++) s += (y[i] - MODEL[kind](p, x[i])) ** 2;
  return s;
}

/**
 * Least-squares fit of `kind` to (x, y). The documented initial values are tried first; because both forms have flat
 * regions where a local solver can stall (the logistic5 init b2 = 0 zeroes two Jacobian columns, and its b3 = mean(y)
 * may lie outside the x range), further starts are tried and the lowest sum of squares wins:
 * logistic4 also from pyiqa's [max y, min y, mean x, sd(x)/4] and its mirror [min y, max y, ...]; logistic5 also
 * from the fitted logistic4 embedded exactly (b1 = a - b, b2 = 1/|d|, b3 = c, b4 = 0, b5 = (a + b)/2), so its error
 * is never above the logistic4 error. `init` reports the start that won; `opts.init` fixes a single start.
 */
export function fitLogistic(kind: LogisticKind, x: ArrayLike<number>, y: ArrayLike<number>, opts: LogisticOptions = {}): LogisticFit {
  const nParams = kind === 'logistic4' ? 4 : 5;
  if (x.length !== y.length) throw expected(`fit ${kind}`, 'vector lengths', 'equal', `${x.length} and ${y.length}`);
  if (x.length < nParams) throw expected(`fit ${kind}`, 'number of points', `at least ${nParams}`, String(x.length));
  if (opts.init && opts.init.length !== nParams) throw expected(`fit ${kind}`, 'init length', String(nParams), String(opts.init.length));
  const starts: number[][] = opts.init ? [[...opts.init]] : [defaultInit(kind, x, y)];
  if (!opts.init) {
    const [mx, sx] = meanSd(x);
    const [ymin, ymax] = minMax(y);
    if (kind === 'logistic4') starts.push([ymax, ymin, mx, sx / 4], [ymin, ymax, mx, sx / 4]);
    else {
      const [a, b, c, d] = fitLogistic('logistic4', x, y, { maxIterations: opts.maxIterations }).params;
      const embedded = [a - b, 1 / Math.abs(d), c, 0, (a + b) / 2];
      if (embedded.every(Number.isFinite)) starts.push(embedded);
    }
  }
  // Every start gets a short run; the best one continues to convergence (cheap on large sets).
  const budget = opts.maxIterations ?? 500;
  let best: LogisticFit | null = null;
  for (const init of starts) {
    const f = fitFrom(kind, init, x, y, starts.length > 1 ? Math.min(40, budget) : budget);
    if (best === null || f.sse < best.sse) best = f;
  }
  if (starts.length > 1 && best !== null && best.iterations >= Math.min(40, budget)) {
    const more = fitFrom(kind, [...best.params], x, y, budget - best.iterations);
    if (more.sse <= best.sse) best = { ...more, init: best.init, iterations: best.iterations + more.iterations };
  }
  return best as LogisticFit;
}

function minMax(v: ArrayLike<number>): [number, number] {
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = 0; i < v.length; i++) {
    lo = Math.min(lo, v[i]);
    hi = Math.max(hi, v[i]);
  }
  return [lo, hi];
}

function fitFrom(kind: LogisticKind, init: number[], x: ArrayLike<number>, y: ArrayLike<number>, maxIterations: number): LogisticFit {
  const [mx, sx] = meanSd(x);
  const [my, sy] = meanSd(y);
  const xs = Float64Array.from(x, (v) => (v - mx) / sx);
  const ys = Float64Array.from(y, (v) => (v - my) / sy);
  const { q, iterations } = levenbergMarquardt(kind, TO_STD[kind](init, mx, sx, my, sy), xs, ys, maxIterations);
  const params = FROM_STD[kind](q, mx, sx, my, sy);
  const f = MODEL[kind];
  return { kind, params, init, sse: sseOf(kind, params, x, y), iterations, predict: (v) => f(params, v) };
}

/** Solves the symmetric positive definite system A d = g (A is k x k, row-major) by Cholesky; null if not SPD. */
function choleskySolve(A: Float64Array, g: Float64Array, k: number): Float64Array | null {
  const L = new Float64Array(k * k);
  for (let i = 0; i < k; i++) {
    for (let j = 0; j <= i; j++) {
      let s = A[i * k + j];
      for (let m = 0; m < j; m++) s -= L[i * k + m] * L[j * k + m];
      if (i === j) {
        if (!(s > 0)) return null;
        L[i * k + i] = Math.sqrt(s);
      } else L[i * k + j] = s / L[j * k + j];
    }
  }
  const z = new Float64Array(k);
  for (let i = 0; i < k; i++) {
    let s = g[i];
    for (let m = 0; m < i; m++) s -= L[i * k + m] * z[m];
    z[i] = s / L[i * k + i];
  }
  const d = new Float64Array(k);
  for (let i = k - 1; i >= 0; i--) {
    let s = z[i];
    for (let m = i + 1; m < k; m++) s -= L[m * k + i] * d[m];
    d[i] = s / L[i * k + i];
  }
  return d;
}

/** Levenberg-Marquardt with Marquardt scaling: minimise sum (y - f(p, x))^2 from p0. */
function levenbergMarquardt(kind: LogisticKind, p0: number[], x: Float64Array, y: Float64Array, maxIterations: number): { q: number[]; iterations: number } {
  const k = p0.length;
  const f = MODEL[kind];
  const jac = JACOBIAN[kind];
  let p = p0.slice();
  let sse = sseOf(kind, p, x, y);
  let lambda = 1e-3;
  const A = new Float64Array(k * k);
  const g = new Float64Array(k);
  const J = new Float64Array(k);
  // Marquardt scaling as MINPACK (mode 1): the largest diagonal of J'J seen so far, per parameter (1 for a column
  // that starts at zero, e.g. b1 and b3 of logistic5 while b2 = 0).
  const diag = new Float64Array(k);
  let it = 0;
  let windowStart = sse;
  for (; it < maxIterations; it++) {
    // A creeping descent along a flat valley (a curve turning into a step) is stopped when 25 iterations gain < 1e-8.
    if (it > 0 && it % 25 === 0) {
      if ((windowStart - sse) / Math.max(sse, 1e-300) < 1e-8) break;
      windowStart = sse;
    }
    A.fill(0);
    g.fill(0);
    for (let i = 0; i < x.length; i++) {
      jac(p, x[i], J, 0);
      const r = y[i] - f(p, x[i]);
      for (let a = 0; a < k; a++) {
        g[a] += J[a] * r;
        for (let b = 0; b <= a; b++) A[a * k + b] += J[a] * J[b];
      }
    }
    for (let a = 0; a < k; a++) for (let b = 0; b < a; b++) A[b * k + a] = A[a * k + b];
    for (let a = 0; a < k; a++) diag[a] = it === 0 && A[a * k + a] === 0 ? 1 : Math.max(diag[a], A[a * k + a]);
    let accepted = false;
    while (lambda < 1e16) {
      const M = A.slice();
      for (let a = 0; a < k; a++) M[a * k + a] += lambda * diag[a];
      const d = choleskySolve(M, g, k);
      if (d !== null) {
        const pn = p.map((v, a) => v + d[a]);
        const sn = sseOf(kind, pn, x, y);
        if (Number.isFinite(sn) && sn <= sse) {
          const relF = (sse - sn) / Math.max(sse, 1e-300);
          p = pn;
          sse = sn;
          lambda = Math.max(lambda / 10, 1e-15);
          accepted = true;
          if (relF < 1e-10) return { q: p, iterations: it + 1 };
          break;
        }
      }
      lambda *= 10;
    }
    if (!accepted) break; // no descent direction left: a (local) minimum
  }
  return { q: p, iterations: it };
}
