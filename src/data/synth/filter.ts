/**
 * Small image-processing kernels for the synthetic distortions, on row-major float64 planes.
 * They mirror the MATLAB functions the KADID-10k generator calls: `fspecial('gaussian'|'disk'|'motion')`,
 * `imfilter(..., 'replicate')`, `imgaussfilt` (default size 2*ceil(2*sigma)+1, replicate padding),
 * `imresize(..., 'nearest')` and bicubic sampling as in `interp2(..., 'cubic')`.
 * Private to `src/data/synth` (the shared `src/signal` versions are written in parallel; swap when merged).
 */

/** Index clamped to [0, n-1] (replicate padding). */
function clampIdx(i: number, n: number): number {
  return i < 0 ? 0 : i >= n ? n - 1 : i;
}

/** Normalised 1-D Gaussian; default length 2*ceil(2*sigma)+1 as MATLAB `imgaussfilt`. */
export function gaussianKernel1d(sigma: number, size = 2 * Math.ceil(2 * sigma) + 1): Float64Array {
  const k = new Float64Array(size);
  const c = (size - 1) / 2;
  let s = 0;
  for (let i = 0; i < size; i++) {
    k[i] = Math.exp(-((i - c) ** 2) / (2 * sigma * sigma));
    s += k[i];
  }
  for (let i = 0; i < size; i++) k[i] /= s;
  return k;
}

/** Separable correlation with replicate padding: rows with `kx`, then columns with `ky`. */
export function convolveSeparable(src: Float64Array, w: number, h: number, kx: Float64Array, ky: Float64Array = kx): Float64Array {
  const tmp = new Float64Array(w * h);
  const out = new Float64Array(w * h);
  const rx = (kx.length - 1) >> 1;
  const ry = (ky.length - 1) >> 1;
  const row = new Float64Array(w + 2 * rx);
  for (let y = 0; y < h; y++) {
    const o = y * w;
    for (let i = 0; i < row.length; i++) row[i] = src[o + clampIdx(i - rx, w)];
    for (let x = 0; x < w; x++) {
      let s = 0;
      for (let k = 0; k < kx.length; k++) s += kx[k] * row[x + k];
      tmp[o + x] = s;
    }
  }
  const col = new Float64Array(h + 2 * ry);
  for (let x = 0; x < w; x++) {
    for (let i = 0; i < col.length; i++) col[i] = tmp[clampIdx(i - ry, h) * w + x];
    for (let y = 0; y < h; y++) {
      let s = 0;
      for (let k = 0; k < ky.length; k++) s += ky[k] * col[y + k];
      out[y * w + x] = s;
    }
  }
  return out;
}

/** `imgaussfilt(plane, sigma)`: Gaussian smoothing, replicate padding. */
export function gaussianBlurPlane(src: Float64Array, w: number, h: number, sigma: number): Float64Array {
  const k = gaussianKernel1d(sigma);
  return convolveSeparable(src, w, h, k, k);
}

/** A 2-D kernel: `kw` x `kh`, row-major, centre at ((kw-1)/2, (kh-1)/2) (odd sizes). */
export interface Kernel2d {
  readonly kw: number;
  readonly kh: number;
  readonly data: Float64Array;
}

/**
 * `imfilter(plane, kernel, 'replicate')` (correlation). Zero taps are skipped, and runs of 4 or more equal taps in a
 * kernel row (the flat inside of a disk or a line) are summed from per-row prefix sums in O(1).
 */
