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
import { fft2d, fftshift } from './fft.js';

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
  // rcosFn(1, -1/2, [0 1]) with Y -> sqrt(Y)
  const sz = 256;
  const Yrcos = new Float64Array(sz + 3), YIrcos = new Float64Array(sz + 3);
  const X0 = (Math.PI * (-sz - 1)) / (2 * sz), X1 = (Math.PI * -sz) / (2 * sz);
  for (let k = 0; k < sz + 3; k++) {
    const x = (Math.PI * (k - sz - 1)) / (2 * sz);
    Yrcos[k] = Math.cos(x) ** 2;
  }
  Yrcos[0] = Yrcos[1];
  Yrcos[sz + 2] = Yrcos[sz + 1];
  for (let k = 0; k < Yrcos.length; k++) {
    Yrcos[k] = Math.sqrt(Yrcos[k]);
    YIrcos[k] = Math.sqrt(1 - Yrcos[k] * Yrcos[k]);
  }
  const pos = (x: number) => -0.5 + (2 / Math.PI) * (x + Math.PI / 4);
  let xr0 = pos(X0);
  const xrInc = pos(X1) - pos(X0);
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
  // angular look-up table (one lobe: analytic bands)
  const lutsize = 1024, order = nbands - 1;
  const nC = 3 * lutsize + 3;
  const Ycosn = new Float64Array(nC);
  const cst = (2 ** (2 * order) * factorial(order) ** 2) / (nbands * factorial(2 * order));
  for (let k = 0; k < nC; k++) {
    const x = (Math.PI * (k - (2 * lutsize + 1))) / lutsize;
    const alfa = matlabMod(Math.PI + x, 2 * Math.PI) - Math.PI;
    Ycosn[k] = Math.abs(alfa) < Math.PI / 2 ? 2 * Math.sqrt(cst) * Math.cos(x) ** order : 0;
  }
  const xc0 = (Math.PI * -(2 * lutsize + 1)) / lutsize, xcInc = (Math.PI * -(2 * lutsize)) / lutsize - xc0;
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
