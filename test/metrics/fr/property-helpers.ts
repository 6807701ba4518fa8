/**
 * Procedural test images and seeded degradations for the metric property tests (identity, symmetry, monotonicity).
 * Everything is deterministic: a seed drives a small xorshift PRNG.
 */
import { makeImage, makePlane, channel, type Image } from '../../../src/tensor/image.js';
import { filterSeparable, gaussian1d } from '../../../src/signal/filter.js';
import { blockDct2, blockIdct2 } from '../../../src/signal/dct.js';

export function rng(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    return s / 4294967296;
  };
}

function gauss(r: () => number): number {
  const u = Math.max(r(), 1e-12), v = r();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
}

/** A natural-ish RGB test image: smooth colour gradients, discs, stripes and fine texture (integers 0..255). */
export function testImage(width = 128, height = 96, seed = 7, channels: 1 | 3 = 3): Image {
  const r = rng(seed);
  const n = width * height;
  const data = new Float64Array(channels * n);
  const discs = Array.from({ length: 6 }, () => ({ x: r() * width, y: r() * height, rad: 6 + r() * 18, c: [r(), r(), r()] }));
  const tex = Float64Array.from({ length: n }, () => r() - 0.5);
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) {
    const i = y * width + x;
    for (let c = 0; c < channels; c++) {
      let v = 60 + 100 * (x / width) * (c === 0 ? 1 : 0.5) + 60 * (y / height) * (c === 2 ? 1 : 0.3);
      v += 25 * Math.sin((x + 2 * y) / (3 + c));
      for (const d of discs) if ((x - d.x) ** 2 + (y - d.y) ** 2 < d.rad * d.rad) v = 40 + 180 * d.c[c];
      v += 12 * tex[i];
      data[c * n + i] = Math.min(255, Math.max(0, Math.round(v)));
    }
  }
  return makeImage(width, height, channels, data);
}

function perChannel(img: Image, f: (p: Float64Array) => Float64Array): Image {
  const n = img.width * img.height, out = new Float64Array(img.data.length);
  for (let c = 0; c < img.channels; c++) out.set(f(channel(img, c).data), c * n);
  return makeImage(img.width, img.height, img.channels, out);
}

/** Gaussian blur (symmetric padding), not re-quantised. */
export function blur(img: Image, sigma: number): Image {
  const k = gaussian1d(2 * Math.ceil(3 * sigma) + 1, sigma);
  return perChannel(img, (d) => filterSeparable(makePlane(img.width, img.height, d), k, k, 'same', 'symmetric').data);
}

/** Additive white Gaussian noise of standard deviation `sigma`, rounded and clipped to 0..255. */
export function noise(img: Image, sigma: number, seed = 11): Image {
  const r = rng(seed);
  const out = img.data.map((v) => Math.min(255, Math.max(0, Math.round(v + sigma * gauss(r)))));
  return makeImage(img.width, img.height, img.channels, out);
}

/** JPEG-like degradation: 8×8 block DCT, uniform quantisation with step `q` (coarser for higher frequencies). */
export function jpegLike(img: Image, q: number): Image {
  return perChannel(img, (d) => {
    const c = blockDct2(makePlane(img.width, img.height, d)).data;
    for (let y = 0; y < img.height; y++) for (let x = 0; x < img.width; x++) {
      const step = q * (1 + ((x % 8) + (y % 8)) / 4);
      const i = y * img.width + x;
      c[i] = Math.round(c[i] / step) * step;
    }
    const back = blockIdct2(makePlane(img.width, img.height, c)).data;
    return back.map((v) => Math.min(255, Math.max(0, Math.round(v))));
  });
}

export const DEGRADATIONS: ReadonlyArray<{ name: string; levels: (img: Image) => Image[] }> = [
  { name: 'blur', levels: (img) => [0.7, 1.5, 3].map((s) => blur(img, s)) },
  { name: 'noise', levels: (img) => [4, 12, 30].map((s) => noise(img, s)) },
  { name: 'jpeg-like', levels: (img) => [4, 16, 48].map((q) => jpegLike(img, q)) },
];

