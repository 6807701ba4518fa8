/**
 * Mixed-radix DFTs for image-sized lengths. Recursive Cooley-Tukey (decimation in time): n = p·m with p the
 * smallest odd prime factor ≤ 31 splits into p interleaved sub-DFTs of length m, combined with twiddles and
 * p-point DFTs (cost n·p per level); powers of two go to `fft.js` (as `fft.ts` does); a remaining factor with no
 * small odd prime (a large prime) goes to `fft1d` (Bluestein). 384 = 3·2^7, 1080 = 3³·5·2³, 1920 = 3·5·2^7, 800,
 * 720, 480 thus avoid Bluestein's two length-≥2n transforms.
 * Same conventions as `fft1d`/`fft2d` (MATLAB `fft`/`ifft`: unnormalised forward, 1/n inverse); plans and
 * scratch buffers are cached per length. Candidate to merge into fft.ts (kept separate so as not to edit a shared
 * file for speed alone).
 */
import FFT from 'fft.js';
import { fft1d } from './fft.js';

interface Plan {
  n: number;
  /** 'pow2' (fft.js), 'split' (p sub-DFTs of length m) or 'bluestein' (fft1d). */
  kind: 'pow2' | 'split' | 'bluestein';
  p: number;
  m: number;
  sub: Plan | null;
  fft: FFT | null;
  /** W_n^j, j < n (forward sign). */
  wRe: Float64Array;
  wIm: Float64Array;
  /** (r·k2) mod p at k2·p + r. */
  jt: Int32Array;
  /** scratch: sub-DFT outputs (n complex) and gather buffers. */
  yRe: Float64Array;
  yIm: Float64Array;
  inp: Float64Array;
  out: Float64Array;
}

const MAX_P = 31;
const plans = new Map<number, Plan>();

function smallOddPrime(n: number): number {
  for (let p = 3; p <= MAX_P; p += 2) if (n % p === 0) return p;
  return 0;
}

function planFor(n: number): Plan {
  const hit = plans.get(n);
  if (hit) return hit;
  const pow2 = (n & (n - 1)) === 0;
  const p = pow2 ? 0 : smallOddPrime(n);
  const kind = pow2 ? 'pow2' : p ? 'split' : 'bluestein';
  const m = kind === 'split' ? n / p : n;
  const wRe = new Float64Array(kind === 'split' ? n : 0), wIm = new Float64Array(wRe.length);
  for (let j = 0; j < wRe.length; j++) {
    wRe[j] = Math.cos((-2 * Math.PI * j) / n);
    wIm[j] = Math.sin((-2 * Math.PI * j) / n);
  }
  const plan: Plan = {
    n, kind, p, m,
    sub: kind === 'split' ? planFor(m) : null,
    fft: kind === 'pow2' && n > 1 ? new FFT(n) : null,
    wRe, wIm,
    jt: Int32Array.from({ length: kind === 'split' ? p * p : 0 }, (_, i) => (Math.floor(i / p) * (i % p)) % p),
    yRe: new Float64Array(n),
    yIm: new Float64Array(n),
    inp: new Float64Array(kind === 'split' ? 0 : 2 * n),
    out: new Float64Array(kind === 'split' ? 0 : 2 * n),
  };
  plans.set(n, plan);
  return plan;
}

