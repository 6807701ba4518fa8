/**
 * `defineOp`: one record per primitive holding its shape and dtype rules, its ONNX emission, the forward values its
 * gradient saves, its VJP and a float64 reference kernel (tests only). `apply` builds a node from a record.
 */
import { IqaError, expected } from '../../tensor/errors.js';
import type { DType, NdArray } from '../../tensor/ndarray.js';
import { ndarray } from '../../tensor/ndarray.js';
import { Graph, Tensor, creationSite } from '../graph/graph.js';
import type { Node, OpRecord, RefArray } from '../graph/graph.js';
import type { Shape } from '../graph/shape.js';
import { shapeStr } from '../graph/shape.js';

/** ONNX attribute values the emitter understands. */
export type AttrValue = number | string | readonly number[] | { readonly float: number } | { readonly floats: readonly number[] } | { readonly tensor: NdArray };

/** What an op's `onnx` function can do: add nodes and constants to the ONNX graph being written. */
export interface Emitter {
  node(opType: string, inputs: readonly string[], outputs: readonly string[], attrs?: Record<string, AttrValue>): void;
  /** A 1-D int64 constant (axes, shapes, pads), deduplicated. */
  ints(values: readonly number[]): string;
  /** A scalar constant of `dtype`. */
  scalar(value: number, dtype: DType): string;
  /** A fresh intermediate name. */
  tmp(hint?: string): string;
  /** Whether a tensor is read by another node or requested as a graph output (lets ops drop optional outputs). */
  isUsed(t: Tensor): boolean;
}

export interface OpContext<A> {
  readonly inputs: readonly Tensor[];
  readonly outputs: readonly Tensor[];
  readonly attrs: A;
}

export interface OpDef<A> extends OpRecord {
  readonly name: string;
  /** Number of inputs, or [min, max]. */
  readonly arity: number | readonly [number, number];
  readonly nOutputs?: number;
  /** Output shape(s); throws `expected(...)` on bad input. */
  readonly shape: (inputs: readonly Tensor[], attrs: A) => Shape | Shape[];
  readonly dtype: (inputs: readonly Tensor[], attrs: A) => DType | DType[];
  readonly onnx: (e: Emitter, ins: readonly string[], outs: readonly string[], attrs: A, ctx: OpContext<A>) => void;
  /** Which forward inputs/outputs the VJP reads (kept alive for the backward). */
  readonly save: { readonly inputs?: readonly boolean[]; readonly outputs?: readonly boolean[] };
  /** Vector-Jacobian product: gradient of each input given each output's gradient (null: no gradient flows). */
  readonly vjp: ((grads: readonly (Tensor | null)[], ctx: OpContext<A>) => (Tensor | null)[]) | null;
  /** Float64 reference kernel (oracle for tests and the float64 evaluator). */
  readonly ref?: (inputs: readonly RefArray[], attrs: A) => RefArray | RefArray[];
}

export function defineOp<A = Record<string, never>>(def: OpDef<A>): OpDef<A> {
  return def;
}

export const isFloat = (d: DType): boolean => d === 'float32' || d === 'float64';

/** The shared float dtype of `xs`, or a clear error. */
export function sameFloatDtype(op: string, ...xs: readonly Tensor[]): DType {
  const d = xs[0].dtype;
  for (const x of xs) if (x.dtype !== d || !isFloat(x.dtype)) throw expected(op, 'dtypes', 'one float dtype for all inputs', xs.map((t) => t.dtype).join(', '), 'E_DTYPE');
  return d;
}

export function requireRank(op: string, what: string, t: Tensor, rank: number): void {
  if (t.rank !== rank) throw expected(op, what, `rank ${rank}`, `rank ${t.rank} ${shapeStr(t.shape)}`, 'E_SHAPE');
}

/** Builds a node of `op` on `inputs`; validates arity, graph, shapes and dtypes now, with the caller's site. */
export function apply<A>(op: OpDef<A>, inputs: readonly Tensor[], attrs: A): Tensor[] {
  const [lo, hi] = typeof op.arity === 'number' ? [op.arity, op.arity] : op.arity;
  if (inputs.length < lo || inputs.length > hi) throw expected(op.name, 'number of inputs', lo === hi ? String(lo) : `${lo}..${hi}`, String(inputs.length), 'E_GRAPH');
  const g = inputs[0].graph;
  if (inputs.some((t) => t.graph !== g)) throw new IqaError(`${op.name}: inputs: expected tensors of one graph, got tensors of different graphs`, 'E_GRAPH');
  const site = creationSite();
  let shapes: Shape | Shape[];
  let dtypes: DType | DType[];
  try {
    shapes = op.shape(inputs, attrs);
    dtypes = op.dtype(inputs, attrs);
  } catch (e) {
    if (e instanceof IqaError) throw new IqaError(`${e.message} (at ${site})`, e.code, { cause: e });
    throw e;
  }
  const n = op.nOutputs ?? 1;
  const ss = (n === 1 ? [shapes] : shapes) as Shape[];
  const ds = (Array.isArray(dtypes) ? dtypes : new Array<DType>(n).fill(dtypes as DType)) as DType[];
  return g.addNode(op, inputs, attrs as Record<string, unknown>, ss.map((s, i) => ({ shape: s, dtype: ds[i] })), site);
}

/** Single-output `apply`. */
export function apply1<A>(op: OpDef<A>, inputs: readonly Tensor[], attrs: A): Tensor {
  return apply(op, inputs, attrs)[0];
}

/** A number becomes a scalar constant of `like`'s graph and dtype. */
export function lift(x: Tensor | number, like: Tensor): Tensor {
  if (x instanceof Tensor) return x;
  return like.graph.constant(ndarray(like.dtype, [], [x]));
}

/** Makes a float constant in `g`. */
export function constant(g: Graph, shape: Shape, data: ArrayLike<number>, dtype: DType = 'float32'): Tensor {
  return g.constant(ndarray(dtype, shape, data));
}

export type { Node, RefArray };
