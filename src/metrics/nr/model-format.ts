/**
 * The toolkit's parameter-file format for the NIQE family (pure: no file access, so it also runs in a browser).
 * Arrays are either plain JSON number lists or `{dtype: 'float32' | 'float64', shape, b64}` (little-endian base64):
 * float64 where the numbers are few (NIQE: 36 + 36² values), float32 for the large IL-NIQE PCA basis.
 * Also reads the shared plain JSON conversion of the LIVE NIQE model (`{mu: {shape, data}, cov: {shape, data}}`).
 */
import { IqaError } from '../../tensor/errors.js';
import type { MvgModel } from './niqe.js';
import type { IlNiqeModel } from './il-niqe.js';

export interface EncodedArray {
  dtype: 'float32' | 'float64';
  shape: number[];
  b64: string;
}

function fail(where: string, what: string): never {
  throw new IqaError(`${where}: ${what}`, 'E_FORMAT');
}

function b64ToBytes(s: string): Uint8Array {
  const bin = globalThis.atob(s);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

function bytesToB64(b: Uint8Array): string {
  let s = '';
  for (let i = 0; i < b.length; i += 0x8000) s += String.fromCharCode(...b.subarray(i, i + 0x8000));
  return globalThis.btoa(s);
}

/** Encodes a float array (little-endian) for the model JSON. */
export function encodeArray(a: ArrayLike<number>, shape: number[], dtype: 'float32' | 'float64'): EncodedArray {
  const buf = dtype === 'float32' ? Float32Array.from(a) : Float64Array.from(a);
  return { dtype, shape, b64: bytesToB64(new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength)) };
}

/** Decodes a plain list, `{data}` or an `EncodedArray` into a Float64Array of the expected length. */
export function decodeArray(x: unknown, length: number, where: string, what: string): Float64Array {
  let out: Float64Array | undefined;
  if (Array.isArray(x)) out = Float64Array.from(x as number[]);
  else if (x && typeof x === 'object') {
    const o = x as Partial<EncodedArray> & { data?: number[] };
    if (Array.isArray(o.data)) out = Float64Array.from(o.data);
    else if (typeof o.b64 === 'string') {
      const bytes = b64ToBytes(o.b64);
      const copy = bytes.slice().buffer;
      out = o.dtype === 'float32' ? Float64Array.from(new Float32Array(copy)) : new Float64Array(copy);
    }
  }
  if (!out) return fail(where, `${what}: expected a number list or an encoded array`);
  if (out.length !== length) fail(where, `${what}: expected ${length} values, got ${out.length}`);
  return out;
}

/** Reads a NIQE-style MVG model (toolkit JSON, or the plain conversion of the LIVE model). */
export function parseMvgModel(j: unknown, where: string): MvgModel {
  if (!j || typeof j !== 'object') return fail(where, 'expected a JSON object');
  const o = j as Record<string, unknown>;
  const muRaw = o.mu ?? o.mu_prisparam ?? o.pop_mu;
  const covRaw = o.cov ?? o.cov_prisparam ?? o.pop_cov;
  const n = Array.isArray(muRaw) ? muRaw.length : ((muRaw as { shape?: number[] })?.shape ?? []).reduce((a, b) => a * b, 1);
  if (!muRaw || !covRaw || !(n > 0)) fail(where, 'expected mu and cov');
  const mu = decodeArray(muRaw, n, where, 'mu');
  const cov = decodeArray(covRaw, n * n, where, 'cov');
  return { mu, cov, patchSize: typeof o.patchSize === 'number' ? o.patchSize : 96, source: typeof o.source === 'string' ? o.source : (o.description as string | undefined) ?? where };
}

/** Writes an MVG model as the toolkit's JSON (float64, exact). */
export function serializeMvgModel(m: MvgModel, meta: { metric: string; source: string; [k: string]: unknown }): string {
  const d = m.mu.length;
  return JSON.stringify({
    format: 'iqa-mvg',
    version: 1,
    ...meta,
    patchSize: m.patchSize ?? 96,
    d,
    mu: Array.from(m.mu),
    cov: Array.from(m.cov),
  });
}

/** Reads an IL-NIQE template model (toolkit JSON). */
export function parseIlNiqeModel(j: unknown, where: string): IlNiqeModel {
  if (!j || typeof j !== 'object') return fail(where, 'expected a JSON object');
  const o = j as Record<string, unknown>;
  if (o.format !== 'iqa-ilniqe') fail(where, `format: expected 'iqa-ilniqe', got ${String(o.format)}`);
  const featDim = Number(o.featDim), k = Number(o.k);
  if (!(featDim > 0 && k > 0)) fail(where, 'featDim/k: expected positive integers');
  return {
    featDim,
    k,
    meanOfSampleData: decodeArray(o.meanOfSampleData, featDim, where, 'meanOfSampleData'),
    principleVectors: decodeArray(o.principleVectors, featDim * k, where, 'principleVectors'),
    mu: decodeArray(o.mu, k, where, 'mu'),
    cov: decodeSymmetric(o.cov, k, where),
    infConst: typeof o.infConst === 'number' ? o.infConst : 10000,
    source: typeof o.source === 'string' ? o.source : where,
  };
}

/** Writes an IL-NIQE model as the toolkit's JSON (PCA basis float32, the rest float64; cov as its upper triangle). */
export function serializeIlNiqeModel(m: IlNiqeModel, meta: { source: string; [k: string]: unknown }): string {
  return JSON.stringify({
    format: 'iqa-ilniqe',
    version: 1,
    ...meta,
    featDim: m.featDim,
    k: m.k,
    infConst: m.infConst,
    meanOfSampleData: encodeArray(m.meanOfSampleData, [m.featDim], 'float64'),
    principleVectors: encodeArray(m.principleVectors, [m.featDim, m.k], 'float32'),
    mu: encodeArray(m.mu, [m.k], 'float64'),
    cov: { upperTriangle: true, ...encodeArray(upperTriangle(m.cov, m.k), [(m.k * (m.k + 1)) / 2], 'float64') },
  });
}

/** Row-major upper triangle (including the diagonal) of a symmetric k x k matrix. */
function upperTriangle(a: Float64Array, k: number): Float64Array {
  const out = new Float64Array((k * (k + 1)) / 2);
  let t = 0;
  for (let i = 0; i < k; i++) for (let j = i; j < k; j++) out[t++] = a[i * k + j];
  return out;
}

/** A symmetric k x k matrix stored in full or as its upper triangle (`upperTriangle: true`). */
function decodeSymmetric(x: unknown, k: number, where: string): Float64Array {
  if (!(x && typeof x === 'object' && (x as { upperTriangle?: boolean }).upperTriangle)) return decodeArray(x, k * k, where, 'cov');
  const tri = decodeArray(x, (k * (k + 1)) / 2, where, 'cov');
  const out = new Float64Array(k * k);
  let t = 0;
  for (let i = 0; i < k; i++) for (let j = i; j < k; j++) { out[i * k + j] = tri[t]; out[j * k + i] = tri[t++]; }
  return out;
}
