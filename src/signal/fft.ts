/**
 * Discrete Fourier transforms of any length, as MATLAB `fft`/`ifft`/`fft2`/`ifft2` (unnormalised forward, 1/N
 * inverse), for the frequency-domain metrics (FSIM's phase congruency, VSI's SDSP, SR-SIM, MAD's log-Gabor bank).
 *
 * One module, planned transforms: a length-n plan caches its factorisation, twiddles and scratch buffers.
 * - n with prime factors ≤ 31 (image sizes: 384 = 8²·2·3, 1080 = 8·3³·5, 1920 = 8²·2·3·5): Stockham autosort
 *   mixed radix (decimation in frequency) with radix-8, 4, 2, 3 and 5 butterflies and a generic small-odd-prime
 *   one, twiddles exact per angle (no recurrences); the 2-D passes run blocks of rows / columns interleaved, so
 *   every stage's inner loop is contiguous and a block stays in cache through all stages.
 * - other n (a prime factor > 31, e.g. 267 = 3·89): Bluestein's chirp-z over a 2^a·3^b·5^c plan of length ≥ 2n−1
 *   (exact to ~1e-12 relative).
 * - real input (`Fft2Plan.forwardReal`): rows two at a time as one complex FFT, columns for kx ≤ W/2 only, the
 *   rest by Hermitian symmetry, i.e. about half the work of a complex `fft2`.
 * Written here rather than taken from npm: fft.js (used before) does powers of two only, on interleaved arrays,
 * and the float64 npm FFTs we know of fall back to Bluestein for 3·2^k or 5·2^k; the mixed-radix batched 2-D
 * transform is what makes these metrics fast (no longer-than-n transforms for 1080, 1920, 384...).
 * Plans are not re-entrant (they share their scratch buffers); JavaScript is single-threaded, so this is safe.
 */

const MAX_RADIX = 31;

/** One Stockham stage: radix p, remaining length m = nCur/p, twiddles W_nCur^{j·k} at (j·(p−1) + k − 1). */
interface Stage {
  p: number;
  m: number;
  twRe: Float64Array;
  twIm: Float64Array;
}

interface Bluestein {
  m: number;
  inner: Plan;
  chirpRe: Float64Array; // w_k = exp(-i π k² / n)
  chirpIm: Float64Array;
  bHatRe: Float64Array; // DFT of the conjugate chirp, length m
  bHatIm: Float64Array;
  aRe: Float64Array;
  aIm: Float64Array;
  /** scratch of bluesteinBatch (4 arrays of m·batch), made on first use */
  batchBufs?: Float64Array[];
}

/** A cached 1-D plan for length n. */
interface Plan {
  n: number;
  /** Stockham stages (empty for n = 1 and for Bluestein plans). */
  stages: Stage[];
  blue: Bluestein | null;
  /** scratch for a single contiguous transform */
  wRe: Float64Array;
  wIm: Float64Array;
}

function factorize(n: number): number[] | null {
  const f: number[] = [];
  while (n % 8 === 0) {
    f.push(8);
    n /= 8;
  }
  while (n % 4 === 0) {
    f.push(4);
    n /= 4;
  }
  if (n % 2 === 0) {
    f.push(2);
    n /= 2;
  }
  for (let p = 3; p <= MAX_RADIX && n > 1; p += 2) {
    while (n % p === 0) {
      f.push(p);
      n /= p;
    }
  }
  return n === 1 ? f : null;
}

const plans = new Map<number, Plan>();

function planFor(n: number): Plan {
  const hit = plans.get(n);
  if (hit) return hit;
  const radices = factorize(n);
  const stages: Stage[] = [];
  let blue: Bluestein | null = null;
  if (radices) {
    let nCur = n;
    for (const p of radices) {
      const m = nCur / p;
      const twRe = new Float64Array(m * (p - 1)), twIm = new Float64Array(m * (p - 1));
      for (let j = 0; j < m; j++) {
        for (let k = 1; k < p; k++) {
          const a = (-2 * Math.PI * ((j * k) % nCur)) / nCur;
          twRe[j * (p - 1) + k - 1] = Math.cos(a);
          twIm[j * (p - 1) + k - 1] = Math.sin(a);
        }
      }
      stages.push({ p, m, twRe, twIm });
      nCur = m;
    }
  } else {
    blue = bluesteinPlan(n);
  }
  const plan: Plan = { n, stages, blue, wRe: new Float64Array(n), wIm: new Float64Array(n) };
  if (plans.size >= 64) plans.clear(); // bounded (a dataset of many sizes); 2-D plans keep their own references
  plans.set(n, plan);
  return plan;
}

