/**
 * Faster DFTs for lengths n = q·2^k with a small odd factor q (≤ 31): one Cooley-Tukey step splits the input
 * into q interleaved power-of-two sequences (transformed with `fft.js`, as `fft.ts` does), then combines them
 * with twiddles and q-point DFTs (cost n·q). Image sizes such as 384 (3·2^7), 480, 768, 800 (25·2^5) and 1920
 * (15·2^7) avoid Bluestein's two length-≥2n transforms. Other lengths fall back to `fft1d` (Bluestein).
 * Same conventions as `fft1d`/`fft2d` (MATLAB `fft`/`ifft`: unnormalised forward, 1/n inverse); buffers are
 * reused across calls, so a 2-D transform of many images of one size allocates once.
 * Candidate to merge into fft.ts (kept separate here so as not to edit a shared file for speed alone).
 */
import FFT from 'fft.js';
import { fft1d } from './fft.js';

interface Plan {
  n: number;
  q: number;
  m: number;
  fft: FFT | null;
  /** W_n^{r·k1} for r < q, k1 < m (forward sign), interleaved re/im, index (r·m + k1)·2. */
  tw: Float64Array;
  /** W_q^{j} for j < q (forward sign). */
  wqRe: Float64Array;
  wqIm: Float64Array;
  /** (r·k2) mod q at k2·q + r. */
  jt: Int32Array;
  inp: Float64Array;
  out: Float64Array;
  /** Y_r[k1] for every r: q·m complex, interleaved. */
  y: Float64Array;
}

const MAX_Q = 31;
const plans = new Map<number, Plan | null>();

function planFor(n: number): Plan | null {
  if (plans.has(n)) return plans.get(n)!;
  let m = 1;
  while (n % (m * 2) === 0) m *= 2;
  const q = n / m;
  let p: Plan | null = null;
  if (q > 1 && q <= MAX_Q && m >= 1) {
    const tw = new Float64Array(2 * q * m);
    for (let r = 0; r < q; r++) for (let k = 0; k < m; k++) {
      const a = (-2 * Math.PI * ((r * k) % n)) / n;
      tw[2 * (r * m + k)] = Math.cos(a);
      tw[2 * (r * m + k) + 1] = Math.sin(a);
    }
    const wqRe = new Float64Array(q), wqIm = new Float64Array(q);
    for (let j = 0; j < q; j++) {
      wqRe[j] = Math.cos((-2 * Math.PI * j) / q);
      wqIm[j] = Math.sin((-2 * Math.PI * j) / q);
    }
    p = {
      n, q, m,
      fft: m > 1 ? new FFT(m) : null,
      tw, wqRe, wqIm,
      jt: Int32Array.from({ length: q * q }, (_, i) => (Math.floor(i / q) * (i % q)) % q),
      inp: new Float64Array(2 * m),
      out: new Float64Array(2 * m),
      y: new Float64Array(2 * q * m),
    };
  }
  plans.set(n, p);
  return p;
}

function forward(p: Plan, re: Float64Array, im: Float64Array, off: number, stride: number): void {
  const { q, m, tw, wqRe, wqIm, inp, out, y } = p;
  for (let r = 0; r < q; r++) {
    // sub-sequence x[r + q·t]
    for (let t = 0; t < m; t++) {
      const i = off + (r + q * t) * stride;
      inp[2 * t] = re[i];
      inp[2 * t + 1] = im[i];
    }
    if (p.fft) p.fft.transform(out, inp);
    else out.set(inp);
    // twiddle: Z_r[k1] = W_n^{r k1} Y_r[k1]
    const base = 2 * r * m;
    for (let k = 0; k < m; k++) {
      const a = out[2 * k], b = out[2 * k + 1], c = tw[base + 2 * k], d = tw[base + 2 * k + 1];
      y[base + 2 * k] = a * c - b * d;
      y[base + 2 * k + 1] = a * d + b * c;
    }
  }
  // X[k1 + m·k2] = Σ_r Z_r[k1] W_q^{r·k2}
  const jt = p.jt;
  for (let k1 = 0; k1 < m; k1++) {
    for (let k2 = 0; k2 < q; k2++) {
      let sr = 0, si = 0;
      const row = k2 * q;
      for (let r = 0; r < q; r++) {
        const j = jt[row + r], o = 2 * (r * m + k1);
        const a = y[o], b = y[o + 1];
        sr += a * wqRe[j] - b * wqIm[j];
        si += a * wqIm[j] + b * wqRe[j];
      }
      const i = off + (k1 + m * k2) * stride;
      re[i] = sr;
      im[i] = si;
    }
  }
}

