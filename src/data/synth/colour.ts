/**
 * KADID-10k colour distortions (types 4-8). Paper: Lin, Hosu, Saupe, QoMEX 2019; parameters and steps from its
 * MATLAB generator (`imcolordiffuse`/`imcolorblur`, `imcolorshift`, `imcolorquantize`, `imcolorsaturate`,
 * `imsaturate`).
 */
import type { Image } from '../../tensor/image.js';
import { hsvToRgb, labToRgb, rgbToGray, rgbToHsv, rgbToLab, type Planes3 } from './colourspace.js';
import { gaussianBlurPlane } from './filter.js';
import { fromUnit, mapmm, toUnit, truncate, type DistortionContext } from './unit.js';

/**
 * Type 4, colour diffusion (`imcolorblur(I, 1.5*amount + 2, amount)`): the a*, b* planes are Gaussian-blurred with
 * sigma = 1.5*amount + 2 and multiplied by `amount`; L* is kept.
 */
export function colourDiffusion(img: Image, amount: number): Image {
  const [L, a, b] = rgbToLab(toUnit(img));
  const sigma = 1.5 * amount + 2;
  const ab = [a, b].map((q) => {
    const s = gaussianBlurPlane(q, img.width, img.height, sigma);
    for (let i = 0; i < s.length; i++) s[i] *= amount;
    return s;
  });
  return fromUnit(labToRgb([L, ab[0], ab[1]]), img.width, img.height);
}

/** p-th percentile (0..100) by linear interpolation of the sorted samples. */
function percentile(p: Float64Array, q: number): number {
  const s = Float64Array.from(p).sort();
  const t = (q / 100) * (s.length - 1);
  const i = Math.floor(t);
  return i + 1 < s.length ? s[i] + (s[i + 1] - s[i]) * (t - i) : s[i];
}

/**
 * Type 5, colour shift (`imcolorshift`): the green plane is translated by `amount` pixels in a random direction
 * (first quadrant, `normr(rand(1,2))*amount`, rounded) and blended back with weight e, where e is the smoothed
 * gradient magnitude of the grey image (`imgaussfilt(.., 4)`, min-max normalised, truncated to [0.1, 1],
 * 1%/99% percentile stretch), so edges get colour fringes.
 */
export function colourShift(img: Image, amount: number, ctx: DistortionContext): Image {
  const w = img.width;
  const h = img.height;
  const p = toUnit(img);
  const grey = rgbToGray(p);
  const e = new Float64Array(w * h);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      // Central differences (one-sided at the border), as MATLAB `gradient`.
      const xl = x > 0 ? x - 1 : x;
      const xr = x < w - 1 ? x + 1 : x;
      const yu = y > 0 ? y - 1 : y;
      const yd = y < h - 1 ? y + 1 : y;
      const gx = (grey[y * w + xr] - grey[y * w + xl]) / Math.max(xr - xl, 1);
      const gy = (grey[yd * w + x] - grey[yu * w + x]) / Math.max(yd - yu, 1);
      e[y * w + x] = Math.hypot(gx, gy);
    }
  }
  const es = mapmm(gaussianBlurPlane(e, w, h, 4));
  mapmm(truncate(es, 0.1, 1));
  const hi = percentile(es, 99);
  const lo = percentile(es, 1);
  mapmm(truncate(es, lo, hi));
  const u = [ctx.rng.uniform(), ctx.rng.uniform()];
  const norm = Math.hypot(u[0], u[1]) || 1;
  const dy = Math.round((u[0] / norm) * amount);
  const dx = Math.round((u[1] / norm) * amount);
  const g = p[1];
  const out = new Float64Array(w * h);
  for (let y = 0; y < h; y++) {
    const sy = Math.min(Math.max(y - dy, 0), h - 1);
    for (let x = 0; x < w; x++) {
      const sx = Math.min(Math.max(x - dx, 0), w - 1);
      const i = y * w + x;
      out[i] = g[sy * w + sx] * es[i] + g[i] * (1 - es[i]);
    }
  }
  return fromUnit([p[0], out, p[2]], w, h);
}