/** Smallest 2^a·3^b·5^c ≥ n (a fast Stockham length). */
function smoothAtLeast(n: number): number {
  let best = Infinity;
  for (let p5 = 1; p5 < 2 * n; p5 *= 5) {
    for (let p35 = p5; p35 < 2 * n; p35 *= 3) {
      let m = p35;
      while (m < n) m *= 2;
      if (m < best) best = m;
    }
  }
  return best;
}

function bluesteinPlan(n: number): Bluestein {
  const m = smoothAtLeast(2 * n - 1); // e.g. 540 for n = 267 (1024 with a power of two)
  const inner = planFor(m);
  const chirpRe = new Float64Array(n), chirpIm = new Float64Array(n);
  for (let k = 0; k < n; k++) {
    const a = (Math.PI * ((k * k) % (2 * n))) / n; // k² mod 2n keeps the angle accurate for large k
    chirpRe[k] = Math.cos(a);
    chirpIm[k] = -Math.sin(a);
  }
  const bHatRe = new Float64Array(m), bHatIm = new Float64Array(m);
  bHatRe[0] = chirpRe[0];
  bHatIm[0] = -chirpIm[0];
  for (let k = 1; k < n; k++) {
    bHatRe[k] = bHatRe[m - k] = chirpRe[k];
    bHatIm[k] = bHatIm[m - k] = -chirpIm[k];
  }
  forward(inner, bHatRe, bHatIm, 1);
  return { m, inner, chirpRe, chirpIm, bHatRe, bHatIm, aRe: new Float64Array(m), aIm: new Float64Array(m) };
}

/**
 * One Stockham DIF stage over `s` interleaved batches: for j < m, q < s,
 * y[q + s·(p·j + k)] = W_nCur^{j·k} · Σ_r x[q + s·(j + r·m)] · W_p^{r·k}.
 */
