/**
 * The onnxruntime adapter: the only module that imports onnxruntime. Creates sessions from emitted models, picks
 * the execution provider ('cpu' by default, 'webgpu' on request, with a warning and a CPU fallback when the
 * provider cannot start or fails on the first run, or an error when `strict`), converts NdArray <-> ort.Tensor and
 * checks feeds by name. A model with nodes the WebGPU EP accepts but cannot run (`model.webgpuCpuNodes`: MaxPool
 * with Indices, i.e. training graphs of nets with max pooling) is not sent to WebGPU: strict sessions throw naming the
 * nodes, others warn and use the CPU. (Forcing just those nodes to the CPU through the session config entry
 * 'ep.webgpuexecutionprovider.forceCpuNodeNames' had no effect with onnxruntime-node 1.30 on an H100.)
 */
import * as ort from 'onnxruntime-node';
import { IqaError, expected } from '../../tensor/errors.js';
import { numel, type DType, type NdArray } from '../../tensor/ndarray.js';
import { sameShape, shapeStr } from '../graph/shape.js';
import type { OnnxModel, ValueSpec } from '../onnx/emit.js';

export type ExecutionProvider = 'cpu' | 'webgpu';

export interface SessionOptions {
  /** default 'cpu' */
  executionProvider?: ExecutionProvider;
  /**
   * Throw instead of warning and falling back to CPU when the provider is unavailable or its first run fails.
   * Default false.
   */
  strict?: boolean;
  /** Intra-op threads; default: onnxruntime's choice (all cores). */
  threads?: number;
  /** onnxruntime's CPU memory arena (default true). Off: lower peak memory, buffers freed after each run. */
  memArena?: boolean;
  /** onnxruntime's memory-pattern planning (default true). */
  memPattern?: boolean;
  /** onnxruntime graph optimisation level; default 'all'. */
  optimization?: 'disabled' | 'basic' | 'extended' | 'all';
  /** onnxruntime's session log level (0 verbose ... 4 fatal; default onnxruntime's, 2). 0 lists each node's provider. */
  logLevel?: 0 | 1 | 2 | 3 | 4;
}

const ORT_TYPE: Record<DType, ort.Tensor.Type> = { float32: 'float32', float64: 'float64', int64: 'int64', bool: 'bool' };

export function toOrt(a: NdArray): ort.Tensor {
  return new ort.Tensor(ORT_TYPE[a.dtype], a.data as never, [...a.shape]);
}

export function fromOrt(t: ort.Tensor, spec: ValueSpec): NdArray {
  const data = t.data as NdArray['data'];
  return { data: spec.dtype === 'bool' ? Uint8Array.from(data as Uint8Array) : data, shape: [...t.dims], dtype: spec.dtype } as NdArray;
}

/** An onnxruntime session over one emitted model. */
const baseOptions = (opts: SessionOptions): ort.InferenceSession.SessionOptions => ({
  graphOptimizationLevel: opts.optimization ?? 'all',
  interOpNumThreads: 1,
  enableCpuMemArena: opts.memArena ?? true,
  enableMemPattern: opts.memPattern ?? true,
  ...(opts.threads ? { intraOpNumThreads: opts.threads } : {}),
  ...(opts.logLevel !== undefined ? { logSeverityLevel: opts.logLevel } : {}),
  // Developer aid: IQA_ORT_PROFILE=/tmp/prefix writes onnxruntime's per-node profile (JSON) when the session is released
  ...(process.env.IQA_ORT_PROFILE ? { enableProfiling: true, profileFilePrefix: process.env.IQA_ORT_PROFILE } : {}),
});

const ortOptions = (opts: SessionOptions, ep: ExecutionProvider): ort.InferenceSession.SessionOptions => ({ ...baseOptions(opts), executionProviders: [ep] });

export class Session {
  private ran = false;
  private constructor(
    private session: ort.InferenceSession,
    readonly model: OnnxModel,
    private ep: ExecutionProvider,
    private readonly opts: SessionOptions,
  ) {}

  /** The provider actually in use ('cpu' after a fallback). */
  get executionProvider(): ExecutionProvider {
    return this.ep;
  }

