/**
 * A user's own ONNX file on onnxruntime (no graph of ours behind it): input/output names, types and shapes come
 * from the model's metadata. Lives in the runtime because only this folder may import onnxruntime.
 */
import * as ort from 'onnxruntime-node';
import { IqaError, expected } from '../../tensor/errors.js';
import type { NdArray } from '../../tensor/ndarray.js';
import type { SessionOptions } from './session.js';
import { toOrt } from './session.js';

export interface ExternalValue {
  readonly name: string;
  /** Dimensions: numbers, or strings for symbolic (dynamic) ones; empty when unknown. */
  readonly shape: readonly (number | string)[];
  readonly type: string;
}

export class ExternalModel {
  private constructor(
    private readonly session: ort.InferenceSession,
    readonly inputs: readonly ExternalValue[],
    readonly outputs: readonly ExternalValue[],
  ) {}

  /** Loads ONNX bytes; `label` names the file in errors. */
  static async load(bytes: Uint8Array, label: string, opts: SessionOptions = {}): Promise<ExternalModel> {
    let s: ort.InferenceSession;
    try {
      s = await ort.InferenceSession.create(bytes, {
        graphOptimizationLevel: opts.optimization ?? 'all',
        interOpNumThreads: 1,
        ...(opts.threads ? { intraOpNumThreads: opts.threads } : {}),
        executionProviders: [opts.executionProvider ?? 'cpu'],
      });
    } catch (e) {
      throw new IqaError(`ExternalModel.load: '${label}': expected a valid ONNX model, got: ${(e as Error).message.split('\n')[0]}`, 'E_FORMAT', { cause: e });
    }
    const meta = (m: readonly ort.InferenceSession.ValueMetadata[], names: readonly string[]): ExternalValue[] =>
      names.map((name, i) => {
        const v = m[i];
        return v && v.isTensor ? { name, shape: [...v.shape], type: v.type } : { name, shape: [], type: 'unknown' };
      });
    return new ExternalModel(s, meta(s.inputMetadata, s.inputNames), meta(s.outputMetadata, s.outputNames));
  }

  /** Runs with float32 feeds by input name; returns every output as float32/float64/int64 arrays. */
  async run(feeds: Readonly<Record<string, NdArray>>): Promise<Record<string, NdArray>> {
    const f: Record<string, ort.Tensor> = {};
    for (const inp of this.inputs) {
      const a = feeds[inp.name];
      if (!a) throw expected('ExternalModel.run', `input '${inp.name}'`, 'a feed', 'none', 'E_FEED');
      f[inp.name] = toOrt(a);
    }
    const r = await this.session.run(f);
    const out: Record<string, NdArray> = {};
    for (const o of this.outputs) {
      const t = r[o.name] as ort.Tensor;
      const dtype = t.type === 'float64' ? 'float64' : t.type === 'int64' ? 'int64' : 'float32';
      const data = dtype === 'float32' && !(t.data instanceof Float32Array) ? Float32Array.from(t.data as ArrayLike<number>) : t.data;
      out[o.name] = { dtype, shape: [...t.dims], data } as NdArray;
    }
    return out;
  }

  async release(): Promise<void> {
    await this.session.release();
  }
}