function stage(st: Stage, s: number, xr: Float64Array, xi: Float64Array, yr: Float64Array, yi: Float64Array): void {
  const { p, m, twRe, twIm } = st;
  const sm = s * m;
  if (p === 8) {
    stage8(st, s, xr, xi, yr, yi);
  } else if (p === 4) {
    for (let j = 0; j < m; j++) {
      const w1r = twRe[3 * j], w1i = twIm[3 * j], w2r = twRe[3 * j + 1], w2i = twIm[3 * j + 1], w3r = twRe[3 * j + 2], w3i = twIm[3 * j + 2];
      const xo = s * j, yo = s * 4 * j;
      for (let q = 0; q < s; q++) {
        const i0 = xo + q, i1 = i0 + sm, i2 = i1 + sm, i3 = i2 + sm;
        const a0r = xr[i0], a0i = xi[i0], a1r = xr[i1], a1i = xi[i1], a2r = xr[i2], a2i = xi[i2], a3r = xr[i3], a3i = xi[i3];
        const t0r = a0r + a2r, t0i = a0i + a2i, t1r = a0r - a2r, t1i = a0i - a2i;
        const t2r = a1r + a3r, t2i = a1i + a3i, t3r = a1r - a3r, t3i = a1i - a3i;
        const b1r = t1r + t3i, b1i = t1i - t3r, b2r = t0r - t2r, b2i = t0i - t2i, b3r = t1r - t3i, b3i = t1i + t3r;
        const o = yo + q;
        yr[o] = t0r + t2r;
        yi[o] = t0i + t2i;
        yr[o + s] = b1r * w1r - b1i * w1i;
        yi[o + s] = b1r * w1i + b1i * w1r;
        yr[o + 2 * s] = b2r * w2r - b2i * w2i;
        yi[o + 2 * s] = b2r * w2i + b2i * w2r;
        yr[o + 3 * s] = b3r * w3r - b3i * w3i;
        yi[o + 3 * s] = b3r * w3i + b3i * w3r;
      }
    }
  } else if (p === 2) {
    for (let j = 0; j < m; j++) {
      const wr = twRe[j], wi = twIm[j];
      const xo = s * j, yo = s * 2 * j;
      for (let q = 0; q < s; q++) {
        const i0 = xo + q, i1 = i0 + sm;
        const ar = xr[i0], ai = xi[i0], br = xr[i1], bi = xi[i1];
        const dr = ar - br, di = ai - bi;
        const o = yo + q;
        yr[o] = ar + br;
        yi[o] = ai + bi;
        yr[o + s] = dr * wr - di * wi;
        yi[o + s] = dr * wi + di * wr;
      }
    }
  } else if (p === 3) {
    const S = Math.sqrt(3) / 2; // W_3 = −1/2 − i·√3/2
    for (let j = 0; j < m; j++) {
      const w1r = twRe[2 * j], w1i = twIm[2 * j], w2r = twRe[2 * j + 1], w2i = twIm[2 * j + 1];
      const xo = s * j, yo = s * 3 * j;
      for (let q = 0; q < s; q++) {
        const i0 = xo + q, i1 = i0 + sm, i2 = i1 + sm;
        const a0r = xr[i0], a0i = xi[i0];
        const tr = xr[i1] + xr[i2], ti = xi[i1] + xi[i2], dr = xr[i1] - xr[i2], di = xi[i1] - xi[i2];
        const ur = a0r - 0.5 * tr, ui = a0i - 0.5 * ti;
        const b1r = ur + S * di, b1i = ui - S * dr, b2r = ur - S * di, b2i = ui + S * dr;
        const o = yo + q;
        yr[o] = a0r + tr;
        yi[o] = a0i + ti;
        yr[o + s] = b1r * w1r - b1i * w1i;
        yi[o + s] = b1r * w1i + b1i * w1r;
        yr[o + 2 * s] = b2r * w2r - b2i * w2i;
        yi[o + 2 * s] = b2r * w2i + b2i * w2r;
      }
    }
  } else if (p === 5) {
    const c1 = Math.cos((2 * Math.PI) / 5), c2 = Math.cos((4 * Math.PI) / 5);
    const s1 = Math.sin((2 * Math.PI) / 5), s2 = Math.sin((4 * Math.PI) / 5);
    for (let j = 0; j < m; j++) {
      const t = 4 * j;
      const w1r = twRe[t], w1i = twIm[t], w2r = twRe[t + 1], w2i = twIm[t + 1];
      const w3r = twRe[t + 2], w3i = twIm[t + 2], w4r = twRe[t + 3], w4i = twIm[t + 3];
      const xo = s * j, yo = s * 5 * j;
      for (let q = 0; q < s; q++) {
        const i0 = xo + q, i1 = i0 + sm, i2 = i1 + sm, i3 = i2 + sm, i4 = i3 + sm;
        const a0r = xr[i0], a0i = xi[i0];
        const t1r = xr[i1] + xr[i4], t1i = xi[i1] + xi[i4], d1r = xr[i1] - xr[i4], d1i = xi[i1] - xi[i4];
        const t2r = xr[i2] + xr[i3], t2i = xi[i2] + xi[i3], d2r = xr[i2] - xr[i3], d2i = xi[i2] - xi[i3];
        const m1r = a0r + c1 * t1r + c2 * t2r, m1i = a0i + c1 * t1i + c2 * t2i;
        const m2r = a0r + c2 * t1r + c1 * t2r, m2i = a0i + c2 * t1i + c1 * t2i;
        const n1r = s1 * d1r + s2 * d2r, n1i = s1 * d1i + s2 * d2i;
        const n2r = s2 * d1r - s1 * d2r, n2i = s2 * d1i - s1 * d2i;
        // b1 = m1 − i·n1, b4 = m1 + i·n1, b2 = m2 − i·n2, b3 = m2 + i·n2
        const b1r = m1r + n1i, b1i = m1i - n1r, b4r = m1r - n1i, b4i = m1i + n1r;
        const b2r = m2r + n2i, b2i = m2i - n2r, b3r = m2r - n2i, b3i = m2i + n2r;
        const o = yo + q;
        yr[o] = a0r + t1r + t2r;
        yi[o] = a0i + t1i + t2i;
        yr[o + s] = b1r * w1r - b1i * w1i;
        yi[o + s] = b1r * w1i + b1i * w1r;
        yr[o + 2 * s] = b2r * w2r - b2i * w2i;
        yi[o + 2 * s] = b2r * w2i + b2i * w2r;
        yr[o + 3 * s] = b3r * w3r - b3i * w3i;
        yi[o + 3 * s] = b3r * w3i + b3i * w3r;
        yr[o + 4 * s] = b4r * w4r - b4i * w4i;
        yi[o + 4 * s] = b4r * w4i + b4i * w4r;
      }
    }
  } else {
    // generic odd prime p ≤ MAX_RADIX: direct p-point DFT, W_p^{j} = cos/sin(−2πj/p)
    const cr = new Float64Array(p), ci = new Float64Array(p), ar = new Float64Array(p), ai = new Float64Array(p);
    for (let j = 0; j < p; j++) {
      cr[j] = Math.cos((-2 * Math.PI * j) / p);
      ci[j] = Math.sin((-2 * Math.PI * j) / p);
    }
    for (let j = 0; j < m; j++) {
      const xo = s * j, yo = s * p * j, tw = (p - 1) * j;
      for (let q = 0; q < s; q++) {
        for (let r = 0; r < p; r++) {
          ar[r] = xr[xo + q + r * sm];
          ai[r] = xi[xo + q + r * sm];
        }
        for (let k = 0; k < p; k++) {
          let br = 0, bi = 0;
          for (let r = 0, e = 0; r < p; r++, e = (e + k) % p) {
            br += ar[r] * cr[e] - ai[r] * ci[e];
            bi += ar[r] * ci[e] + ai[r] * cr[e];
          }
          const o = yo + q + k * s;
          if (k === 0) {
            yr[o] = br;
            yi[o] = bi;
          } else {
            const wr = twRe[tw + k - 1], wi = twIm[tw + k - 1];
            yr[o] = br * wr - bi * wi;
            yi[o] = br * wi + bi * wr;
          }
        }
      }
    }
  }
}

