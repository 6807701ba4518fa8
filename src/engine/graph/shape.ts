import { expected } from '../../tensor/errors.js';

export type Shape = readonly number[];

export const shapeStr = (s: Shape): string => `[${s.join(', ')}]`;

export function sameShape(a: Shape, b: Shape): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}

/** NumPy broadcasting of two shapes; throws `Op: shapes: expected broadcastable, got [2, 3] and [4]`. */
export function broadcastShapes(op: string, a: Shape, b: Shape): number[] {
  const n = Math.max(a.length, b.length);
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const da = a[a.length - n + i] ?? 1;
    const db = b[b.length - n + i] ?? 1;
    if (da !== db && da !== 1 && db !== 1) throw expected(op, 'shapes', 'broadcastable', `${shapeStr(a)} and ${shapeStr(b)}`, 'E_SHAPE');
    out.push(da === 1 ? db : da);
  }
  return out;
}

/** Normalises a possibly negative axis against `rank`. */
export function normAxis(op: string, axis: number, rank: number): number {
  const a = axis < 0 ? axis + rank : axis;
  if (!Number.isInteger(a) || a < 0 || a >= rank) throw expected(op, 'axis', `an integer in [-${rank}, ${rank - 1}]`, String(axis), 'E_SHAPE');
  return a;
}

/** Row-major strides. */
export function strides(shape: Shape): number[] {
  const s = new Array<number>(shape.length);
  let acc = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    s[i] = acc;
    acc *= shape[i];
  }
  return s;
}

/** Output size of a sliding window (conv / pool), PyTorch floor rule. */
export function windowOut(size: number, k: number, stride: number, padBegin: number, padEnd: number, dilation: number): number {
  return Math.floor((size + padBegin + padEnd - dilation * (k - 1) - 1) / stride) + 1;
}
