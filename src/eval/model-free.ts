/**
 * Model-free evaluation, for metrics on sets without human labels: the three tests of
 * K. Ma, Z. Duanmu, Q. Wu, Z. Wang, H. Yong, H. Li, L. Zhang, "Waterloo Exploration Database: new challenges for
 * image quality assessment models", IEEE TIP 26(2):1004-1016, 2017, Sec. III.
 *
 * The definitions below are the paper's, restated from its Section III (the paper text was not available to check
 * while writing; the forms are the standard ones quoted by later work):
 * - D-test (pristine/distorted discriminability): with S_p the pristine and S_d the distorted images, q_i the model's
 *   quality prediction (higher = better after sign alignment),
 *     D = max_T 1/2 ( |{i in S_p: q_i > T}| / |S_p| + |{i in S_d: q_i <= T}| / |S_d| ),
 *   the best class-balanced accuracy of a single threshold. 1 = fully separable, 0.5 = chance.
 * - L-test (listwise ranking consistency): for each content i and distortion type j with levels l_ij (1 = mildest),
 *     L_s = 1/(N_c N_d) sum_i sum_j SRCC(-l_ij, q_ij),   L_k the same with KRCC,
 *   i.e. the mean rank agreement between the predicted quality and the (known) order of distortion levels.
 * - P-test (pairwise preference consistency): over N quality-discriminable image pairs (DIPs) whose better member is
 *   known, P = N_c / N with N_c the pairs the model orders the same way (a tie is not concordant).
 *   The paper builds DIPs from agreeing FR models; here `levelPairs` builds them from the known distortion levels
 *   (same content and type, level gap >= `minGap`, and optionally pristine vs distorted).
 */
import { expected } from '../tensor/errors.js';
import type { DatasetItem } from '../data/datasets/types.js';
import { krcc, srcc, type Direction } from './correlation.js';

/** One image in a score table: its content (reference id), distortion type and level (0 = pristine), and a score. */
export interface ScoreRow {
  readonly content: string;
  readonly type: string;
  readonly level: number;
  readonly score: number;
}

function aligned(score: number, direction: Direction): number {
  return direction === 'lower-better' ? -score : score;
}

function checkRows(where: string, rows: readonly ScoreRow[]): void {
  rows.forEach((r, i) => {
    if (!Number.isFinite(r.score)) throw expected(where, `row ${i} (${r.content}/${r.type}/${r.level}) score`, 'a finite number', String(r.score), 'E_NAN');
    if (!(Number.isInteger(r.level) && r.level >= 0)) throw expected(where, `row ${i} level`, 'an integer >= 0 (0 = pristine)', String(r.level));
  });
}

export interface DTestResult {
  readonly D: number;
  /** The threshold T (in the metric's own units and direction) reaching D. */
  readonly threshold: number;
  readonly pristine: number;
  readonly distorted: number;
}

/** D-test: best balanced accuracy of a threshold separating pristine (level 0) from distorted images. */
export function dTest(rows: readonly ScoreRow[], opts: { direction?: Direction } = {}): DTestResult {
  checkRows('dTest', rows);
  const dir = opts.direction ?? 'higher-better';
  const p = rows.filter((r) => r.level === 0).map((r) => aligned(r.score, dir));
  const d = rows.filter((r) => r.level > 0).map((r) => aligned(r.score, dir));
  if (p.length === 0 || d.length === 0) throw expected('dTest', 'images', 'both pristine (level 0) and distorted ones', `${p.length} pristine, ${d.length} distorted`);
  // Sweep T over -inf and every distinct score: pristine counted right when q > T, distorted when q <= T.
  const all = [...p.map((v) => [v, 1] as const), ...d.map((v) => [v, 0] as const)].sort((a, b) => a[0] - b[0]);
  let pBelow = 0; // pristine with q <= T
  let dBelow = 0; // distorted with q <= T
  let best = 0.5; // T = -inf: every image called pristine
  let bestT = -Infinity;
  for (let i = 0; i < all.length; ) {
    const v = all[i][0];
    while (i < all.length && all[i][0] === v) {
      if (all[i][1] === 1) pBelow++;
      else dBelow++;
      i++;
    }
    const acc = 0.5 * ((p.length - pBelow) / p.length + dBelow / d.length);
    if (acc > best) {
      best = acc;
      bestT = v;
    }
  }
  return { D: best, threshold: dir === 'lower-better' ? -bestT : bestT, pristine: p.length, distorted: d.length };
}

export interface LTestResult {
  /** Mean SRCC between predicted quality and the reversed level order, over (content, type) lists. */
  readonly srcc: number;
  /** The same with Kendall's tau-b. */
  readonly krcc: number;
  /** Number of lists averaged (lists with fewer than 2 distinct levels are skipped). */
  readonly lists: number;
}

