/**
 * Graph -> ONNX ModelProto bytes. Only nodes reachable from the requested outputs are written (so gradients of
 * unused inputs cost nothing), in topological order, with stable names: inputs and parameters keep their names,
 * constants and parameters-as-initializers become initializers. Opset 20 (Gelu needs 20; onnxruntime 1.30 takes <= 26), or 23 when a node needs it (fused Attention).
 */
import protobuf from 'protobufjs';
import { IqaError } from '../../tensor/errors.js';
import type { DType, NdArray } from '../../tensor/ndarray.js';
import { ndarray } from '../../tensor/ndarray.js';
import { topoSort, type Parameter, type Tensor } from '../graph/graph.js';
import type { Shape } from '../graph/shape.js';
import type { AttrValue, Emitter, OpDef } from '../ops/define.js';
import { ONNX_DTYPE, ONNX_PROTO } from './schema.js';

export const OPSET = 20;
const IR_VERSION = 9;
/** Models with an opset-23 node (the fused Attention) are written as IR 10. */
const IR_VERSION_23 = 10;

let root: protobuf.Root | null = null;
const modelType = (): protobuf.Type => (root ??= protobuf.parse(ONNX_PROTO, { keepCase: true }).root).lookupType('onnx.ModelProto');

/** The nodes of serialised model bytes (op type, input and output names), for tests and tools. */
export function onnxNodes(bytes: Uint8Array): { op_type: string; input: string[]; output: string[] }[] {
  const m = modelType().toObject(modelType().decode(bytes), { defaults: true }) as { graph: { node: { op_type: string; input: string[]; output: string[] }[] } };
  return m.graph.node;
}

export interface ValueSpec {
  readonly name: string;
  readonly shape: Shape;
  readonly dtype: DType;
}

export interface OnnxModel {
  readonly bytes: Uint8Array;
  /** Runtime inputs, including parameters fed as inputs (training graphs). */
  readonly inputs: readonly ValueSpec[];
  readonly outputs: readonly ValueSpec[];
  /** Parameters fed as inputs, by input name. */
  readonly paramInputs: ReadonlyMap<string, Parameter>;
  /**
   * Nodes onnxruntime's WebGPU EP accepts but cannot run, by node name: MaxPool with the Indices output ("The Indices
   * output is not supported yet", seen with onnxruntime-node 1.30 on an H100). Such a model runs on the CPU EP.
   */
  readonly webgpuCpuNodes: readonly string[];
}

const bytesOf = (a: NdArray): Uint8Array => {
  const d = a.dtype === 'bool' ? Uint8Array.from(a.data as Uint8Array) : a.data;
  return new Uint8Array(d.buffer, d.byteOffset, d.byteLength);
};
const tensorProto = (name: string, a: NdArray) => ({ name, dims: [...a.shape], data_type: ONNX_DTYPE[a.dtype], raw_data: bytesOf(a) });
const valueInfo = (v: ValueSpec) => ({ name: v.name, type: { tensor_type: { elem_type: ONNX_DTYPE[v.dtype], shape: { dim: v.shape.map((d) => ({ dim_value: d })) } } } });

function attr(name: string, v: AttrValue) {
  if (typeof v === 'number') return Number.isInteger(v) ? { name, type: 2, i: v } : { name, type: 1, f: v };
  if (typeof v === 'string') return { name, type: 3, s: new TextEncoder().encode(v) };
  if (Array.isArray(v)) return { name, type: 7, ints: [...v] };
  if ('float' in v) return { name, type: 1, f: v.float };
  if ('floats' in v) return { name, type: 6, floats: [...v.floats] };
  if ('tensor' in v) return { name, type: 4, t: tensorProto('', v.tensor) };
  throw new IqaError(`toOnnx: attribute '${name}': unsupported value`, 'E_GRAPH');
}

/**
 * Serialises the subgraph computing `outputs` (name -> tensor).
 * @example const m = toOnnx({ y }); new ort.InferenceSession.create(m.bytes)
 */