/** Radix-8 stage: two radix-4 DFTs (even and odd inputs) joined by W_8^k, then the stage twiddles. */
function stage8(st: Stage, s: number, xr: Float64Array, xi: Float64Array, yr: Float64Array, yi: Float64Array): void {
  const { m, twRe, twIm } = st;
  const sm = s * m, R = Math.SQRT1_2;
  for (let j = 0; j < m; j++) {
    const xo = s * j, yo = s * 8 * j, tw = 7 * j;
    for (let q = 0; q < s; q++) {
      const i0 = xo + q;
      const a0r = xr[i0], a0i = xi[i0], a1r = xr[i0 + sm], a1i = xi[i0 + sm];
      const a2r = xr[i0 + 2 * sm], a2i = xi[i0 + 2 * sm], a3r = xr[i0 + 3 * sm], a3i = xi[i0 + 3 * sm];
      const a4r = xr[i0 + 4 * sm], a4i = xi[i0 + 4 * sm], a5r = xr[i0 + 5 * sm], a5i = xi[i0 + 5 * sm];
      const a6r = xr[i0 + 6 * sm], a6i = xi[i0 + 6 * sm], a7r = xr[i0 + 7 * sm], a7i = xi[i0 + 7 * sm];
      // E = DFT4(a0, a2, a4, a6)
      let t0r = a0r + a4r, t0i = a0i + a4i, t1r = a0r - a4r, t1i = a0i - a4i;
      let t2r = a2r + a6r, t2i = a2i + a6i, t3r = a2r - a6r, t3i = a2i - a6i;
      const e0r = t0r + t2r, e0i = t0i + t2i, e2r = t0r - t2r, e2i = t0i - t2i;
      const e1r = t1r + t3i, e1i = t1i - t3r, e3r = t1r - t3i, e3i = t1i + t3r;
      // O = DFT4(a1, a3, a5, a7)
      t0r = a1r + a5r; t0i = a1i + a5i; t1r = a1r - a5r; t1i = a1i - a5i;
      t2r = a3r + a7r; t2i = a3i + a7i; t3r = a3r - a7r; t3i = a3i - a7i;
      const o0r = t0r + t2r, o0i = t0i + t2i, o2r = t0r - t2r, o2i = t0i - t2i;
      const u1r = t1r + t3i, u1i = t1i - t3r, u3r = t1r - t3i, u3i = t1i + t3r;
      // W_8^1·O1 = R(1 − i)·O1, W_8^2·O2 = −i·O2, W_8^3·O3 = R(−1 − i)·O3
      const o1r = R * (u1r + u1i), o1i = R * (u1i - u1r);
      const w2r = o2i, w2i = -o2r;
      const o3r = R * (u3i - u3r), o3i = -R * (u3r + u3i);
      const o = yo + q;
      yr[o] = e0r + o0r;
      yi[o] = e0i + o0i;
      let br = e1r + o1r, bi = e1i + o1i, wr = twRe[tw], wi = twIm[tw];
      yr[o + s] = br * wr - bi * wi;
      yi[o + s] = br * wi + bi * wr;
      br = e2r + w2r; bi = e2i + w2i; wr = twRe[tw + 1]; wi = twIm[tw + 1];
      yr[o + 2 * s] = br * wr - bi * wi;
      yi[o + 2 * s] = br * wi + bi * wr;
      br = e3r + o3r; bi = e3i + o3i; wr = twRe[tw + 2]; wi = twIm[tw + 2];
      yr[o + 3 * s] = br * wr - bi * wi;
      yi[o + 3 * s] = br * wi + bi * wr;
      br = e0r - o0r; bi = e0i - o0i; wr = twRe[tw + 3]; wi = twIm[tw + 3];
      yr[o + 4 * s] = br * wr - bi * wi;
      yi[o + 4 * s] = br * wi + bi * wr;
      br = e1r - o1r; bi = e1i - o1i; wr = twRe[tw + 4]; wi = twIm[tw + 4];
      yr[o + 5 * s] = br * wr - bi * wi;
      yi[o + 5 * s] = br * wi + bi * wr;
      br = e2r - w2r; bi = e2i - w2i; wr = twRe[tw + 5]; wi = twIm[tw + 5];
      yr[o + 6 * s] = br * wr - bi * wi;
      yi[o + 6 * s] = br * wi + bi * wr;
      br = e3r - o3r; bi = e3i - o3i; wr = twRe[tw + 6]; wi = twIm[tw + 6];
      yr[o + 7 * s] = br * wr - bi * wi;
      yi[o + 7 * s] = br * wi + bi * wr;
    }
  }
}