/** Sums over a box of the 5-bit RGB histogram. */
interface Box {
  lo: [number, number, number];
  hi: [number, number, number]; // inclusive
  n: number;
  s: [number, number, number];
  sse: number;
}

const B = 32; // bins per channel (5 bits), as MATLAB's inverse colour map resolution
function boxStats(hist: Float64Array, lo: [number, number, number], hi: [number, number, number]): Box {
  let n = 0;
  const s: [number, number, number] = [0, 0, 0];
  let ss = 0;
  for (let r = lo[0]; r <= hi[0]; r++) {
    for (let g = lo[1]; g <= hi[1]; g++) {
      for (let b = lo[2]; b <= hi[2]; b++) {
        const k = ((r * B + g) * B + b) * 5;
        const c = hist[k];
        if (c === 0) continue;
        n += c;
        s[0] += hist[k + 1];
        s[1] += hist[k + 2];
        s[2] += hist[k + 3];
        ss += hist[k + 4];
      }
    }
  }
  const sse = n > 0 ? ss - (s[0] * s[0] + s[1] * s[1] + s[2] * s[2]) / n : 0;
  return { lo, hi, n, s, sse };
}

/**
 * Minimum-variance colour palette of `n` colours: boxes of the 5-bit RGB histogram are split greedily (largest
 * squared error first, at the cut that minimises the summed error of the two halves), in the spirit of
 * MATLAB `rgb2ind`'s minimum variance quantisation (Wu); not bit-identical to it.
 */
export function minimumVariancePalette(p: Planes3, n: number): Planes3 {
  const hist = new Float64Array(B * B * B * 5);
  const N = p[0].length;
  for (let i = 0; i < N; i++) {
    const r = p[0][i];
    const g = p[1][i];
    const b = p[2][i];
    const k = ((Math.min(B - 1, Math.floor(r * B)) * B + Math.min(B - 1, Math.floor(g * B))) * B + Math.min(B - 1, Math.floor(b * B))) * 5;
    hist[k]++;
    hist[k + 1] += r;
    hist[k + 2] += g;
    hist[k + 3] += b;
    hist[k + 4] += r * r + g * g + b * b;
  }
  const boxes: Box[] = [boxStats(hist, [0, 0, 0], [B - 1, B - 1, B - 1])];
  while (boxes.length < n) {
    let best = -1;
    for (let i = 0; i < boxes.length; i++) if (boxes[i].sse > 0 && (best < 0 || boxes[i].sse > boxes[best].sse)) best = i;
    if (best < 0) break;
    const bx = boxes[best];
    let cut: { axis: number; c: number; err: number } | null = null;
    for (let axis = 0; axis < 3; axis++) {
      // Per-slice sums along `axis` (count, r, g, b, squares), then every cut from the prefix sums.
      const len = bx.hi[axis] - bx.lo[axis] + 1;
      const sl = new Float64Array(len * 5);
      for (let r = bx.lo[0]; r <= bx.hi[0]; r++) {
        for (let g = bx.lo[1]; g <= bx.hi[1]; g++) {
          for (let b = bx.lo[2]; b <= bx.hi[2]; b++) {
            const k = ((r * B + g) * B + b) * 5;
            if (hist[k] === 0) continue;
            const t = ((axis === 0 ? r : axis === 1 ? g : b) - bx.lo[axis]) * 5;
            for (let q = 0; q < 5; q++) sl[t + q] += hist[k + q];
          }
        }
      }
      const acc = [0, 0, 0, 0, 0];
      for (let c = 0; c < len - 1; c++) {
        for (let q = 0; q < 5; q++) acc[q] += sl[c * 5 + q];
        const nl = acc[0];
        const nr = bx.n - nl;
        if (nl === 0 || nr === 0) continue;
        const rs = [bx.s[0] - acc[1], bx.s[1] - acc[2], bx.s[2] - acc[3]];
        const ssTotal = bx.sse + (bx.s[0] ** 2 + bx.s[1] ** 2 + bx.s[2] ** 2) / bx.n;
        const err = ssTotal - (acc[1] ** 2 + acc[2] ** 2 + acc[3] ** 2) / nl - (rs[0] ** 2 + rs[1] ** 2 + rs[2] ** 2) / nr;
        if (!cut || err < cut.err) cut = { axis, c: bx.lo[axis] + c, err };
      }
    }
    if (!cut) {
      bx.sse = 0; // one populated bin: cannot split further
      continue;
    }
    const hiL = [...bx.hi] as [number, number, number];
    hiL[cut.axis] = cut.c;
    const loR = [...bx.lo] as [number, number, number];
    loR[cut.axis] = cut.c + 1;
    boxes.splice(best, 1, boxStats(hist, bx.lo, hiL), boxStats(hist, loR, bx.hi));
  }
  const pal: Planes3 = [new Float64Array(boxes.length), new Float64Array(boxes.length), new Float64Array(boxes.length)];
  boxes.forEach((bx, i) => {
    for (let c = 0; c < 3; c++) pal[c][i] = bx.n > 0 ? bx.s[c] / bx.n : 0;
  });
  return pal;
}

