/**
 * Orthonormal DCT-II: MATLAB `dctmtx(n)` and the 2-D block transform `D·B·Dᵀ` on non-overlapping n×n blocks
 * (as DSS's `dct_decomp`, and JPEG-style block DCTs). Small fixed sizes: a matrix product is exact and fast enough.
 */
import { makePlane, type Plane } from '../tensor/image.js';
import { expected } from '../tensor/errors.js';

/** MATLAB `dctmtx(n)`, row-major: D[k][j] = c_k·cos(π(2j+1)k/(2n)), c_0 = √(1/n), c_k = √(2/n). */
export function dctmtx(n: number): Float64Array {
  const d = new Float64Array(n * n);
  for (let k = 0; k < n; k++) {
    const c = k === 0 ? Math.sqrt(1 / n) : Math.sqrt(2 / n);
    for (let j = 0; j < n; j++) d[k * n + j] = c * Math.cos((Math.PI * (2 * j + 1) * k) / (2 * n));
  }
  return d;
}

/**
 * 2-D orthonormal DCT of every n×n block, in place of the block (coefficient (u, v) of the block at (by, bx) lands
 * at row by·n + u, column bx·n + v). Width and height must be multiples of n.
 */
export function blockDct2(p: Plane, n = 8): Plane {
  if (p.width % n !== 0 || p.height % n !== 0) {
    throw expected('blockDct2', 'plane size', `multiples of ${n}`, `${p.width}x${p.height}`, 'E_SIZE');
  }
  const D = dctmtx(n), W = p.width, src = p.data;
  const out = new Float64Array(src.length);
  const tmp = new Float64Array(n * n);
  for (let by = 0; by < p.height; by += n) {
    for (let bx = 0; bx < W; bx += n) {
      // tmp = D · B
      for (let u = 0; u < n; u++) for (let j = 0; j < n; j++) {
        let s = 0;
        for (let i = 0; i < n; i++) s += D[u * n + i] * src[(by + i) * W + bx + j];
        tmp[u * n + j] = s;
      }
      // out = tmp · Dᵀ
      for (let u = 0; u < n; u++) for (let v = 0; v < n; v++) {
        let s = 0;
        for (let j = 0; j < n; j++) s += tmp[u * n + j] * D[v * n + j];
        out[(by + u) * W + bx + v] = s;
      }
    }
  }
  return makePlane(W, p.height, out);
}

/** Inverse of `blockDct2`: Dᵀ·C·D on every n×n block. */
export function blockIdct2(p: Plane, n = 8): Plane {
  if (p.width % n !== 0 || p.height % n !== 0) {
    throw expected('blockIdct2', 'plane size', `multiples of ${n}`, `${p.width}x${p.height}`, 'E_SIZE');
  }
  const D = dctmtx(n), W = p.width, src = p.data;
  const out = new Float64Array(src.length);
  const tmp = new Float64Array(n * n);
  for (let by = 0; by < p.height; by += n) {
    for (let bx = 0; bx < W; bx += n) {
      // tmp = Dᵀ · C
      for (let i = 0; i < n; i++) for (let v = 0; v < n; v++) {
        let s = 0;
        for (let u = 0; u < n; u++) s += D[u * n + i] * src[(by + u) * W + bx + v];
        tmp[i * n + v] = s;
      }
      // out = tmp · D
      for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) {
        let s = 0;
        for (let v = 0; v < n; v++) s += tmp[i * n + v] * D[v * n + j];
        out[(by + i) * W + bx + j] = s;
      }
    }
  }
  return makePlane(W, p.height, out);
}