/**
 * Forward DFT, in place, of `s` interleaved sequences of length n (element t of sequence q at q + s·t, arrays
 * of length n·s); `tr`/`ti` are scratch of the same length. Stockham-capable plans only.
 */
function stockham(pl: Plan, re: Float64Array, im: Float64Array, s: number, tr: Float64Array, ti: Float64Array): void {
  let xr = re, xi = im, yr = tr, yi = ti;
  for (const st of pl.stages) {
    stage(st, s, xr, xi, yr, yi);
    s *= st.p;
    const a = xr, b = xi;
    xr = yr;
    xi = yi;
    yr = a;
    yi = b;
  }
  if (xr !== re) {
    const len = re.length; // the scratch may be longer (compact half-spectrum columns)
    re.set(len === xr.length ? xr : xr.subarray(0, len));
    im.set(len === xi.length ? xi : xi.subarray(0, len));
  }
}

/** Forward DFT, in place, of one contiguous sequence (re/im of length pl.n) or `batch` interleaved ones. */
function forward(pl: Plan, re: Float64Array, im: Float64Array, batch: number, tr?: Float64Array, ti?: Float64Array): void {
  const n = pl.n;
  if (n === 1) return;
  if (!pl.blue) {
    stockham(pl, re, im, batch, tr ?? pl.wRe, ti ?? pl.wIm);
    return;
  }
  if (batch !== 1) {
    bluesteinBatch(pl.blue, n, re, im, batch);
    return;
  }
  bluestein(pl.blue, n, re, im);
}

/** `bluestein` on `batch` interleaved sequences at once (the same arithmetic per sequence, batched Stockham). */
function bluesteinBatch(b: Bluestein, n: number, re: Float64Array, im: Float64Array, batch: number): void {
  const { m, chirpRe, chirpIm, bHatRe, bHatIm } = b;
  const len = m * batch;
  if (!b.batchBufs || b.batchBufs[0].length !== len) b.batchBufs = [0, 1, 2, 3].map(() => new Float64Array(len));
  const [aRe, aIm, tRe, tIm] = b.batchBufs;
  aRe.fill(0, n * batch);
  aIm.fill(0, n * batch);
  for (let k = 0; k < n; k++) {
    const cr = chirpRe[k], ci = chirpIm[k], o = k * batch;
    for (let q = o; q < o + batch; q++) {
      aRe[q] = re[q] * cr - im[q] * ci;
      aIm[q] = re[q] * ci + im[q] * cr;
    }
  }
  stockham(b.inner, aRe, aIm, batch, tRe, tIm);
  for (let k = 0; k < m; k++) {
    const br = bHatRe[k], bi = bHatIm[k], o = k * batch;
    for (let q = o; q < o + batch; q++) {
      const ar = aRe[q], ai = aIm[q];
      aRe[q] = ar * br - ai * bi;
      aIm[q] = -(ar * bi + ai * br);
    }
  }
  stockham(b.inner, aRe, aIm, batch, tRe, tIm);
  for (let k = 0; k < n; k++) {
    const chr = chirpRe[k], chi = chirpIm[k], o = k * batch;
    for (let q = o; q < o + batch; q++) {
      const cr = aRe[q] / m, ci = -aIm[q] / m;
      re[q] = cr * chr - ci * chi;
      im[q] = cr * chi + ci * chr;
    }
  }
}

