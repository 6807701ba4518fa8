/**
 * KADID-10k spatial distortions (types 19-23). Paper: Lin, Hosu, Saupe, QoMEX 2019; steps from its MATLAB
 * generator (`imjitter`/`imscatter`, `impixelate`, `imnoisequantize`) and, where its source was not available to
 * us (non-eccentricity patch, colour block), from the paper's description and public ports.
 */
import type { Image } from '../../tensor/image.js';
import { reflectIdx, resizeNearest } from './filter.js';
import { fromUnit, toUnit, type DistortionContext } from './unit.js';

/** Keys cubic weights (a = -0.5) for the 4 taps around fractional offset t in [0, 1). */
function cubicWeights(t: number, out: Float64Array): void {
  const a = 1 + t;
  const b = t;
  const c = 1 - t;
  const d = 2 - t;
  out[0] = ((-0.5 * a + 2.5) * a - 4) * a + 2;
  out[1] = (1.5 * b - 2.5) * b * b + 1;
  out[2] = (1.5 * c - 2.5) * c * c + 1;
  out[3] = ((-0.5 * d + 2.5) * d - 4) * d + 2;
}

/**
 * Type 19, jitter (`imscatter(I, [], amount, 5)`): five rounds of warping every pixel by an independent random
 * displacement N(0, amount^2) per axis, bicubic interpolation, reflected borders.
 */
export function jitter(img: Image, amount: number, ctx: DistortionContext): Image {
  const w = img.width;
  const h = img.height;
  let p = toUnit(img) as Float64Array[];
  const wx = new Float64Array(4);
  const wy = new Float64Array(4);
  const xi = new Int32Array(4);
  const yi = new Int32Array(4);
  for (let it = 0; it < 5; it++) {
    const out = [new Float64Array(w * h), new Float64Array(w * h), new Float64Array(w * h)];
    for (let y = 0; y < h; y++) {
      for (let x = 0; x < w; x++) {
        const sy = y + ctx.rng.normal() * amount;
        const sx = x + ctx.rng.normal() * amount;
        const x0 = Math.floor(sx);
        const y0 = Math.floor(sy);
        cubicWeights(sx - x0, wx);
        cubicWeights(sy - y0, wy);
        const inX = x0 >= 1 && x0 + 2 < w;
        for (let i = 0; i < 4; i++) xi[i] = inX ? x0 - 1 + i : reflectIdx(x0 - 1 + i, w);
        const inY = y0 >= 1 && y0 + 2 < h;
        for (let j = 0; j < 4; j++) yi[j] = (inY ? y0 - 1 + j : reflectIdx(y0 - 1 + j, h)) * w;
        const i0 = y * w + x;
        for (let c = 0; c < 3; c++) {
          const q = p[c];
          let s = 0;
          for (let j = 0; j < 4; j++) {
            const row = yi[j];
            s += wy[j] * (wx[0] * q[row + xi[0]] + wx[1] * q[row + xi[1]] + wx[2] * q[row + xi[2]] + wx[3] * q[row + xi[3]]);
          }
          out[c][i0] = s;
        }
      }
    }
    p = out;
  }
  return fromUnit(p, w, h);
}

/**
 * Type 20, non-eccentricity patch: `count` times, a 16x16 patch at a random position (at least 16 px from the
 * border) is copied to a random offset of up to +-8 px from where it was taken (KADID: 20 .. 100 patches).
 * Reconstructed from the paper and public ports (the MATLAB source was not available).
 */
export function nonEccentricityPatch(img: Image, count: number, ctx: DistortionContext): Image {
  const w = img.width;
  const h = img.height;
  const p = toUnit(img);
  const ps = Math.max(1, Math.min(16, Math.floor(Math.min(w, h) / 4)));
  const rad = ps;
  const wMin = Math.min(rad, Math.max(0, w - ps));
  const hMin = Math.min(rad, Math.max(0, h - ps));
  const wMax = Math.max(wMin, w - ps - rad);
  const hMax = Math.max(hMin, h - ps - rad);
  const patch = new Float64Array(ps * ps);
  for (let k = 0; k < count; k++) {
    const xs = Math.floor(ctx.rng.uniform() * (wMax - wMin)) + wMin;
    const ys = Math.floor(ctx.rng.uniform() * (hMax - hMin)) + hMin;
    const xd = Math.min(w - ps, Math.max(0, Math.trunc((ctx.rng.uniform() - 0.5) * rad + xs)));
    const yd = Math.min(h - ps, Math.max(0, Math.trunc((ctx.rng.uniform() - 0.5) * rad + ys)));
    for (const q of p) {
      for (let j = 0; j < ps; j++) for (let i = 0; i < ps; i++) patch[j * ps + i] = q[(ys + j) * w + xs + i];
      for (let j = 0; j < ps; j++) for (let i = 0; i < ps; i++) q[(yd + j) * w + xd + i] = patch[j * ps + i];
    }
  }
  return fromUnit(p, w, h);
}

/**
 * Type 21, pixelate (`impixelate`): nearest-neighbour downscale by z = 0.95 - strength^0.6, then nearest-neighbour
 * upscale to the original size (MATLAB `imresize(.., 'nearest')`; KADID strengths 0.01 .. 0.5).
 */
export function pixelate(img: Image, strength: number): Image {
  const w = img.width;
  const h = img.height;
  const z = 0.95 - strength ** 0.6;
  const lw = Math.max(1, Math.ceil(z * w));
  const lh = Math.max(1, Math.ceil(z * h));
  const p = toUnit(img).map((q) => resizeNearest(resizeNearest(q, w, h, lw, lh), lw, lh, w, h));
  return fromUnit(p, w, h);
}

