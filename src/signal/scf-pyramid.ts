/**
 * Complex steerable pyramid in the Fourier domain, as Simoncelli's matlabPyrTools `buildSCFpyr` /
 * `buildSCFpyrLevs` (raised-cosine radial masks from `rcosFn(1, -1/2)`, angular masks
 * 2·√const·cos(θ)^order on one lobe only (analytic bands), band factor (−i)^order, `pointOp` linear look-up with
 * linear extrapolation from the end segments, low-pass cropping by `ceil((dims-0.5)/2)` per level).
 * `scfBands(plane, level, nbands)` returns the complex bands of one level only (1-based `level`, as `pyrBand` with
 * index 1 + (level-1)·nbands + b): the cascade of low-pass masks is applied to all coarser levels, but only the
 * requested level's bands are transformed back. The high-pass residual and other levels are not computed.
 * Layout: planes are row-major (row = MATLAB's first index).
 */
import { expected } from '../tensor/errors.js';
import type { Plane } from '../tensor/image.js';
import { fft1d, fft2d, fftshift } from './fft.js';

/** A complex band: row-major real and imaginary parts. */
export interface ComplexBand {
  readonly width: number;
  readonly height: number;
  readonly re: Float64Array;
  readonly im: Float64Array;
}

/** matlabPyrTools `pointOp` (MEX): linear interpolation in `lut` sampled at origin + k·increment, end segments extrapolated. */
function pointOp(v: number, lut: Float64Array, origin: number, increment: number): number {
  const pos = (v - origin) / increment;
  let index = Math.trunc(pos);
  const maxIndex = lut.length - 2;
  if (index < 0) index = 0;
  else if (index > maxIndex) index = maxIndex;
  return lut[index] + (lut[index + 1] - lut[index]) * (pos - index);
}

const factorial = (n: number): number => (n <= 1 ? 1 : n * factorial(n - 1));
const matlabMod = (x: number, y: number) => x - Math.floor(x / y) * y;

export function maxScfLevels(width: number, height: number): number {
  return Math.floor(Math.log2(Math.min(width, height))) - 2;
}

/** The look-up tables and geometry shared by the band computations. */
function tables(nbands: number) {
  // rcosFn(1, -1/2, [0 1]) with Y -> sqrt(Y)
  const sz = 256;
  const Yrcos = new Float64Array(sz + 3), YIrcos = new Float64Array(sz + 3);
  for (let k = 0; k < sz + 3; k++) Yrcos[k] = Math.cos((Math.PI * (k - sz - 1)) / (2 * sz)) ** 2;
  Yrcos[0] = Yrcos[1];
  Yrcos[sz + 2] = Yrcos[sz + 1];
  for (let k = 0; k < Yrcos.length; k++) {
    Yrcos[k] = Math.sqrt(Yrcos[k]);
    YIrcos[k] = Math.sqrt(1 - Yrcos[k] * Yrcos[k]);
  }
  const pos = (x: number) => -0.5 + (2 / Math.PI) * (x + Math.PI / 4);
  const X0 = (Math.PI * (-sz - 1)) / (2 * sz), X1 = (Math.PI * -sz) / (2 * sz);
  // angular look-up table (one lobe: analytic bands)
  const lutsize = 1024, order = nbands - 1;
  const Ycosn = new Float64Array(3 * lutsize + 3);
  const cst = (2 ** (2 * order) * factorial(order) ** 2) / (nbands * factorial(2 * order));
  for (let k = 0; k < Ycosn.length; k++) {
    const x = (Math.PI * (k - (2 * lutsize + 1))) / lutsize;
    const alfa = matlabMod(Math.PI + x, 2 * Math.PI) - Math.PI;
    Ycosn[k] = Math.abs(alfa) < Math.PI / 2 ? 2 * Math.sqrt(cst) * Math.cos(x) ** order : 0;
  }
  const xc0 = (Math.PI * -(2 * lutsize + 1)) / lutsize;
  return { Yrcos, YIrcos, xr0: pos(X0), xrInc: pos(X1) - pos(X0), Ycosn, xc0, xcInc: (Math.PI * -(2 * lutsize)) / lutsize - xc0, order };
}