/** X_k = conj(w_k) ⊛ ... : Bluestein's chirp-z, X = w · ((x·w) ⊛ conj(w)) by a length-m circular convolution. */
function bluestein(b: Bluestein, n: number, re: Float64Array, im: Float64Array): void {
  const { m, chirpRe, chirpIm, bHatRe, bHatIm, aRe, aIm } = b;
  aRe.fill(0);
  aIm.fill(0);
  for (let k = 0; k < n; k++) {
    aRe[k] = re[k] * chirpRe[k] - im[k] * chirpIm[k];
    aIm[k] = re[k] * chirpIm[k] + im[k] * chirpRe[k];
  }
  forward(b.inner, aRe, aIm, 1);
  // inverse DFT of the product as conj(DFT(conj(·)))/m
  for (let k = 0; k < m; k++) {
    const ar = aRe[k], ai = aIm[k], br = bHatRe[k], bi = bHatIm[k];
    aRe[k] = ar * br - ai * bi;
    aIm[k] = -(ar * bi + ai * br);
  }
  forward(b.inner, aRe, aIm, 1);
  for (let k = 0; k < n; k++) {
    const cr = aRe[k] / m, ci = -aIm[k] / m;
    re[k] = cr * chirpRe[k] - ci * chirpIm[k];
    im[k] = cr * chirpIm[k] + ci * chirpRe[k];
  }
}

/** In-place 1-D DFT of `re`/`im` (length n, any n >= 1), as MATLAB `fft`; `inverse` is `ifft` (applies 1/n). */
export function fft1d(re: Float64Array, im: Float64Array, inverse = false): void {
  const n = re.length;
  if (n <= 1) return;
  const pl = planFor(n);
  if (inverse) for (let i = 0; i < n; i++) im[i] = -im[i]; // ifft(x) = conj(fft(conj(x)))/n
  forward(pl, re, im, 1);
  if (inverse) {
    const g = 1 / n;
    for (let i = 0; i < n; i++) {
      re[i] *= g;
      im[i] *= -g;
    }
  }
}

/** A reusable 2-D DFT of row-major planes of one size. Not re-entrant (it shares its buffers). */
export interface Fft2Plan {
  readonly width: number;
  readonly height: number;
  /** In-place `fft2` (or `ifft2` when `inverse`: 1/(W·H)) of `re`/`im` (length width·height). */
  run(re: Float64Array, im: Float64Array, inverse?: boolean): void;
  /**
   * `fft2` of the real plane `x` into `re`/`im` (full spectrum, length width·height), about half the work of
   * `run` (two rows per complex FFT, half the columns, the rest by Hermitian symmetry X[-k] = conj X[k]).
   */
  forwardReal(x: Float64Array, re: Float64Array, im: Float64Array): void;
  /**
   * `ifft2((re + i·im) .* filter)` for a real `filter` (frequency-domain filtering: FSIM's log-Gabor bank, MAD,
   * SDSP) into `outRe`/`outIm`, the product formed on the way into the first pass (the same products as
   * multiplying first, so the same result as `run` on the product); the output may be the input (else the input
   * is left unchanged).
   */
  inverseOfProduct(re: Float64Array, im: Float64Array, filter: Float64Array, outRe: Float64Array, outIm: Float64Array): void;
}

/** Columns are transformed in blocks of this many (a block of H rows stays in cache through all stages). */
const COL_BLOCK = 32;
/** Rows likewise, interleaved so that every Stockham stage has a contiguous inner loop of this length. */
const ROW_BLOCK = 8;

