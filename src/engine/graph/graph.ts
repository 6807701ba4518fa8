/**
 * Symbolic tensors and the graph that owns them. Shapes and dtypes are static and checked when a node is built,
 * so an error points at the TypeScript line that built the node (its creation site is kept for messages).
 */
import { IqaError } from '../../tensor/errors.js';
import type { DType, NdArray } from '../../tensor/ndarray.js';
import { numel } from '../../tensor/ndarray.js';
import type { Shape } from './shape.js';
import { shapeStr } from './shape.js';

/** Float64 values used by reference kernels (all dtypes as numbers; bool 0/1). */
export interface RefArray {
  readonly data: Float64Array;
  readonly shape: Shape;
}

/** A primitive's record, as seen by the graph (the full typed record is `defineOp` in engine/ops). */
export interface OpRecord {
  readonly name: string;
  readonly nOutputs?: number;
}

/** A trainable (or frozen) parameter value with its PyTorch state-dict name. */
export class Parameter {
  constructor(
    public name: string,
    public value: NdArray<'float32'>,
    public requiresGrad = true,
    /** A buffer (e.g. BatchNorm running stats): never trained, but may be updated by the forward in train mode. */
    readonly isBuffer = false,
  ) {}
  get shape(): Shape {
    return this.value.shape;
  }
}

export type Leaf =
  | { readonly kind: 'input'; readonly name: string }
  | { readonly kind: 'param'; readonly param: Parameter; readonly asInput: boolean }
  | { readonly kind: 'const'; readonly value: NdArray };

export interface Node {
  readonly op: OpRecord;
  readonly inputs: readonly Tensor[];
  readonly attrs: Readonly<Record<string, unknown>>;
  outputs: Tensor[];
  readonly site: string;
}

let nextId = 0;

/** A symbolic tensor: either a leaf (input, parameter, constant) or output `index` of a node. */
export class Tensor {
  readonly id = nextId++;
  constructor(
    readonly graph: Graph,
    readonly shape: Shape,
    readonly dtype: DType,
    readonly node: Node | null,
    readonly index: number,
    readonly leaf: Leaf | null,
  ) {}
  get rank(): number {
    return this.shape.length;
  }
  get size(): number {
    return numel(this.shape);
  }
  toString(): string {
    const what = this.leaf ? (this.leaf.kind === 'input' ? `input '${this.leaf.name}'` : this.leaf.kind === 'param' ? `param '${this.leaf.param.name}'` : 'const') : this.node!.op.name;
    return `Tensor(${what}, ${this.dtype}${shapeStr(this.shape)})`;
  }
}

/** The creation site of a node: the first stack frame outside the engine's graph/ops/autodiff folders. */
export function creationSite(): string {
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 12;
  const stack = new Error().stack ?? '';
  Error.stackTraceLimit = limit;
  const lines = stack.split('\n').slice(1);
  const frame = lines.find((l) => !/[/\\]engine[/\\](graph|ops|autodiff)[/\\]/.test(l) && !l.includes('node:internal'));
  return (frame ?? lines[0] ?? '').trim().replace(/^at /, '');
}

/** Error for a node, naming its op and where it was built. */
export function nodeError(node: Node | null, message: string): IqaError {
  return new IqaError(node ? `${message} (node ${node.op.name} built at ${node.site})` : message, 'E_GRAPH');
}

/**
 * A graph under construction. Leaves are created here; nodes are added by the ops' builder functions.
 * Parameters are deduplicated: using the same `Parameter` twice gives the same tensor.
 */
export class Graph {
  readonly nodes: Node[] = [];
  readonly inputs: Tensor[] = [];
  private readonly params = new Map<Parameter, Tensor>();
  /** New values for buffers computed by the forward (train-mode BatchNorm running stats). */
  readonly updates = new Map<Parameter, Tensor>();
  /** Inputs filled from a seeded generator at each run (dropout masks), by input name. */
  readonly random = new Map<string, (rng: { uniform(): number }) => NdArray>();
  /**
   * The execution provider the graph is built for. Backward rules with a provider-specific form read it: on 'webgpu'
   * MaxPool's backward needs no Indices output, which onnxruntime's WebGPU EP lacks. TrainStep sets it.
   */
  target: 'cpu' | 'webgpu' = 'cpu';
  /** 'initializer': weights baked into the ONNX file (inference); 'input': weights fed at run time (training). */
  constructor(readonly paramMode: 'initializer' | 'input' = 'initializer') {}

  /** A runtime input with a static shape. */
  input(name: string, shape: Shape, dtype: DType = 'float32'): Tensor {
    if (this.inputs.some((t) => t.leaf?.kind === 'input' && t.leaf.name === name)) throw new IqaError(`Graph.input: name: expected unique, got duplicate '${name}'`, 'E_GRAPH');
    const t = new Tensor(this, [...shape], dtype, null, 0, { kind: 'input', name });
    this.inputs.push(t);
    return t;
  }

  /** An input drawn from a seeded generator at each run (see `Compiled.run`), e.g. a dropout mask. */
  randomInput(shape: Shape, fill: (rng: { uniform(): number }) => NdArray, hint = 'rand'): Tensor {
    const t = this.input(`${hint}_${this.random.size}`, shape, 'float32');
    this.random.set((t.leaf as { name: string }).name, fill);
    return t;
  }

  /** Records a buffer's new value (written back after a training step). */
  update(p: Parameter, value: Tensor): void {
    this.updates.set(p, value);
  }

  /** The tensor of a parameter (weights as initializers or as inputs, per `paramMode`; frozen ones stay constant). */
  param(p: Parameter): Tensor {
    let t = this.params.get(p);
    if (!t) {
      const asInput = this.paramMode === 'input' && (p.requiresGrad || p.isBuffer);
      t = new Tensor(this, [...p.value.shape], 'float32', null, 0, { kind: 'param', param: p, asInput });
      this.params.set(p, t);
    }
    return t;
  }

  /** All parameter tensors used so far, in first-use order. */
  paramTensors(): Tensor[] {
    return [...this.params.values()];
  }

  /** A constant baked into the graph. */
  constant(value: NdArray): Tensor {
    return new Tensor(this, [...value.shape], value.dtype, null, 0, { kind: 'const', value });
  }

  /** Adds a node; `outs` gives each output's shape and dtype (already checked by the op). */
  addNode(op: OpRecord, inputs: readonly Tensor[], attrs: Record<string, unknown>, outs: readonly { shape: Shape; dtype: DType }[], site: string): Tensor[] {
    const node: Node = { op, inputs, attrs, outputs: [], site };
    node.outputs = outs.map((o, i) => new Tensor(this, [...o.shape], o.dtype, node, i, null));
    this.nodes.push(node);
    return node.outputs;
  }
}

/** Nodes needed to compute `outputs`, in topological order (inputs before users). */
export function topoSort(outputs: readonly Tensor[]): Node[] {
  const order: Node[] = [];
  const seen = new Set<Node>();
  const stack: [Node, number][] = [];
  for (const o of outputs) {
    if (!o.node || seen.has(o.node)) continue;
    seen.add(o.node);
    stack.push([o.node, 0]);
    while (stack.length) {
      const top = stack[stack.length - 1];
      const [n, i] = top;
      if (i < n.inputs.length) {
        top[1]++;
        const c = n.inputs[i].node;
        if (c && !seen.has(c)) {
          seen.add(c);
          stack.push([c, 0]);
        }
      } else {
        stack.pop();
        order.push(n);
      }
    }
  }
  return order;
}