import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { MetricOutput } from '../../../src/metrics/types.js';

export interface PropertySpec {
  name: string;
  fn: (dist: Image, ref: Image) => MetricOutput;
  /** Score of identical images. */
  ideal: number;
  lowerBetter: boolean;
  /** true: f(a, b) = f(b, a); false: documented as asymmetric (the test checks it really is). */
  symmetric: boolean;
  /** An image size below the minimum, and the error it must give. */
  tooSmall: [number, number];
  minMessage: RegExp;
  /** The map's mean equals the score (weighted-pooling maps). */
  mapMeanIsScore?: boolean;
  /** Documented score of two identical flat (constant 128) images; NaN where the reference divides 0 by 0. */
  flatIdentical: number;
}

/** Registers the standard property tests of a metric (identity, symmetry, monotonicity, minimum size, grey input). */
export function propertyTests(s: PropertySpec): void {
  const ref = testImage();
  test(`${s.name}: identical images give ${s.ideal}`, () => {
    for (const img of [ref, testImage(64, 64, 3, 1)]) {
      const out = s.fn(img, img);
      assert.ok(Math.abs(out.score - s.ideal) <= 1e-12, `${out.score}`);
    }
  });
  const dist = noise(blur(ref, 1), 8);
  test(`${s.name}: ${s.symmetric ? 'symmetric' : 'asymmetric (documented)'}`, () => {
    const a = s.fn(dist, ref).score, b = s.fn(ref, dist).score;
    if (s.symmetric) assert.ok(Math.abs(a - b) <= 1e-12 * Math.abs(a), `${a} vs ${b}`);
    else assert.ok(Math.abs(a - b) > 1e-6, `${a} vs ${b}`);
  });
  for (const d of DEGRADATIONS) {
    test(`${s.name}: monotone under increasing ${d.name}`, () => {
      const scores = d.levels(ref).map((x) => s.fn(x, ref).score);
      for (let i = 1; i < scores.length; i++) {
        const worse = s.lowerBetter ? scores[i] > scores[i - 1] : scores[i] < scores[i - 1];
        assert.ok(worse, `${d.name} levels: ${scores.join(', ')}`);
      }
      const first = scores[0];
      assert.ok(s.lowerBetter ? first > s.ideal : first < s.ideal, `mildest level ${first} vs ideal ${s.ideal}`);
    });
  }
  test(`${s.name}: identical flat images give the documented ${s.flatIdentical}`, () => {
    const flat = makeImage(40, 40, 3, new Float64Array(3 * 1600).fill(128));
    const v = s.fn(flat, flat).score;
    if (Number.isNaN(s.flatIdentical)) assert.ok(Number.isNaN(v), `${v}`);
    else assert.ok(Math.abs(v - s.flatIdentical) <= 1e-12, `${v}`);
  });
  test(`${s.name}: too-small images are a clear error naming the minimum size`, () => {
    const [w, h] = s.tooSmall;
    const tiny = testImage(w, h, 5);
    assert.throws(() => s.fn(tiny, tiny), s.minMessage);
  });
  test(`${s.name}: grey input works; map is finite${s.mapMeanIsScore ? ' and its mean is the score' : ''}`, () => {
    const g = testImage(96, 80, 9, 1), gd = noise(g, 10);
    const out = s.fn(gd, g);
    assert.ok(Number.isFinite(out.score));
    const c = s.fn(dist, ref);
    if (c.map) {
      assert.ok(c.map.data.every(Number.isFinite), 'finite map');
      if (s.mapMeanIsScore) {
        const m = c.map.data.reduce((p, v) => p + v, 0) / c.map.data.length;
        assert.ok(Math.abs(m - c.score) <= 1e-10, `map mean ${m} vs score ${c.score}`);
      }
    }
  });
}