/**
 * `n` thresholds minimising the within-class variance of a 256-bin histogram over [0, 1]: the multi-level Otsu
 * criterion of MATLAB `multithresh`. Lloyd-Max iterations from equal-population classes, then coordinate descent
 * placing each boundary at its best bin given its neighbours, until none moves (matches scikit-image's exhaustive
 * `threshold_multiotsu` on the test fixtures; a local optimum in general). Thresholds lie half-way between bins.
 */
export function otsuThresholds(samples: Float64Array, n: number): number[] {
  const hist = new Float64Array(256);
  for (let i = 0; i < samples.length; i++) hist[Math.min(255, Math.max(0, Math.round(samples[i] * 255)))]++;
  // Prefix sums of count, sum and sum of squares: class [a, b) costs s2 - s1^2 / n.
  const c0 = new Float64Array(257);
  const c1 = new Float64Array(257);
  const c2 = new Float64Array(257);
  for (let b = 0; b < 256; b++) {
    c0[b + 1] = c0[b] + hist[b];
    c1[b + 1] = c1[b] + hist[b] * b;
    c2[b + 1] = c2[b] + hist[b] * b * b;
  }
  const cost = (a: number, b: number): number => {
    const m = c0[b] - c0[a];
    return m > 0 ? c2[b] - c2[a] - (c1[b] - c1[a]) ** 2 / m : 0;
  };
  // bnd[k] = first bin of class k+1; classes [0, bnd0), [bnd0, bnd1), ..., [bnd(n-1), 256).
  const total = samples.length;
  const bnd: number[] = [];
  for (let k = 1; k <= n; k++) {
    let b = 1;
    while (b < 256 && c0[b] < (k * total) / (n + 1)) b++;
    bnd.push(Math.min(255, Math.max(bnd.length ? bnd[bnd.length - 1] + 1 : 1, b)));
  }
  for (let k = 0; k < n; k++) bnd[k] = Math.min(bnd[k], 256 - (n - k)); // room for every class
  const edges = (): number[] => [0, ...bnd, 256];
  for (let it = 0; it < 200; it++) {
    const e = edges();
    const cen: number[] = [];
    for (let k = 0; k <= n; k++) {
      const m = c0[e[k + 1]] - c0[e[k]];
      cen.push(m > 0 ? (c1[e[k + 1]] - c1[e[k]]) / m : (e[k] + e[k + 1] - 1) / 2);
    }
    let moved = false;
    for (let k = 0; k < n; k++) {
      const lo = k === 0 ? 1 : bnd[k - 1] + 1;
      const hi = k === n - 1 ? 255 : bnd[k + 1] - 1;
      const nb = Math.min(hi, Math.max(lo, Math.floor((cen[k] + cen[k + 1]) / 2) + 1));
      if (nb !== bnd[k]) {
        bnd[k] = nb;
        moved = true;
      }
    }
    if (!moved) break;
  }
  for (let improved = true; improved; ) {
    improved = false;
    for (let k = 0; k < n; k++) {
      const lo = k === 0 ? 1 : bnd[k - 1] + 1;
      const hi = k === n - 1 ? 255 : bnd[k + 1] - 1;
      const left = k === 0 ? 0 : bnd[k - 1];
      const right = k === n - 1 ? 256 : bnd[k + 1];
      let best = bnd[k];
      let bestCost = cost(left, best) + cost(best, right);
      for (let nb = lo; nb <= hi; nb++) {
        const c = cost(left, nb) + cost(nb, right);
        if (c < bestCost - 1e-9) {
          best = nb;
          bestCost = c;
        }
      }
      if (best !== bnd[k]) {
        bnd[k] = best;
        improved = true;
      }
    }
  }
  return bnd.map((b) => (b - 0.5) / 255);
}

/**
 * Type 22, quantisation (`imnoisequantize`): `n` thresholds from all RGB samples (multi-level Otsu), then MATLAB
 * `imquantize(I, t, [0 t(2:end) 1])`: below t1 -> 0, (t(k-1), t(k)] -> t(k), above t(n) -> 1 (KADID n: 20 .. 7).
 */
export function quantisation(img: Image, n: number): Image {
  const p = toUnit(img);
  const all = new Float64Array(p[0].length * 3);
  p.forEach((q, c) => all.set(q, c * q.length));
  const t = otsuThresholds(all, n);
  const value = [0, ...t.slice(1), 1];
  for (const q of p) {
    for (let i = 0; i < q.length; i++) {
      let k = 0;
      while (k < n && q[i] > t[k]) k++;
      q[i] = value[k];
    }
  }
  return fromUnit(p, img.width, img.height);
}

/**
 * Type 23, colour block: `count` uniformly coloured 32x32 squares (random colour, random position) pasted on the
 * image (KADID: 2 .. 10). Reconstructed from the paper and public ports (the MATLAB source was not available).
 */
export function colourBlock(img: Image, count: number, ctx: DistortionContext): Image {
  const w = img.width;
  const h = img.height;
  const bs = Math.min(32, w, h);
  const p = toUnit(img);
  for (let k = 0; k < count; k++) {
    const col = [ctx.rng.int(0, 255) / 255, ctx.rng.int(0, 255) / 255, ctx.rng.int(0, 255) / 255];
    const x0 = Math.floor(ctx.rng.uniform() * (w - bs));
    const y0 = Math.floor(ctx.rng.uniform() * (h - bs));
    for (let c = 0; c < 3; c++) for (let y = y0; y < y0 + bs; y++) p[c].fill(col[c], y * w + x0, y * w + x0 + bs);
  }
  return fromUnit(p, w, h);
}