/**
 * Type 6, colour quantisation (`[X, map] = rgb2ind(I, n); J = ind2rgb(X, map)`): an n-colour minimum-variance
 * palette and Floyd-Steinberg error diffusion (rgb2ind's default 'dither').
 */
export function colourQuantisation(img: Image, n: number): Image {
  const w = img.width;
  const h = img.height;
  const p = toUnit(img);
  const pal = minimumVariancePalette(p, n);
  const m = pal[0].length;
  const cache = new Int32Array(B * B * B).fill(-1);
  const nearest = (r: number, g: number, b: number): number => {
    const key = (Math.min(B - 1, Math.max(0, Math.floor(r * B))) * B + Math.min(B - 1, Math.max(0, Math.floor(g * B)))) * B + Math.min(B - 1, Math.max(0, Math.floor(b * B)));
    if (cache[key] >= 0) return cache[key];
    // Nearest palette entry to the centre of the 5-bit cell (inverse colour map, as rgb2ind).
    const cr = (Math.floor(key / (B * B)) + 0.5) / B;
    const cg = ((Math.floor(key / B) % B) + 0.5) / B;
    const cb = ((key % B) + 0.5) / B;
    let bi = 0;
    let bd = Infinity;
    for (let j = 0; j < m; j++) {
      const d = (pal[0][j] - cr) ** 2 + (pal[1][j] - cg) ** 2 + (pal[2][j] - cb) ** 2;
      if (d < bd) {
        bd = d;
        bi = j;
      }
    }
    cache[key] = bi;
    return bi;
  };
  const out: Planes3 = [new Float64Array(w * h), new Float64Array(w * h), new Float64Array(w * h)];
  const err = p.map((q) => Float64Array.from(q)) as Planes3;
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const i = y * w + x;
      const j = nearest(err[0][i], err[1][i], err[2][i]);
      for (let c = 0; c < 3; c++) {
        const v = pal[c][j];
        const e = err[c][i] - v;
        out[c][i] = v;
        const q = err[c];
        if (x + 1 < w) q[i + 1] += (e * 7) / 16;
        if (y + 1 < h) {
          if (x > 0) q[i + w - 1] += (e * 3) / 16;
          q[i + w] += (e * 5) / 16;
          if (x + 1 < w) q[i + w + 1] += e / 16;
        }
      }
    }
  }
  return fromUnit(out, w, h);
}

/** Type 7, colour saturation 1 (`imcolorsaturate`): HSV saturation multiplied by `factor` (KADID uses 0.4 .. -0.4). */
export function saturationHsv(img: Image, factor: number): Image {
  const [H, S, V] = rgbToHsv(toUnit(img));
  for (let i = 0; i < S.length; i++) S[i] *= factor;
  return fromUnit(hsvToRgb([H, S, V]), img.width, img.height);
}

/** Type 8, colour saturation 2 (`imsaturate`): CIELAB a*, b* multiplied by `factor`. */
export function saturationLab(img: Image, factor: number): Image {
  const [L, a, b] = rgbToLab(toUnit(img));
  for (let i = 0; i < a.length; i++) {
    a[i] *= factor;
    b[i] *= factor;
  }
  return fromUnit(labToRgb([L, a, b]), img.width, img.height);
}