/** Forward DFT of x[off + stride·t], t < n, written contiguously to (oRe, oIm) at oOff. */
function dft(pl: Plan, re: Float64Array, im: Float64Array, off: number, stride: number, oRe: Float64Array, oIm: Float64Array, oOff: number): void {
  const n = pl.n;
  if (pl.kind !== 'split') {
    if (n === 1) {
      oRe[oOff] = re[off];
      oIm[oOff] = im[off];
      return;
    }
    if (pl.kind === 'pow2') {
      const inp = pl.inp, out = pl.out;
      for (let t = 0; t < n; t++) {
        inp[2 * t] = re[off + t * stride];
        inp[2 * t + 1] = im[off + t * stride];
      }
      pl.fft!.transform(out, inp);
      for (let t = 0; t < n; t++) {
        oRe[oOff + t] = out[2 * t];
        oIm[oOff + t] = out[2 * t + 1];
      }
      return;
    }
    const br = pl.yRe, bi = pl.yIm;
    for (let t = 0; t < n; t++) {
      br[t] = re[off + t * stride];
      bi[t] = im[off + t * stride];
    }
    fft1d(br, bi, false);
    oRe.set(br, oOff);
    oIm.set(bi, oOff);
    return;
  }
  const { p, m, wRe, wIm, jt } = pl;
  const yRe = pl.yRe, yIm = pl.yIm;
  // Y_r = DFT_m of x[r + p·t]; the sub-plan's own scratch is distinct (it belongs to length m < n)
  for (let r = 0; r < p; r++) dft(pl.sub!, re, im, off + r * stride, stride * p, yRe, yIm, r * m);
  if (p === 3) {
    // radix-3 butterfly with the twiddles folded in: w = e^{-2πi/3} = -1/2 - i·√3/2
    const S = Math.sqrt(3) / 2;
    for (let k = 0; k < m; k++) {
      const c1 = wRe[k], d1 = wIm[k], c2 = wRe[2 * k], d2 = wIm[2 * k];
      const a0r = yRe[k], a0i = yIm[k];
      const y1r = yRe[m + k], y1i = yIm[m + k], y2r = yRe[2 * m + k], y2i = yIm[2 * m + k];
      const a1r = y1r * c1 - y1i * d1, a1i = y1r * d1 + y1i * c1;
      const a2r = y2r * c2 - y2i * d2, a2i = y2r * d2 + y2i * c2;
      const tr = a1r + a2r, ti = a1i + a2i, dr = a1r - a2r, di = a1i - a2i;
      const ur = a0r - tr / 2, ui = a0i - ti / 2;
      oRe[oOff + k] = a0r + tr;
      oIm[oOff + k] = a0i + ti;
      oRe[oOff + m + k] = ur + S * di;
      oIm[oOff + m + k] = ui - S * dr;
      oRe[oOff + 2 * m + k] = ur - S * di;
      oIm[oOff + 2 * m + k] = ui + S * dr;
    }
    return;
  }
  // twiddle: Z_r[k1] = W_n^{r·k1} Y_r[k1]
  for (let r = 1; r < p; r++) {
    const base = r * m;
    for (let k = 0, j = 0; k < m; k++, j += r) {
      const a = yRe[base + k], b = yIm[base + k], c = wRe[j], d = wIm[j];
      yRe[base + k] = a * c - b * d;
      yIm[base + k] = a * d + b * c;
    }
  }
  // X[k1 + m·k2] = Σ_r Z_r[k1] W_p^{r·k2}, with W_p^{j} = W_n^{j·m}
  for (let k1 = 0; k1 < m; k1++) {
    for (let k2 = 0; k2 < p; k2++) {
      let sr = 0, si = 0;
      const row = k2 * p;
      for (let r = 0; r < p; r++) {
        const j = jt[row + r] * m, o = r * m + k1;
        const a = yRe[o], b = yIm[o], c = wRe[j], d = wIm[j];
        sr += a * c - b * d;
        si += a * d + b * c;
      }
      oRe[oOff + k1 + m * k2] = sr;
      oIm[oOff + k1 + m * k2] = si;
    }
  }
}

/** In-place DFT of the strided sequence x[off + stride·t], t < n. */
function transformStrided(re: Float64Array, im: Float64Array, n: number, off: number, stride: number, inverse: boolean, tRe: Float64Array, tIm: Float64Array): void {
  if (n === 1) return;
  if (inverse) for (let t = 0; t < n; t++) im[off + t * stride] = -im[off + t * stride];
  dft(planFor(n), re, im, off, stride, tRe, tIm, 0);
  if (inverse) {
    for (let t = 0; t < n; t++) {
      re[off + t * stride] = tRe[t] / n;
      im[off + t * stride] = -tIm[t] / n;
    }
  } else {
    for (let t = 0; t < n; t++) {
      re[off + t * stride] = tRe[t];
      im[off + t * stride] = tIm[t];
    }
  }
}

/** In-place 1-D DFT (any n), as `fft1d`. */
export function fft1dMixed(re: Float64Array, im: Float64Array, inverse = false): void {
  const n = re.length;
  transformStrided(re, im, n, 0, 1, inverse, new Float64Array(n), new Float64Array(n));
}

/** In-place 2-D DFT of row-major `re`/`im` (height x width), as `fft2d` (MATLAB `fft2`/`ifft2`). */
export function fft2dMixed(re: Float64Array, im: Float64Array, width: number, height: number, inverse = false): void {
  const len = Math.max(width, height);
  const tRe = new Float64Array(len), tIm = new Float64Array(len);
  for (let y = 0; y < height; y++) transformStrided(re, im, width, y * width, 1, inverse, tRe, tIm);
  for (let x = 0; x < width; x++) transformStrided(re, im, height, x, width, inverse, tRe, tIm);
}
