/**
 * gMAD, the group MAximum Differentiation competition: K. Ma, Q. Wu, Z. Wang, Z. Duanmu, H. Yong, H. Li, L. Zhang,
 * "Group MAD competition - a new methodology to compare objective image quality models", CVPR 2016 (and the
 * Waterloo Exploration paper, IEEE TIP 2017, Sec. IV). One model (the defender) is held at a quality level: the
 * images whose defender score lies in a narrow band around that level. Within the band the other model (the attacker)
 * picks the pair it rates most differently: its best and its worst image. A person then judges the pair: if the
 * attacker's best really looks better, the defender failed to see a difference; if the pair looks equal, the attacker
 * was wrong. Roles are then swapped.
 *
 * Levels: `levels` quantiles of the defender's scores at (k + 1/2)/levels. Band: the images whose defender score lies
 * within `band` (a fraction of the defender's score range, default 0.02) of the level; a level with fewer than two
 * images in its band is skipped. Scores are sign-aligned so that higher = better for both models.
 */
import { expected } from '../tensor/errors.js';
import type { Direction } from './correlation.js';
import { quantile } from './correlation.js';

export interface GmadPair {
  /** Which model holds quality fixed. */
  readonly defender: string;
  readonly attacker: string;
  /** Level number (0 = lowest defender quality) and its centre in the defender's units. */
  readonly level: number;
  readonly center: number;
  /** Index of the image the attacker rates best / worst within the band. */
  readonly best: number;
  readonly worst: number;
  /** Defender and attacker scores of [best, worst], in each model's own units. */
  readonly defenderScores: readonly [number, number];
  readonly attackerScores: readonly [number, number];
  /** Images in the band. */
  readonly bandSize: number;
}

export interface GmadModel {
  readonly name: string;
  readonly scores: ArrayLike<number>;
  readonly direction?: Direction;
}

export interface GmadOptions {
  /** Number of defender quality levels (default 5). */
  levels?: number;
  /** Half-width of the band, as a fraction of the defender's score range (default 0.02). */
  band?: number;
}

function alignedCopy(m: GmadModel): Float64Array {
  const s = m.direction === 'lower-better' ? -1 : 1;
  return Float64Array.from(m.scores, (v) => s * v);
}

/** Pairs where `defender` is (nearly) constant and `attacker` disagrees most, one per level. */
export function gmadPairs(defender: GmadModel, attacker: GmadModel, opts: GmadOptions = {}): GmadPair[] {
  const n = defender.scores.length;
  if (attacker.scores.length !== n) throw expected('gmad', 'score counts', 'equal', `${n} (${defender.name}) and ${attacker.scores.length} (${attacker.name})`);
  if (n < 2) throw expected('gmad', 'number of images', 'at least 2', String(n));
  const levels = opts.levels ?? 5;
  const bandFrac = opts.band ?? 0.02;
  if (!(Number.isInteger(levels) && levels >= 1)) throw expected('gmad', 'levels', 'a positive integer', String(levels));
  if (!(bandFrac > 0 && bandFrac < 1)) throw expected('gmad', 'band', 'a fraction in (0, 1)', String(bandFrac));
  const d = alignedCopy(defender);
  const a = alignedCopy(attacker);
  for (let i = 0; i < n; i++) {
    if (!Number.isFinite(d[i]) || !Number.isFinite(a[i])) throw expected('gmad', `image ${i} scores`, 'finite', `${defender.scores[i]}, ${attacker.scores[i]}`, 'E_NAN');
  }
  const sorted = [...d].sort((x, y) => x - y);
  const half = bandFrac * (sorted[n - 1] - sorted[0]);
  const out: GmadPair[] = [];
  for (let k = 0; k < levels; k++) {
    const c = quantile(sorted, (k + 0.5) / levels);
    let best = -1;
    let worst = -1;
    let size = 0;
    for (let i = 0; i < n; i++) {
      if (Math.abs(d[i] - c) > half) continue;
      size++;
      if (best < 0 || a[i] > a[best]) best = i;
      if (worst < 0 || a[i] < a[worst]) worst = i;
    }
    if (size < 2 || best === worst) continue;
    out.push({
      defender: defender.name,
      attacker: attacker.name,
      level: k,
      center: defender.direction === 'lower-better' ? -c : c,
      best,
      worst,
      defenderScores: [defender.scores[best], defender.scores[worst]],
      attackerScores: [attacker.scores[best], attacker.scores[worst]],
      bandSize: size,
    });
  }
  return out;
}

/** gMAD both ways: A defending against B, then B defending against A. */
export function gmad(a: GmadModel, b: GmadModel, opts: GmadOptions = {}): { aDefends: GmadPair[]; bDefends: GmadPair[] } {
  return { aDefends: gmadPairs(a, b, opts), bDefends: gmadPairs(b, a, opts) };
}

/** One cell of an image grid: an image (path or encoded bytes) and its caption. */
export interface GmadGridCell {
  readonly image: string | Uint8Array;
  readonly label: string;
}

/**
 * Lays gMAD pairs out as grid rows for a person to judge: per pair, the attacker's best then worst image, captioned
 * with both models' scores. `images[i]` is the image of row i of the score table. Render with `io/image-grid`.
 */
export function gmadGridRows(pairs: readonly GmadPair[], images: readonly (string | Uint8Array)[]): GmadGridCell[][] {
  const fmt = (v: number) => (Math.abs(v) >= 100 ? v.toFixed(1) : v.toPrecision(4));
  return pairs.map((p) => [
    { image: images[p.best], label: `${p.defender} holds level ${p.level}: ${p.defender} ${fmt(p.defenderScores[0])}, ${p.attacker} ${fmt(p.attackerScores[0])} (${p.attacker}: better)` },
    { image: images[p.worst], label: `${p.defender} ${fmt(p.defenderScores[1])}, ${p.attacker} ${fmt(p.attackerScores[1])} (${p.attacker}: worse)` },
  ]);
}
