/**
 * Discrete Fourier transforms of any length, as MATLAB `fft`/`ifft`/`fft2`/`ifft2` (unnormalised forward,
 * 1/N inverse). Power-of-two lengths go straight to `fft.js` (a small, well-tested radix-4 FFT, chosen over
 * hand-written code); other lengths use Bluestein's chirp-z algorithm on top of it (exact to ~1e-12 relative).
 */
import FFT from 'fft.js';

const pow2Cache = new Map<number, FFT>();
function pow2(n: number): FFT {
  let f = pow2Cache.get(n);
  if (!f) pow2Cache.set(n, (f = new FFT(n)));
  return f;
}

interface Plan {
  n: number;
  m: number; // power of two >= 2n-1
  chirpRe: Float64Array; // w_k = exp(-i pi k^2 / n)
  chirpIm: Float64Array;
  bHat: Float64Array; // FFT of conj-chirp sequence (interleaved, length 2m)
}
const planCache = new Map<number, Plan>();

function bluesteinPlan(n: number): Plan {
  let p = planCache.get(n);
  if (p) return p;
  let m = 1;
  while (m < 2 * n - 1) m <<= 1;
  const chirpRe = new Float64Array(n), chirpIm = new Float64Array(n);
  for (let k = 0; k < n; k++) {
    // k^2 mod 2n keeps the angle accurate for large k
    const a = (Math.PI * ((k * k) % (2 * n))) / n;
    chirpRe[k] = Math.cos(a);
    chirpIm[k] = -Math.sin(a);
  }
  const b = new Float64Array(2 * m);
  b[0] = chirpRe[0];
  b[1] = -chirpIm[0];
  for (let k = 1; k < n; k++) {
    b[2 * k] = b[2 * (m - k)] = chirpRe[k];
    b[2 * k + 1] = b[2 * (m - k) + 1] = -chirpIm[k];
  }
  const bHat = new Float64Array(2 * m);
  pow2(m).transform(bHat, b);
  p = { n, m, chirpRe, chirpIm, bHat };
  planCache.set(n, p);
  return p;
}

/** In-place 1-D DFT of `re`/`im` (length n, any n >= 1). `inverse` applies 1/n. */
export function fft1d(re: Float64Array, im: Float64Array, inverse = false): void {
  const n = re.length;
  if (n === 1) return;
  if (inverse) {
    // ifft(x) = conj(fft(conj(x))) / n
    for (let i = 0; i < n; i++) im[i] = -im[i];
    fft1d(re, im, false);
    for (let i = 0; i < n; i++) {
      re[i] /= n;
      im[i] = -im[i] / n;
    }
    return;
  }
  if ((n & (n - 1)) === 0) {
    const f = pow2(n);
    const inp = new Float64Array(2 * n), out = new Float64Array(2 * n);
    for (let i = 0; i < n; i++) {
      inp[2 * i] = re[i];
      inp[2 * i + 1] = im[i];
    }
    f.transform(out, inp);
    for (let i = 0; i < n; i++) {
      re[i] = out[2 * i];
      im[i] = out[2 * i + 1];
    }
    return;
  }
  const { m, chirpRe, chirpIm, bHat } = bluesteinPlan(n);
  const f = pow2(m);
  const a = new Float64Array(2 * m), aHat = new Float64Array(2 * m);
  for (let k = 0; k < n; k++) {
    a[2 * k] = re[k] * chirpRe[k] - im[k] * chirpIm[k];
    a[2 * k + 1] = re[k] * chirpIm[k] + im[k] * chirpRe[k];
  }
  f.transform(aHat, a);
  for (let k = 0; k < m; k++) {
    const ar = aHat[2 * k], ai = aHat[2 * k + 1], br = bHat[2 * k], bi = bHat[2 * k + 1];
    a[2 * k] = ar * br - ai * bi;
    a[2 * k + 1] = ar * bi + ai * br;
  }
  f.inverseTransform(aHat, a);
  for (let k = 0; k < n; k++) {
    const cr = aHat[2 * k], ci = aHat[2 * k + 1];
    re[k] = cr * chirpRe[k] - ci * chirpIm[k];
    im[k] = cr * chirpIm[k] + ci * chirpRe[k];
  }
}

/** In-place 2-D DFT of row-major `re`/`im` (height x width), as MATLAB `fft2` / `ifft2`. */
export function fft2d(re: Float64Array, im: Float64Array, width: number, height: number, inverse = false): void {
  const rr = new Float64Array(width), ri = new Float64Array(width);
  for (let y = 0; y < height; y++) {
    const o = y * width;
    rr.set(re.subarray(o, o + width));
    ri.set(im.subarray(o, o + width));
    fft1d(rr, ri, inverse);
    re.set(rr, o);
    im.set(ri, o);
  }
  const cr = new Float64Array(height), ci = new Float64Array(height);
  for (let x = 0; x < width; x++) {
    for (let y = 0; y < height; y++) {
      cr[y] = re[y * width + x];
      ci[y] = im[y * width + x];
    }
    fft1d(cr, ci, inverse);
    for (let y = 0; y < height; y++) {
      re[y * width + x] = cr[y];
      im[y * width + x] = ci[y];
    }
  }
}

/** MATLAB `fftshift` / `ifftshift` of a row-major plane (returns a new array). */
export function fftshift(a: Float64Array, width: number, height: number, inverse = false): Float64Array {
  const out = new Float64Array(a.length);
  const sx = inverse ? Math.ceil(width / 2) : Math.floor(width / 2);
  const sy = inverse ? Math.ceil(height / 2) : Math.floor(height / 2);
  for (let y = 0; y < height; y++) {
    const ty = (y + sy) % height;
    for (let x = 0; x < width; x++) out[ty * width + ((x + sx) % width)] = a[y * width + x];
  }
  return out;
}
