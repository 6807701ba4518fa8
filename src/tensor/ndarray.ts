import { expected } from './errors.js';

/** Element types the engine knows. `bool` is stored as bytes 0/1, `int64` as BigInt64Array. */
export type DType = 'float32' | 'float64' | 'int64' | 'bool';

/** The typed array that holds each dtype. */
export interface DTypeArrays {
  float32: Float32Array;
  float64: Float64Array;
  int64: BigInt64Array;
  bool: Uint8Array;
}

/** A dense row-major n-dimensional array over a typed array. */
export interface NdArray<D extends DType = DType> {
  readonly data: DTypeArrays[D];
  readonly shape: readonly number[];
  readonly dtype: D;
}

/** Number of elements of a shape (1 for a scalar). */
export function numel(shape: readonly number[]): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

/** Allocates a zero-filled array of `dtype`. */
export function zerosArray<D extends DType>(dtype: D, n: number): DTypeArrays[D] {
  const arr = dtype === 'float32' ? new Float32Array(n) : dtype === 'float64' ? new Float64Array(n) : dtype === 'int64' ? new BigInt64Array(n) : new Uint8Array(n);
  return arr as DTypeArrays[D];
}

/** Builds an `NdArray`, checking that the data length matches the shape. */
export function ndarray<D extends DType>(dtype: D, shape: readonly number[], data?: DTypeArrays[D] | ArrayLike<number>): NdArray<D> {
  const n = numel(shape);
  let d: DTypeArrays[D];
  if (data === undefined) d = zerosArray(dtype, n);
  else if (ArrayBuffer.isView(data) && dtypeOfArray(data as DTypeArrays[DType]) === dtype) d = data as DTypeArrays[D];
  else {
    d = zerosArray(dtype, n);
    const src = data as ArrayLike<number>;
    if (dtype === 'int64') for (let i = 0; i < src.length; i++) (d as BigInt64Array)[i] = BigInt(Math.round(Number(src[i])));
    else for (let i = 0; i < src.length; i++) (d as Float64Array)[i] = Number(src[i]);
  }
  if (d.length !== n) throw expected('ndarray', 'data length', `${n} for shape [${shape.join(', ')}]`, String(d.length));
  return { data: d, shape: [...shape], dtype };
}

function dtypeOfArray(a: DTypeArrays[DType]): DType | null {
  if (a instanceof Float32Array) return 'float32';
  if (a instanceof Float64Array) return 'float64';
  if (a instanceof BigInt64Array) return 'int64';
  if (a instanceof Uint8Array) return 'bool';
  return null;
}

/** Copies the values of any NdArray into a Float64Array (int64 and bool become numbers). */
export function toFloat64(a: NdArray): Float64Array {
  const out = new Float64Array(a.data.length);
  for (let i = 0; i < out.length; i++) out[i] = Number(a.data[i]);
  return out;
}
