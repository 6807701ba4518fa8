/**
 * Planned 2-D DFT for repeated transforms of one size (FSIM's 17 transforms per image, SDSP, SR-SIM): the same
 * results and normalisation as `fft2d` in fft.ts (MATLAB `fft2`/`ifft2`: unnormalised forward, 1/N inverse), but
 * with per-length plans and their work buffers built once and reused (no allocation per 1-D transform): fft.js for
 * powers of two, q·2^p with a small odd q (≤ 15; e.g. 192 = 3·64, 480 = 15·32) by decimation in time over q
 * power-of-two FFTs, Bluestein's chirp-z otherwise.
 */
import FFT from 'fft.js';

interface AxisPlan {
  readonly n: number;
  /** In-place DFT of an interleaved complex buffer (length 2n); inverse applies 1/n. */
  run(buf: Float64Array, inverse: boolean): void;
}

function pow2Plan(n: number): AxisPlan {
  const f = new FFT(n), out = new Float64Array(2 * n);
  return {
    n,
    run(buf, inverse) {
      if (inverse) f.inverseTransform(out, buf);
      else f.transform(out, buf);
      buf.set(out);
    },
  };
}

function bluesteinPlan(n: number): AxisPlan {
  let m = 1;
  while (m < 2 * n - 1) m <<= 1;
  const f = new FFT(m);
  const cr = new Float64Array(n), ci = new Float64Array(n);
  for (let k = 0; k < n; k++) {
    const ang = (Math.PI * ((k * k) % (2 * n))) / n; // k² mod 2n keeps the angle accurate
    cr[k] = Math.cos(ang);
    ci[k] = -Math.sin(ang);
  }
  const b = new Float64Array(2 * m), bHat = new Float64Array(2 * m);
  b[0] = cr[0];
  b[1] = -ci[0];
  for (let k = 1; k < n; k++) {
    b[2 * k] = b[2 * (m - k)] = cr[k];
    b[2 * k + 1] = b[2 * (m - k) + 1] = -ci[k];
  }
  f.transform(bHat, b);
  const a = new Float64Array(2 * m), aHat = new Float64Array(2 * m);
  return {
    n,
    run(buf, inverse) {
      // ifft(x) = conj(fft(conj(x)))/n
      const s = inverse ? -1 : 1;
      a.fill(0);
      for (let k = 0; k < n; k++) {
        const xr = buf[2 * k], xi = s * buf[2 * k + 1];
        a[2 * k] = xr * cr[k] - xi * ci[k];
        a[2 * k + 1] = xr * ci[k] + xi * cr[k];
      }
      f.transform(aHat, a);
      for (let k = 0; k < m; k++) {
        const ar = aHat[2 * k], ai = aHat[2 * k + 1], br = bHat[2 * k], bi = bHat[2 * k + 1];
        a[2 * k] = ar * br - ai * bi;
        a[2 * k + 1] = ar * bi + ai * br;
      }
      f.inverseTransform(aHat, a);
      const g = inverse ? 1 / n : 1;
      for (let k = 0; k < n; k++) {
        const yr = aHat[2 * k], yi = aHat[2 * k + 1];
        buf[2 * k] = g * (yr * cr[k] - yi * ci[k]);
        buf[2 * k + 1] = g * s * (yr * ci[k] + yi * cr[k]);
      }
    },
  };
}

/**
 * n = q·M with M a power of two and a small odd q: decimation in time by q (q FFTs of length M), then
 * X[k] = Σ_r W_n^{r·k} · Y_r[k mod M] (O(n·q)). Cheaper than Bluestein's two 2^⌈log2(2n−1)⌉ FFTs for small q.
 */
