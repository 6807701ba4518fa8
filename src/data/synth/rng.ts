/**
 * Seeded randomness for the synthetic distortions.
 * Generator: xoroshiro128+ from `pure-rand` (a small, well-kept library; we only add seed derivation and the
 * normal distribution). Every random choice in `src/data/synth` draws from an `Rng` made here, so a run is a pure
 * function of (global seed, image name, distortion type, level), whatever the worker scheduling.
 */
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';
import { uniformFloat64 } from 'pure-rand/distribution/uniformFloat64';
import { uniformInt } from 'pure-rand/distribution/uniformInt';
import { expected } from '../../tensor/errors.js';

export interface Rng {
  /** Uniform in [0, 1). */
  uniform(): number;
  /** Uniform integer in [from, to] (both included). */
  int(from: number, to: number): number;
  /** Standard normal N(0, 1) (Marsaglia polar method). */
  normal(): number;
}

/** An `Rng` from a 32-bit integer seed. */
export function makeRng(seed: number): Rng {
  if (!Number.isInteger(seed)) throw expected('makeRng', 'seed', 'an integer', String(seed));
  const g = xoroshiro128plus(seed | 0);
  let spare: number | null = null;
  return {
    uniform: () => uniformFloat64(g),
    int: (from, to) => uniformInt(g, from, to),
    normal: () => {
      if (spare !== null) {
        const s = spare;
        spare = null;
        return s;
      }
      let u: number, v: number, s: number;
      do {
        u = 2 * uniformFloat64(g) - 1;
        v = 2 * uniformFloat64(g) - 1;
        s = u * u + v * v;
      } while (s >= 1 || s === 0);
      const m = Math.sqrt((-2 * Math.log(s)) / s);
      spare = v * m;
      return u * m;
    },
  };
}

/**
 * A 32-bit seed derived from a global seed and any labels (image name, type id, level), by FNV-1a over the
 * labels followed by the murmur3 finaliser. Stable across platforms and runs.
 */
export function deriveSeed(seed: number, ...parts: ReadonlyArray<string | number>): number {
  let h = (0x811c9dc5 ^ (seed | 0)) >>> 0;
  const text = parts.map(String).join('\u0000');
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b) >>> 0;
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35) >>> 0;
  h ^= h >>> 16;
  return h | 0;
}