  static async create(model: OnnxModel, opts: SessionOptions = {}): Promise<Session> {
    const ep = opts.executionProvider ?? 'cpu';
    if (ep === 'webgpu' && model.webgpuCpuNodes.length) {
      const msg = `Session.create: execution provider 'webgpu': expected a model it can run, got ${model.webgpuCpuNodes.length} MaxPool node(s) with the Indices output (${model.webgpuCpuNodes.slice(0, 3).join(', ')}), which onnxruntime's WebGPU EP does not implement`;
      if (opts.strict) throw new IqaError(msg, 'E_RUNTIME');
      console.warn(`${msg}; using 'cpu'`);
      return new Session(await ort.InferenceSession.create(model.bytes, ortOptions(opts, 'cpu')), model, 'cpu', opts);
    }
    try {
      return new Session(await ort.InferenceSession.create(model.bytes, ortOptions(opts, ep)), model, ep, opts);
    } catch (err) {
      if (ep === 'cpu') throw new IqaError(`Session.create: onnxruntime rejected the model: ${(err as Error).message}`, 'E_RUNTIME', { cause: err });
      const msg = `Session.create: execution provider '${ep}': expected available, got ${(err as Error).message.split('\n')[0]}`;
      if (opts.strict) throw new IqaError(msg, 'E_RUNTIME', { cause: err });
      console.warn(`${msg}; falling back to 'cpu'`);
      return new Session(await ort.InferenceSession.create(model.bytes, ortOptions(opts, 'cpu')), model, 'cpu', opts);
    }
  }

  /** Runs the model; every input must be fed with its exact shape and dtype. */
  async run(feeds: Readonly<Record<string, NdArray>>, fetch?: readonly string[]): Promise<Record<string, NdArray>> {
    const f: Record<string, ort.Tensor> = {};
    for (const spec of this.model.inputs) {
      const a = feeds[spec.name];
      if (!a) throw expected('Session.run', `input '${spec.name}'`, `a ${spec.dtype}${shapeStr(spec.shape)} feed`, 'none', 'E_FEED');
      if (a.dtype !== spec.dtype || !sameShape(a.shape, spec.shape) || a.data.length !== numel(spec.shape)) {
        throw expected('Session.run', `input '${spec.name}'`, `${spec.dtype}${shapeStr(spec.shape)}`, `${a.dtype}${shapeStr(a.shape)}`, 'E_FEED');
      }
      f[spec.name] = toOrt(a);
    }
    const want = fetch ? this.model.outputs.filter((o) => fetch.includes(o.name)) : this.model.outputs;
    const names = want.map((o) => o.name);
    // a verbose session (placement listings) runs at warning level
    const runOpts: ort.InferenceSession.RunOptions | undefined = this.opts.logLevel !== undefined ? { logSeverityLevel: 2 } : undefined;
    let r: ort.InferenceSession.ReturnType;
    try {
      r = await (runOpts ? this.session.run(f, names, runOpts) : this.session.run(f, names));
    } catch (err) {
      // A provider can accept a node and still fail running it (the error names the node): on the first run, unless
      // strict, warn and continue on the CPU EP.
      if (this.ep === 'cpu' || this.ran || this.opts.strict) throw err;
      console.warn(`Session.run: execution provider '${this.ep}': expected to run the model, got ${(err as Error).message.split('\n')[0]}; falling back to 'cpu'`);
      await this.session.release();
      this.session = await ort.InferenceSession.create(this.model.bytes, ortOptions(this.opts, 'cpu'));
      this.ep = 'cpu';
      r = await this.session.run(f, names);
    }
    this.ran = true;
    const out: Record<string, NdArray> = {};
    for (const spec of want) out[spec.name] = fromOrt(r[spec.name] as ort.Tensor, spec);
    return out;
  }

  async release(): Promise<void> {
    if (process.env.IQA_ORT_PROFILE) this.session.endProfiling();
    await this.session.release();
  }
}

/** Sessions by key (a graph's shape signature); building and loading happen once per key. */
export class SessionCache {
  private readonly map = new Map<string, Promise<Session>>();
  async get(key: string, build: () => OnnxModel, opts?: SessionOptions): Promise<Session> {
    let s = this.map.get(key);
    if (!s) {
      s = Session.create(build(), opts);
      this.map.set(key, s);
      s.catch(() => this.map.delete(key));
    }
    return s;
  }
  get size(): number {
    return this.map.size;
  }
  async clear(): Promise<void> {
    const all = [...this.map.values()];
    this.map.clear();
    for (const s of all) await (await s).release();
  }
}