export function correlate2d(src: Float64Array, w: number, h: number, k: Kernel2d): Float64Array {
  const out = new Float64Array(w * h);
  const rx = (k.kw - 1) >> 1;
  const ry = (k.kh - 1) >> 1;
  const taps: Array<[number, number, number]> = []; // dx, dy, weight
  const runs: Array<[number, number, number, number]> = []; // dx0, dx1 (inclusive), dy, weight
  for (let j = 0; j < k.kh; j++) {
    let i = 0;
    while (i < k.kw) {
      const v = k.data[j * k.kw + i];
      let e = i;
      while (e + 1 < k.kw && k.data[j * k.kw + e + 1] === v) e++;
      if (v !== 0) {
        if (e - i + 1 >= 4) runs.push([i - rx, e - rx, j - ry, v]);
        else for (let q = i; q <= e; q++) taps.push([q - rx, j - ry, v]);
      }
      i = e + 1;
    }
  }
  // Padded copy so the inner loops have no bounds checks.
  const pw = w + 2 * rx;
  const ph = h + 2 * ry;
  const pad = new Float64Array(pw * ph);
  for (let y = 0; y < ph; y++) {
    const sy = clampIdx(y - ry, h) * w;
    for (let x = 0; x < pw; x++) pad[y * pw + x] = src[sy + clampIdx(x - rx, w)];
  }
  for (const [dx, dy, v] of taps) {
    for (let y = 0; y < h; y++) {
      const po = (y + ry + dy) * pw + rx + dx;
      const o = y * w;
      for (let x = 0; x < w; x++) out[o + x] += v * pad[po + x];
    }
  }
  if (runs.length > 0) {
    const pre = new Float64Array((pw + 1) * ph);
    for (let y = 0; y < ph; y++) {
      let s = 0;
      const b = y * (pw + 1);
      for (let x = 0; x < pw; x++) {
        s += pad[y * pw + x];
        pre[b + x + 1] = s;
      }
    }
    for (const [dx0, dx1, dy, v] of runs) {
      for (let y = 0; y < h; y++) {
        const b = (y + ry + dy) * (pw + 1) + rx;
        const o = y * w;
        for (let x = 0; x < w; x++) out[o + x] += v * (pre[b + x + dx1 + 1] - pre[b + x + dx0]);
      }
    }
  }
  return out;
}

/**
 * `fspecial('disk', r)`: a pillbox of radius r; each tap is the area of its pixel square inside the circle,
 * here integrated by 16x16 supersampling (agrees with MATLAB's closed form to about 1e-3 per tap).
 */
export function diskKernel(radius: number): Kernel2d {
  const crad = Math.ceil(radius - 0.5);
  const n = 2 * crad + 1;
  const data = new Float64Array(n * n);
  const ss = 16;
  let sum = 0;
  for (let j = 0; j < n; j++) {
    for (let i = 0; i < n; i++) {
      let inside = 0;
      for (let a = 0; a < ss; a++) {
        for (let b = 0; b < ss; b++) {
          const x = i - crad - 0.5 + (b + 0.5) / ss;
          const y = j - crad - 0.5 + (a + 0.5) / ss;
          if (x * x + y * y <= radius * radius) inside++;
        }
      }
      data[j * n + i] = inside;
      sum += inside;
    }
  }
  for (let i = 0; i < data.length; i++) data[i] /= sum;
  return { kw: n, kh: n, data };
}

/**
 * `fspecial('motion', len, thetaDeg)`: a line segment of length `len` through the centre at angle theta
 * (counter-clockwise from the x axis, image y pointing down), anti-aliased by bilinear splatting of 32 samples
 * per pixel of length, normalised to sum 1.
 */
export function motionKernel(len: number, thetaDeg: number): Kernel2d {
  const half = Math.max(len - 1, 0) / 2;
  const t = (thetaDeg * Math.PI) / 180;
  const c = Math.cos(t);
  const s = -Math.sin(t);
  const r = Math.ceil(half) + 1;
  const n = 2 * r + 1;
  const data = new Float64Array(n * n);
  const steps = Math.max(1, Math.ceil(len * 32));
  for (let k = 0; k <= steps; k++) {
    const d = -half + (2 * half * k) / steps;
    const x = r + d * c;
    const y = r + d * s;
    const x0 = Math.floor(x);
    const y0 = Math.floor(y);
    const fx = x - x0;
    const fy = y - y0;
    data[y0 * n + x0] += (1 - fx) * (1 - fy);
    data[y0 * n + x0 + 1] += fx * (1 - fy);
    data[(y0 + 1) * n + x0] += (1 - fx) * fy;
    data[(y0 + 1) * n + x0 + 1] += fx * fy;
  }
  let sum = 0;
  for (let i = 0; i < data.length; i++) sum += data[i];
  for (let i = 0; i < data.length; i++) data[i] /= sum;
  return { kw: n, kh: n, data };
}