class Plan2 implements Fft2Plan {
  private readonly px: Plan;
  private readonly py: Plan;
  private readonly rowRe: Float64Array;
  private readonly rowIm: Float64Array;
  private readonly bRe: Float64Array;
  private readonly bIm: Float64Array;
  private readonly rRe: Float64Array;
  private readonly rIm: Float64Array;
  private readonly tRe: Float64Array;
  private readonly tIm: Float64Array;
  constructor(readonly width: number, readonly height: number) {
    this.px = planFor(width);
    this.py = planFor(height);
    this.rowRe = new Float64Array(width);
    this.rowIm = new Float64Array(width);
    const len = Math.min(COL_BLOCK, width) * height, rlen = Math.min(ROW_BLOCK, height) * width;
    this.bRe = new Float64Array(len);
    this.bIm = new Float64Array(len);
    this.rRe = new Float64Array(rlen);
    this.rIm = new Float64Array(rlen);
    this.tRe = new Float64Array(Math.max(len, rlen));
    this.tIm = new Float64Array(Math.max(len, rlen));
  }

  run(re: Float64Array, im: Float64Array, inverse = false): void {
    this.apply(re, im, null, re, im, inverse);
  }

  inverseOfProduct(re: Float64Array, im: Float64Array, filter: Float64Array, outRe: Float64Array, outIm: Float64Array): void {
    this.apply(re, im, filter, outRe, outIm, true);
  }

  /** out = fft2 (or ifft2) of (re + i·im) .* mul (mul null: 1); out may be the input. */
  private apply(re: Float64Array, im: Float64Array, mul: Float64Array | null, outRe: Float64Array, outIm: Float64Array, inverse: boolean): void {
    const W = this.width, H = this.height;
    if (mul || outRe !== re || outIm !== im) {
      if (H === 1 || W === 1) {
        // degenerate sizes: form the product in place in the output, then transform it
        for (let i = 0; i < re.length; i++) {
          outRe[i] = mul ? re[i] * mul[i] : re[i];
          outIm[i] = mul ? im[i] * mul[i] : im[i];
        }
        this.apply(outRe, outIm, null, outRe, outIm, inverse);
        return;
      }
      this.rows(re, im, inverse ? -1 : 1, mul, outRe, outIm);
      this.columns(outRe, outIm, W, inverse ? 1 / (W * H) : 1, inverse ? -1 : 1);
      return;
    }
    // ifft2(x) = conj(fft2(conj(x)))/N: the conjugations and 1/N ride on the copies into and out of scratch
    const sg = inverse ? -1 : 1;
    if (H === 1) {
      const rr = this.rowRe, ri = this.rowIm;
      for (let x = 0; x < W; x++) {
        rr[x] = re[x];
        ri[x] = sg * im[x];
      }
      forward(this.px, rr, ri, 1);
      const g = inverse ? 1 / W : 1;
      for (let x = 0; x < W; x++) {
        re[x] = g * rr[x];
        im[x] = sg * g * ri[x];
      }
      return;
    }
    this.rows(re, im, sg, null, re, im);
    this.columns(re, im, W, inverse ? 1 / (W * H) : 1, sg);
  }

  /**
   * Row DFTs of (re + sg·i·im)·mul into out, ROW_BLOCK rows at a time interleaved in scratch (element t of row q
   * at q + B·t). W > 1 unless mul is null and out is the input.
   */
  private rows(re: Float64Array, im: Float64Array, sg: number, mul: Float64Array | null, outRe: Float64Array, outIm: Float64Array): void {
    const W = this.width, H = this.height, br = this.rRe, bi = this.rIm;
    if (W === 1) {
      if (sg < 0) for (let i = 0; i < H; i++) im[i] = -im[i];
      return;
    }
    for (let r0 = 0; r0 < H; r0 += ROW_BLOCK) {
      const B = Math.min(ROW_BLOCK, H - r0), len = B * W;
      const xr = len === br.length ? br : br.subarray(0, len), xi = len === bi.length ? bi : bi.subarray(0, len);
      for (let q = 0; q < B; q++) {
        const o = (r0 + q) * W;
        if (mul) {
          for (let t = 0; t < W; t++) {
            const m = mul[o + t];
            xr[q + B * t] = re[o + t] * m;
            xi[q + B * t] = sg * (im[o + t] * m);
          }
        } else {
          for (let t = 0; t < W; t++) {
            xr[q + B * t] = re[o + t];
            xi[q + B * t] = sg * im[o + t];
          }
        }
      }
      forward(this.px, xr, xi, B, this.tRe, this.tIm);
      for (let q = 0; q < B; q++) {
        const o = (r0 + q) * W;
        for (let t = 0; t < W; t++) {
          outRe[o + t] = xr[q + B * t];
          outIm[o + t] = xi[q + B * t];
        }
      }
    }
  }