/** L-test over the distorted images (level >= 1), grouped by content and distortion type. */
export function lTest(rows: readonly ScoreRow[], opts: { direction?: Direction } = {}): LTestResult {
  checkRows('lTest', rows);
  const dir = opts.direction ?? 'higher-better';
  const groups = new Map<string, ScoreRow[]>();
  for (const r of rows) {
    if (r.level === 0) continue;
    const k = `${r.content}\u0000${r.type}`;
    const g = groups.get(k);
    if (g) g.push(r);
    else groups.set(k, [r]);
  }
  let s = 0;
  let k = 0;
  let lists = 0;
  for (const g of groups.values()) {
    if (new Set(g.map((r) => r.level)).size < 2) continue;
    const lv = g.map((r) => -r.level);
    const q = g.map((r) => aligned(r.score, dir));
    const a = srcc(lv, q);
    const b = krcc(lv, q);
    // A constant prediction over a list has no order: it counts as 0 agreement (not NaN).
    s += Number.isNaN(a) ? 0 : a;
    k += Number.isNaN(b) ? 0 : b;
    lists++;
  }
  if (lists === 0) throw expected('lTest', 'lists', 'at least one content/type with 2 or more distortion levels', 'none');
  return { srcc: s / lists, krcc: k / lists, lists };
}

/** A quality-discriminable pair of row indices: `better` is known to have higher quality than `worse`. */
export type Dip = readonly [better: number, worse: number];

/**
 * DIPs from known levels: same content and type with level gap >= `minGap` (default 2), and, with
 * `pristine` (default true), every pristine image against each distorted image of its content.
 */
export function levelPairs(rows: readonly ScoreRow[], opts: { minGap?: number; pristine?: boolean } = {}): Dip[] {
  const gap = opts.minGap ?? 2;
  const withPristine = opts.pristine ?? true;
  const byContent = new Map<string, number[]>();
  rows.forEach((r, i) => {
    const g = byContent.get(r.content);
    if (g) g.push(i);
    else byContent.set(r.content, [i]);
  });
  const out: Dip[] = [];
  for (const idx of byContent.values()) {
    for (const i of idx) {
      for (const j of idx) {
        const a = rows[i];
        const b = rows[j];
        if (a.level === 0) {
          if (withPristine && b.level > 0) out.push([i, j]);
        } else if (b.level > 0 && a.type === b.type && b.level - a.level >= gap) out.push([i, j]);
      }
    }
  }
  return out;
}

export interface PTestResult {
  readonly P: number;
  readonly pairs: number;
  readonly concordant: number;
}

/** P-test: share of DIPs the metric orders correctly (strictly). */
export function pTest(scores: ArrayLike<number>, pairs: readonly Dip[], opts: { direction?: Direction } = {}): PTestResult {
  const dir = opts.direction ?? 'higher-better';
  if (pairs.length === 0) throw expected('pTest', 'pairs', 'at least one', 'none');
  let c = 0;
  for (const [i, j] of pairs) {
    if (!(i >= 0 && i < scores.length && j >= 0 && j < scores.length)) throw expected('pTest', 'pair index', `in [0, ${scores.length})`, `[${i}, ${j}]`);
    if (aligned(scores[i], dir) > aligned(scores[j], dir)) c++;
  }
  return { P: c / pairs.length, pairs: pairs.length, concordant: c };
}

export interface WaterlooResult {
  readonly d: DTestResult;
  readonly l: LTestResult;
  readonly p: PTestResult;
}

/** All three tests on one score table (DIPs from `levelPairs`). */
export function waterlooTests(rows: readonly ScoreRow[], opts: { direction?: Direction; minGap?: number } = {}): WaterlooResult {
  return {
    d: dTest(rows, opts),
    l: lTest(rows, opts),
    p: pTest(
      rows.map((r) => r.score),
      levelPairs(rows, { minGap: opts.minGap }),
      opts,
    ),
  };
}

/**
 * Builds a score table from dataset items (e.g. a synthetic set's generic CSV with `type` and `level` columns) and
 * their scores, plus optionally the scores of the pristine references keyed by `item.ref` (level-0 rows, appended
 * after the items so that row i is item i).
 */
export function scoreTable(
  items: readonly Pick<DatasetItem, 'ref' | 'content' | 'meta' | 'dist'>[],
  scores: ArrayLike<number>,
  pristine?: ReadonlyMap<string, number>,
): ScoreRow[] {
  if (scores.length !== items.length) throw expected('scoreTable', 'score count', `${items.length} (one per item)`, String(scores.length));
  const rows: ScoreRow[] = items.map((it, i) => {
    const level = Number(it.meta.level);
    if (!(Number.isInteger(level) && level >= 1)) throw expected('scoreTable', `item ${i} (${it.dist}) meta.level`, 'an integer >= 1', String(it.meta.level));
    return { content: it.content, type: String(it.meta.type ?? 'unknown'), level, score: scores[i] };
  });
  if (pristine) {
    const contentOf = new Map<string, string>();
    for (const it of items) if (it.ref !== undefined && !contentOf.has(it.ref)) contentOf.set(it.ref, it.content);
    for (const [ref, score] of pristine) {
      const content = contentOf.get(ref);
      if (content === undefined) throw expected('scoreTable', `pristine image ${ref}`, 'the reference of some item', 'not referenced');
      rows.push({ content, type: 'pristine', level: 0, score });
    }
  }
  return rows;
}