/** In-place 1-D DFT of a strided sequence (n samples at off, off+stride, ...). */
function transformStrided(re: Float64Array, im: Float64Array, n: number, off: number, stride: number, inverse: boolean, tmpRe: Float64Array, tmpIm: Float64Array): void {
  const p = planFor(n);
  if (inverse) for (let t = 0; t < n; t++) im[off + t * stride] = -im[off + t * stride];
  if (p) forward(p, re, im, off, stride);
  else {
    // fft1d transforms the whole array it is given: use views of exactly n samples
    tmpRe = tmpRe.subarray(0, n);
    tmpIm = tmpIm.subarray(0, n);
    for (let t = 0; t < n; t++) {
      tmpRe[t] = re[off + t * stride];
      tmpIm[t] = im[off + t * stride];
    }
    fft1d(tmpRe, tmpIm, false);
    for (let t = 0; t < n; t++) {
      re[off + t * stride] = tmpRe[t];
      im[off + t * stride] = tmpIm[t];
    }
  }
  if (inverse) {
    for (let t = 0; t < n; t++) {
      re[off + t * stride] /= n;
      im[off + t * stride] = -im[off + t * stride] / n;
    }
  }
}

/** In-place 1-D DFT (any n), as `fft1d`, faster for n = q·2^k with odd q ≤ 31. */
export function fft1dMixed(re: Float64Array, im: Float64Array, inverse = false): void {
  const n = re.length;
  if (n === 1) return;
  if ((n & (n - 1)) === 0 || !planFor(n)) return fft1d(re, im, inverse);
  transformStrided(re, im, n, 0, 1, inverse, new Float64Array(n), new Float64Array(n));
}

/** In-place 2-D DFT of row-major `re`/`im` (height x width), as `fft2d` (MATLAB `fft2`/`ifft2`). */
export function fft2dMixed(re: Float64Array, im: Float64Array, width: number, height: number, inverse = false): void {
  const tRe = new Float64Array(Math.max(width, height)), tIm = new Float64Array(Math.max(width, height));
  const rowPow2 = (width & (width - 1)) === 0, colPow2 = (height & (height - 1)) === 0;
  const rr = rowPow2 ? new Float64Array(width) : tRe, ri = rowPow2 ? new Float64Array(width) : tIm;
  for (let y = 0; y < height; y++) {
    if (rowPow2) {
      rr.set(re.subarray(y * width, (y + 1) * width));
      ri.set(im.subarray(y * width, (y + 1) * width));
      fft1d(rr, ri, inverse);
      re.set(rr, y * width);
      im.set(ri, y * width);
    } else transformStrided(re, im, width, y * width, 1, inverse, tRe, tIm);
  }
  const cr = new Float64Array(height), ci = new Float64Array(height);
  for (let x = 0; x < width; x++) {
    if (colPow2) {
      for (let y = 0; y < height; y++) {
        cr[y] = re[y * width + x];
        ci[y] = im[y * width + x];
      }
      fft1d(cr, ci, inverse);
      for (let y = 0; y < height; y++) {
        re[y * width + x] = cr[y];
        im[y * width + x] = ci[y];
      }
    } else transformStrided(re, im, height, x, width, inverse, tRe, tIm);
  }
}