/** Local mean over a (2r+1)^2 window, replicate padding (summed-area table). */
export function boxMean(src: Float64Array, w: number, h: number, r: number): Float64Array {
  const n = 2 * r + 1;
  const tmp = new Float64Array(w * h);
  const out = new Float64Array(w * h);
  // Running sums along rows, then columns (replicate padding).
  for (let y = 0; y < h; y++) {
    const o = y * w;
    let s = 0;
    for (let i = -r; i <= r; i++) s += src[o + clampIdx(i, w)];
    for (let x = 0; x < w; x++) {
      tmp[o + x] = s / n;
      s += src[o + clampIdx(x + r + 1, w)] - src[o + clampIdx(x - r, w)];
    }
  }
  for (let x = 0; x < w; x++) {
    let s = 0;
    for (let i = -r; i <= r; i++) s += tmp[clampIdx(i, h) * w + x];
    for (let y = 0; y < h; y++) {
      out[y * w + x] = s / n;
      s += tmp[clampIdx(y + r + 1, h) * w + x] - tmp[clampIdx(y - r, h) * w + x];
    }
  }
  return out;
}

/**
 * `imresize(plane, [outH outW], 'nearest')` index map along one axis (MATLAB's half-pixel-centre convention:
 * u = x/scale + 0.5*(1 - 1/scale), source = round(u), 1-based, clamped).
 */
export function nearestIndex(outN: number, inN: number): Int32Array {
  const scale = outN / inN;
  const idx = new Int32Array(outN);
  for (let x = 1; x <= outN; x++) {
    const u = x / scale + 0.5 * (1 - 1 / scale);
    idx[x - 1] = clampIdx(Math.floor(u + 0.5) - 1, inN);
  }
  return idx;
}

/** Nearest-neighbour resize of one plane (MATLAB `imresize(..., 'nearest')`). */
export function resizeNearest(src: Float64Array, w: number, h: number, outW: number, outH: number): Float64Array {
  const ix = nearestIndex(outW, w);
  const iy = nearestIndex(outH, h);
  const out = new Float64Array(outW * outH);
  for (let y = 0; y < outH; y++) {
    const so = iy[y] * w;
    for (let x = 0; x < outW; x++) out[y * outW + x] = src[so + ix[x]];
  }
  return out;
}

/** Keys cubic convolution weight (a = -0.5, as MATLAB 'bicubic'). */
function cubicW(t: number): number {
  const a = Math.abs(t);
  if (a <= 1) return (1.5 * a - 2.5) * a * a + 1;
  if (a < 2) return ((-0.5 * a + 2.5) * a - 4) * a + 2;
  return 0;
}

/** Bicubic sample at (x, y) (0-based pixel centres), coordinates outside reflected back inside. */
export function sampleBicubic(src: Float64Array, w: number, h: number, x: number, y: number): number {
  const x0 = Math.floor(x);
  const y0 = Math.floor(y);
  let s = 0;
  for (let j = -1; j <= 2; j++) {
    const wy = cubicW(y - (y0 + j));
    if (wy === 0) continue;
    const yy = reflectIdx(y0 + j, h) * w;
    for (let i = -1; i <= 2; i++) {
      const wx = cubicW(x - (x0 + i));
      if (wx !== 0) s += wy * wx * src[yy + reflectIdx(x0 + i, w)];
    }
  }
  return s;
}

/** Symmetric (half-sample) reflection of an index into [0, n-1]. */
export function reflectIdx(i: number, n: number): number {
  if (n === 1) return 0;
  const p = 2 * n;
  let k = ((i % p) + p) % p;
  if (k >= n) k = p - 1 - k;
  return k;
}