/**
 * The bands of `level` for two images at once (`[bands of a, bands of b]`). Equivalent to `buildSCFpyr` on each:
 * the low-pass cascade only keeps the central (H/2^(level-1)) x (W/2^(level-1)) frequencies, so only those DFT
 * coefficients are computed, and both real images share one complex FFT (z = a + i·b, then A = (Z(k) + conj Z(−k))/2,
 * B = (Z(k) − conj Z(−k))/2i): rows are transformed in full, columns only where needed. The masks are applied in
 * the same order as the MATLAB cascade (lo0mask, the low-pass masks of levels 1..level-1, then angle and high-pass
 * masks) on the original log-radius / angle grid, so the result equals the full computation up to FFT rounding.
 */
export function scfBandsPair(a: Plane, b: Plane, level: number, nbands: number): [ComplexBand[], ComplexBand[]] {
  const H = a.height, W = a.width;
  if (b.width !== W || b.height !== H) throw expected('buildSCFpyr', 'plane sizes', `${W}x${H} for both`, `${b.width}x${b.height}`, 'E_SIZE');
  const maxHt = maxScfLevels(W, H);
  if (level > maxHt || level < 1) {
    throw expected('buildSCFpyr', 'pyramid height', `1..${maxHt} for a ${W}x${H} image`, String(level), 'E_SIZE');
  }
  const T = tables(nbands);
  // region of the centred spectrum that survives the low-pass crops of levels 1..level-1
  let h = H, w = W, R = 0, C = 0;
  for (let l = 1; l < level; l++) {
    const loH = Math.ceil((h - 0.5) / 2), loW = Math.ceil((w - 0.5) / 2);
    R += Math.ceil((h + 0.5) / 2) - Math.ceil((loH + 0.5) / 2);
    C += Math.ceil((w + 0.5) / 2) - Math.ceil((loW + 0.5) / 2);
    h = loH;
    w = loW;
  }
  // centred (fftshift) index s <-> DFT frequency index u = (s - floor(N/2)) mod N
  const sy = Math.floor(H / 2), sx = Math.floor(W / 2);
  const uOf = (s: number, n: number, sh: number) => (((s - sh) % n) + n) % n;
  const colSet = new Map<number, number>(); // DFT column -> slot
  for (let c = 0; c < w; c++) {
    const u = uOf(C + c, W, sx);
    for (const v of [u, (W - u) % W]) if (!colSet.has(v)) colSet.set(v, colSet.size);
  }
  const nc = colSet.size, cols = [...colSet.keys()];
  // row DFTs of z = a + i·b, keeping the needed columns (column-major per slot)
  const zr = new Float64Array(nc * H), zi = new Float64Array(nc * H);
  const rr = new Float64Array(W), ri = new Float64Array(W);
  for (let y = 0; y < H; y++) {
    rr.set(a.data.subarray(y * W, y * W + W));
    ri.set(b.data.subarray(y * W, y * W + W));
    fft1d(rr, ri);
    for (let k = 0; k < nc; k++) {
      zr[k * H + y] = rr[cols[k]];
      zi[k * H + y] = ri[cols[k]];
    }
  }
  for (let k = 0; k < nc; k++) fft1d(zr.subarray(k * H, k * H + H), zi.subarray(k * H, k * H + H));
  // split into the two spectra on the region and apply the mask cascade
  const ctrR = Math.ceil((H + 0.5) / 2), ctrC = Math.ceil((W + 0.5) / 2); // 1-based, full grid
  const n = h * w;
  const Ar = new Float64Array(n), Ai = new Float64Array(n), Br = new Float64Array(n), Bi = new Float64Array(n);
  const logRad = new Float64Array(n), angle = new Float64Array(n);
  const radAt = (r1: number, c1: number) => {
    const x = (c1 - ctrC) / (W / 2), y = (r1 - ctrR) / (H / 2);
    return Math.sqrt(x * x + y * y);
  };
  for (let i = 0; i < h; i++) {
    const r1 = R + i + 1, uy = uOf(R + i, H, sy), my = (H - uy) % H;
    for (let j = 0; j < w; j++) {
      const c1 = C + j + 1, ux = uOf(C + j, W, sx), mx = (W - ux) % W;
      const p = colSet.get(ux)! * H + uy, q = colSet.get(mx)! * H + my;
      const d = i * w + j;
      // A = (Zp + conj Zq)/2, B = (Zp − conj Zq)/(2i)
      Ar[d] = (zr[p] + zr[q]) / 2;
      Ai[d] = (zi[p] - zi[q]) / 2;
      Br[d] = (zi[p] + zi[q]) / 2;
      Bi[d] = -(zr[p] - zr[q]) / 2;
      const x = (c1 - ctrC) / (W / 2), y = (r1 - ctrR) / (H / 2);
      angle[d] = Math.atan2(y, x);
      logRad[d] = Math.log2(r1 === ctrR && c1 === ctrC ? radAt(ctrR, ctrC - 1) : Math.sqrt(x * x + y * y));
    }
  }
  let xr0 = T.xr0;
  for (let d = 0; d < n; d++) {
    const m = pointOp(logRad[d], T.YIrcos, xr0, T.xrInc); // lo0mask
    Ar[d] *= m; Ai[d] *= m; Br[d] *= m; Bi[d] *= m;
  }
  for (let l = 1; l < level; l++) {
    xr0 -= 1; // Xrcos - log2(2) at each level
    for (let d = 0; d < n; d++) {
      const m = pointOp(logRad[d], T.YIrcos, xr0, T.xrInc); // lomask of level l
      Ar[d] *= m; Ai[d] *= m; Br[d] *= m; Bi[d] *= m;
    }
  }
  xr0 -= 1;
  // (−i)^order as a complex number
  const fr = Math.round(Math.cos((-Math.PI / 2) * T.order)), fi = Math.round(Math.sin((-Math.PI / 2) * T.order));
  const him = new Float64Array(n);
  for (let d = 0; d < n; d++) him[d] = pointOp(logRad[d], T.Yrcos, xr0, T.xrInc);
  const out: [ComplexBand[], ComplexBand[]] = [[], []];
  for (let o = 0; o < nbands; o++) {
    const orig = T.xc0 + (Math.PI * o) / nbands;
    for (const [k, [sr, si]] of [[Ar, Ai], [Br, Bi]].entries()) {
      const br = new Float64Array(n), bi = new Float64Array(n);
      for (let d = 0; d < n; d++) {
        const m = pointOp(angle[d], T.Ycosn, orig, T.xcInc) * him[d];
        br[d] = (fr * sr[d] - fi * si[d]) * m;
        bi[d] = (fr * si[d] + fi * sr[d]) * m;
      }
      const ur = fftshift(br, w, h, true), ui = fftshift(bi, w, h, true);
      fft2d(ur, ui, w, h, true);
      out[k].push({ width: w, height: h, re: ur, im: ui });
    }
  }
  return out;
}