export function toOnnx(outputs: Readonly<Record<string, Tensor>>, name = 'iqa'): OnnxModel {
  const outNames = Object.keys(outputs);
  const outTensors = outNames.map((k) => outputs[k]);
  const names = new Map<Tensor, string>();
  const nodes: object[] = [];
  const initializers: object[] = [];
  const inputs: ValueSpec[] = [];
  const paramInputs = new Map<string, Parameter>();
  const intConsts = new Map<string, string>();
  const paramNames = new Set<string>();
  let tmpId = 0;

  const used = new Set<Tensor>();
  const e: Emitter = {
    node: (opType, ins, outs, attrs = {}) => nodes.push({ op_type: opType, input: [...ins], output: [...outs], name: `${opType}_${nodes.length}`, attribute: Object.entries(attrs).map(([k, v]) => attr(k, v)) }),
    ints: (values) => {
      const key = values.join(',');
      let n = intConsts.get(key);
      if (!n) {
        n = `ints_${intConsts.size}`;
        intConsts.set(key, n);
        initializers.push(tensorProto(n, ndarray('int64', [values.length], values)));
      }
      return n;
    },
    scalar: (value, dtype) => {
      const n = `scalar_${tmpId++}`;
      initializers.push(tensorProto(n, ndarray(dtype, [], [value])));
      return n;
    },
    tmp: (hint = 't') => `${hint}_${tmpId++}`,
  };

  // Requested outputs take their requested names (an Identity when one tensor is asked for twice or is a leaf).
  const outRename = new Map<Tensor, string>();
  outTensors.forEach((t, i) => {
    if (!outRename.has(t) && !t.leaf) outRename.set(t, outNames[i]);
  });
  const nameOf = (t: Tensor): string => {
    let n = names.get(t);
    if (n) return n;
    const l = t.leaf;
    if (l?.kind === 'input') n = l.name;
    else if (l?.kind === 'param') {
      n = l.param.name;
      // Two parameters may share a name (a module's names are only qualified by namedTensors()): keep ONNX names unique
      if (paramNames.has(n)) n = `${n}_${t.id}`;
      paramNames.add(n);
      if (l.asInput) {
        inputs.push({ name: n, shape: t.shape, dtype: t.dtype });
        paramInputs.set(n, l.param);
      } else initializers.push(tensorProto(n, l.param.value));
    } else if (l?.kind === 'const') {
      n = `const_${t.id}`;
      initializers.push(tensorProto(n, l.value));
    } else n = outRename.get(t) ?? `t${t.id}`;
    names.set(t, n);
    return n;
  };

  // Graph inputs in declaration order, then parameters in first-use order.
  const graphInputs = outTensors[0]?.graph.inputs ?? [];
  const order = topoSort(outTensors);
  for (const n of order) for (const t of n.inputs) used.add(t);
  for (const t of outTensors) used.add(t);
  for (const t of graphInputs) if (used.has(t)) inputs.push({ name: nameOf(t), shape: t.shape, dtype: t.dtype });
  for (const node of order) {
    const op = node.op as OpDef<unknown>;
    const ins = node.inputs.map(nameOf);
    const outs = node.outputs.map((t, i) => (op.optionalOutputs?.[i] && !used.has(t) ? '' : nameOf(t)));
    while (outs.length > 1 && outs[outs.length - 1] === '') outs.pop(); // trailing omitted outputs are dropped, not ''
    op.onnx(e, ins, outs, node.attrs, { inputs: node.inputs, outputs: node.outputs, attrs: node.attrs });
  }
  const outs: ValueSpec[] = outTensors.map((t, i) => {
    const n = nameOf(t);
    if (n !== outNames[i]) e.node('Identity', [n], [outNames[i]]);
    return { name: outNames[i], shape: t.shape, dtype: t.dtype };
  });

  const opset = Math.max(OPSET, ...order.map((n) => (n.op as OpDef<unknown>).opset ?? 0));
  const model = {
    ir_version: opset > OPSET ? IR_VERSION_23 : IR_VERSION,
    producer_name: 'iqa-toolkit',
    producer_version: '0.1',
    opset_import: [{ domain: '', version: opset }],
    graph: { name, node: nodes, initializer: initializers, input: inputs.map(valueInfo), output: outs.map(valueInfo) },
  };
  const T = modelType();
  const webgpuCpuNodes = (nodes as { op_type: string; output: string[]; name: string }[]).filter((n) => n.op_type === 'MaxPool' && n.output.length > 1).map((n) => n.name);
  return { bytes: T.encode(T.fromObject(model)).finish(), inputs, outputs: outs, paramInputs, webgpuCpuNodes };
}