function smallOddTimesPow2Plan(n: number, q: number): AxisPlan {
  const M = n / q;
  const sub = M > 1 ? new FFT(M) : null;
  const wr = new Float64Array(n), wi = new Float64Array(n);
  for (let j = 0; j < n; j++) {
    wr[j] = Math.cos((2 * Math.PI * j) / n);
    wi[j] = -Math.sin((2 * Math.PI * j) / n);
  }
  const ins = new Float64Array(2 * M), outs = new Float64Array(2 * q * M), res = new Float64Array(2 * n);
  return {
    n,
    run(buf, inverse) {
      const s = inverse ? -1 : 1;
      for (let r = 0; r < q; r++) {
        for (let m = 0; m < M; m++) {
          ins[2 * m] = buf[2 * (m * q + r)];
          ins[2 * m + 1] = s * buf[2 * (m * q + r) + 1];
        }
        const o = outs.subarray(2 * r * M, 2 * (r + 1) * M);
        if (sub) sub.transform(o, ins);
        else o.set(ins);
      }
      for (let k = 0; k < n; k++) {
        const km = k % M;
        let ar = 0, ai = 0, idx = 0;
        for (let r = 0; r < q; r++) {
          const yr = outs[2 * (r * M + km)], yi = outs[2 * (r * M + km) + 1];
          const c = wr[idx], d = wi[idx];
          ar += yr * c - yi * d;
          ai += yr * d + yi * c;
          idx += k;
          if (idx >= n) idx %= n;
        }
        res[2 * k] = ar;
        res[2 * k + 1] = ai;
      }
      const g = inverse ? 1 / n : 1;
      for (let k = 0; k < n; k++) {
        buf[2 * k] = g * res[2 * k];
        buf[2 * k + 1] = g * s * res[2 * k + 1];
      }
    },
  };
}

const identity = (n: number): AxisPlan => ({ n, run() {} });

function axisPlan(n: number): AxisPlan {
  if (n === 1) return identity(n);
  if ((n & (n - 1)) === 0) return pow2Plan(n);
  let q = n;
  while (q % 2 === 0) q /= 2;
  // measured: a recursive mixed-radix JS FFT lost to Bluestein over fft.js at these sizes, so there is none
  return q <= 15 ? smallOddTimesPow2Plan(n, q) : bluesteinPlan(n);
}

/** A reusable 2-D DFT of row-major planes of one size. Not re-entrant (shares its buffers). */
export interface Fft2Plan {
  readonly width: number;
  readonly height: number;
  /** In-place `fft2` (or `ifft2` when `inverse`) of `re`/`im` (length width·height). */
  run(re: Float64Array, im: Float64Array, inverse?: boolean): void;
}

export function fft2Plan(width: number, height: number): Fft2Plan {
  const px = axisPlan(width), py = width === height ? px : axisPlan(height);
  const rowBuf = new Float64Array(2 * width), colBuf = new Float64Array(2 * height);
  return {
    width,
    height,
    run(re, im, inverse = false) {
      for (let y = 0; y < height; y++) {
        const o = y * width;
        for (let x = 0; x < width; x++) {
          rowBuf[2 * x] = re[o + x];
          rowBuf[2 * x + 1] = im[o + x];
        }
        px.run(rowBuf, inverse);
        for (let x = 0; x < width; x++) {
          re[o + x] = rowBuf[2 * x];
          im[o + x] = rowBuf[2 * x + 1];
        }
      }
      for (let x = 0; x < width; x++) {
        for (let y = 0; y < height; y++) {
          colBuf[2 * y] = re[y * width + x];
          colBuf[2 * y + 1] = im[y * width + x];
        }
        py.run(colBuf, inverse);
        for (let y = 0; y < height; y++) {
          re[y * width + x] = colBuf[2 * y];
          im[y * width + x] = colBuf[2 * y + 1];
        }
      }
    },
  };
}

const planCache = new Map<string, Fft2Plan>();

/** A cached plan for width x height (at most 16 sizes kept). */
export function getFft2Plan(width: number, height: number): Fft2Plan {
  const key = `${width}x${height}`;
  let p = planCache.get(key);
  if (!p) {
    if (planCache.size >= 16) planCache.clear();
    planCache.set(key, (p = fft2Plan(width, height)));
  }
  return p;
}