export function scfBands(p: Plane, level: number, nbands: number): ComplexBand[] {
  let H = p.height, W = p.width;
  const maxHt = maxScfLevels(W, H);
  if (level > maxHt || level < 1) {
    throw expected('buildSCFpyr', 'pyramid height', `1..${maxHt} for a ${W}x${H} image`, String(level), 'E_SIZE');
  }
  // radial and angular coordinates of the centred spectrum
  let ctrR = Math.ceil((H + 0.5) / 2), ctrC = Math.ceil((W + 0.5) / 2); // 1-based
  let logRad: Float64Array = new Float64Array(W * H), angle: Float64Array = new Float64Array(W * H);
  for (let r = 1; r <= H; r++) for (let c = 1; c <= W; c++) {
    const x = (c - ctrC) / (W / 2), y = (r - ctrR) / (H / 2);
    angle[(r - 1) * W + c - 1] = Math.atan2(y, x);
    logRad[(r - 1) * W + c - 1] = Math.sqrt(x * x + y * y);
  }
  logRad[(ctrR - 1) * W + ctrC - 1] = logRad[(ctrR - 1) * W + ctrC - 2];
  for (let i = 0; i < logRad.length; i++) logRad[i] = Math.log2(logRad[i]);
  // rcosFn and the angular look-up table, as in the pair computation
  const { Yrcos, YIrcos, xrInc, Ycosn, xc0, xcInc, order, xr0: xrStart } = tables(nbands);
  let xr0 = xrStart; // shifted by one octave per level below
  // lo0 = fftshift(fft2(im)) .* lo0mask
  let re: Float64Array = Float64Array.from(p.data), im: Float64Array = new Float64Array(W * H);
  fft2d(re, im, W, H);
  re = fftshift(re, W, H);
  im = fftshift(im, W, H);
  for (let i = 0; i < re.length; i++) {
    const m = pointOp(logRad[i], YIrcos, xr0, xrInc);
    re[i] *= m;
    im[i] *= m;
  }
  // (−i)^order as a complex number
  const fr = Math.round(Math.cos((-Math.PI / 2) * order)), fi = Math.round(Math.sin((-Math.PI / 2) * order));
  for (let lev = 1; ; lev++) {
    xr0 -= 1; // Xrcos - log2(2): shift the look-up table by one octave
    if (lev === level) {
      const bands: ComplexBand[] = [];
      for (let b = 0; b < nbands; b++) {
        const br = new Float64Array(W * H), bi = new Float64Array(W * H);
        const orig = xc0 + (Math.PI * b) / nbands;
        for (let i = 0; i < br.length; i++) {
          const m = pointOp(angle[i], Ycosn, orig, xcInc) * pointOp(logRad[i], Yrcos, xr0, xrInc);
          // (fr + i·fi)·(re + i·im)·m
          br[i] = (fr * re[i] - fi * im[i]) * m;
          bi[i] = (fr * im[i] + fi * re[i]) * m;
        }
        const sr = fftshift(br, W, H, true), si = fftshift(bi, W, H, true);
        fft2d(sr, si, W, H, true);
        bands.push({ width: W, height: H, re: sr, im: si });
      }
      return bands;
    }
    // crop to the low-pass support and apply the low-pass mask
    const loH = Math.ceil((H - 0.5) / 2), loW = Math.ceil((W - 0.5) / 2);
    const loctrR = Math.ceil((loH + 0.5) / 2), loctrC = Math.ceil((loW + 0.5) / 2);
    const r0 = ctrR - loctrR, c0 = ctrC - loctrC; // 0-based start
    const nre = new Float64Array(loW * loH), nim = new Float64Array(loW * loH);
    const nlr = new Float64Array(loW * loH), nang = new Float64Array(loW * loH);
    for (let r = 0; r < loH; r++) for (let c = 0; c < loW; c++) {
      const s = (r0 + r) * W + c0 + c, d = r * loW + c;
      nlr[d] = logRad[s];
      nang[d] = angle[s];
      const m = Math.abs(pointOp(logRad[s], YIrcos, xr0, xrInc));
      nre[d] = re[s] * m;
      nim[d] = im[s] * m;
    }
    re = nre; im = nim; logRad = nlr; angle = nang;
    H = loH; W = loW;
    ctrR = Math.ceil((H + 0.5) / 2);
    ctrC = Math.ceil((W + 0.5) / 2);
  }
}