  /** Column DFTs of columns 0..ncols-1, COL_BLOCK at a time through compact scratch; output times g·(re + sg·i·im). */
  private columns(re: Float64Array, im: Float64Array, ncols: number, g: number, sg: number): void {
    const W = this.width, H = this.height, br = this.bRe, bi = this.bIm;
    for (let c0 = 0; c0 < ncols; c0 += COL_BLOCK) {
      const B = Math.min(COL_BLOCK, ncols - c0), len = B * H;
      const xr = B * H === br.length ? br : br.subarray(0, len), xi = B * H === bi.length ? bi : bi.subarray(0, len);
      for (let y = 0; y < H; y++) {
        const o = y * W + c0, p = y * B;
        for (let c = 0; c < B; c++) {
          xr[p + c] = re[o + c];
          xi[p + c] = im[o + c];
        }
      }
      forward(this.py, xr, xi, B, this.tRe, this.tIm);
      const gi = g * sg;
      for (let y = 0; y < H; y++) {
        const o = y * W + c0, p = y * B;
        if (g === 1 && sg === 1) {
          for (let c = 0; c < B; c++) {
            re[o + c] = xr[p + c];
            im[o + c] = xi[p + c];
          }
        } else {
          for (let c = 0; c < B; c++) {
            re[o + c] = g * xr[p + c];
            im[o + c] = gi * xi[p + c];
          }
        }
      }
    }
  }

  forwardReal(x: Float64Array, re: Float64Array, im: Float64Array): void {
    const W = this.width, H = this.height;
    const rr = this.rowRe, ri = this.rowIm;
    // rows: z = x_y + i·x_{y+1}; X_y[k] = (Z[k] + conj Z[−k])/2, X_{y+1}[k] = (Z[k] − conj Z[−k])/(2i)
    for (let y = 0; y < H; y += 2) {
      const o = y * W, two = y + 1 < H;
      for (let c = 0; c < W; c++) {
        rr[c] = x[o + c];
        ri[c] = two ? x[o + W + c] : 0;
      }
      forward(this.px, rr, ri, 1);
      if (!two) {
        re.set(rr, o);
        im.set(ri, o);
        continue;
      }
      for (let k = 0; k < W; k++) {
        const kk = k === 0 ? 0 : W - k;
        const ar = rr[k], ai = ri[k], br = rr[kk], bi = -ri[kk];
        re[o + k] = 0.5 * (ar + br);
        im[o + k] = 0.5 * (ai + bi);
        re[o + W + k] = 0.5 * (ai - bi);
        im[o + W + k] = -0.5 * (ar - br);
      }
    }
    if (H === 1) return;
    // columns kx ≤ W/2 only; X[y][k] = conj X[−y][−k] for k > W/2
    const half = Math.floor(W / 2) + 1;
    this.columns(re, im, half, 1, 1);
    for (let y = 0; y < H; y++) {
      const o = y * W, o2 = (y === 0 ? 0 : H - y) * W;
      for (let k = half; k < W; k++) {
        re[o + k] = re[o2 + W - k];
        im[o + k] = -im[o2 + W - k];
      }
    }
  }
}

const plan2Cache = new Map<string, Fft2Plan>();

/** A cached 2-D plan for width x height (at most 16 sizes kept). */
export function getFft2Plan(width: number, height: number): Fft2Plan {
  const key = `${width}x${height}`;
  let p = plan2Cache.get(key);
  if (!p) {
    if (plan2Cache.size >= 16) plan2Cache.clear();
    plan2Cache.set(key, (p = new Plan2(width, height)));
  }
  return p;
}

/** In-place 2-D DFT of row-major `re`/`im` (height x width), as MATLAB `fft2` / `ifft2`. */
export function fft2d(re: Float64Array, im: Float64Array, width: number, height: number, inverse = false): void {
  getFft2Plan(width, height).run(re, im, inverse);
}

/** MATLAB `fft2` of a real row-major plane: returns the full spectrum [re, im] (real-input fast path). */
export function fft2dReal(x: Float64Array, width: number, height: number): [Float64Array, Float64Array] {
  const re = new Float64Array(width * height), im = new Float64Array(width * height);
  getFft2Plan(width, height).forwardReal(x, re, im);
  return [re, im];
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
