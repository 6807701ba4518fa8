/**
 * A user's ONNX file as a metric: `createMetric('onnx', { path, mode: 'NR' | 'FR', ... })`.
 * Input contract: each image is fed as NCHW float32 RGB [1, 3, H, W] (grey replicated), either in [0, 1]
 * (`input: 'unit'`, the default) or ImageNet-normalised ((x - mean)/std, `input: 'imagenet'`). NR models take one
 * input; FR models take two, the distorted image first and the reference second, in the model's input order
 * (override with `inputNames: [dist, ref]`). When the model fixes H and W, images must have that size (no silent
 * resizing). The score is output `output` (default the first) reduced by its mean over all elements.
 */
import { ExternalModel } from '../engine/runtime/external.js';
import { readBytesFile } from '../io/params.js';
import type { Metric, MetricEntry, Mode } from '../metrics/types.js';
import { IqaError, expected } from '../tensor/errors.js';
import { assertFinite, assertSameSize, type Image } from '../tensor/image.js';
import type { NdArray } from '../tensor/ndarray.js';
import { imageToNchw01 } from './image-tensor.js';

export interface OnnxMetricOptions {
  /** The .onnx file. Required. */
  path?: string;
  /** 'NR' (one input) or 'FR' (distorted, reference). Required. */
  mode?: 'NR' | 'FR';
  /** 'unit': RGB in [0, 1] (default); 'imagenet': (x - [0.485, 0.456, 0.406]) / [0.229, 0.224, 0.225]. */
  input?: 'unit' | 'imagenet';
  /** Model input names to use, in order (NR: [image]; FR: [distorted, reference]). Default: the model's order. */
  inputNames?: readonly string[];
  /** Output holding the score (default: the first). */
  output?: string;
  /** Metadata: true when lower scores mean better quality (default false). */
  lowerBetter?: boolean;
  /** Display name (default 'onnx:<file name>'). */
  name?: string;
  threads?: number;
}

const MEAN = [0.485, 0.456, 0.406];
const STD = [0.229, 0.224, 0.225];

function prepare(img: Image, input: 'unit' | 'imagenet'): NdArray<'float32'> {
  const x = imageToNchw01(img);
  if (input === 'imagenet') {
    const n = img.width * img.height;
    for (let c = 0; c < 3; c++) for (let i = 0; i < n; i++) x.data[c * n + i] = (x.data[c * n + i] - MEAN[c]) / STD[c];
  }
  return x;
}

export async function createOnnxMetric(opts: OnnxMetricOptions): Promise<Metric> {
  if (!opts.path) throw expected('onnx metric', 'option path', 'the path of an .onnx file', 'none');
  if (opts.mode !== 'NR' && opts.mode !== 'FR') throw expected('onnx metric', 'option mode', "'NR' or 'FR'", String(opts.mode));
  const input = opts.input ?? 'unit';
  if (input !== 'unit' && input !== 'imagenet') throw expected('onnx metric', 'option input', "'unit' or 'imagenet'", String(input));
  const path = opts.path;
  const model = await ExternalModel.load(await readBytesFile(path, 'ONNX model'), path, { threads: opts.threads });
  const want = opts.mode === 'FR' ? 2 : 1;
  const names = opts.inputNames ?? model.inputs.map((i) => i.name);
  if (names.length !== want || model.inputs.length !== want) {
    throw expected(`onnx metric '${path}'`, 'model inputs', `${want} for mode ${opts.mode}`, `${model.inputs.length} (${model.inputs.map((i) => i.name).join(', ')})`);
  }
  for (const n of names) if (!model.inputs.some((i) => i.name === n)) throw expected(`onnx metric '${path}'`, 'inputNames', `names among ${model.inputs.map((i) => i.name).join(', ')}`, n);
  const out = opts.output ?? model.outputs[0]?.name;
  if (!model.outputs.some((o) => o.name === out)) throw expected(`onnx metric '${path}'`, 'option output', `one of ${model.outputs.map((o) => o.name).join(', ')}`, String(out));
  const spec = model.inputs.find((i) => i.name === names[0])!;
  const fixed = spec.shape.length === 4 && typeof spec.shape[2] === 'number' && typeof spec.shape[3] === 'number' ? [spec.shape[2], spec.shape[3]] : null;
  const name = opts.name ?? `onnx:${path.split(/[\\/]/).pop()}`;
  const mode: Mode = opts.mode;
  const check = (img: Image) => {
    assertFinite(name, img);
    if (fixed && (img.height !== fixed[0] || img.width !== fixed[1])) throw expected(name, 'image size (H x W)', `${fixed[0]}x${fixed[1]} (fixed by the model)`, `${img.height}x${img.width}`, 'E_SIZE');
  };
  return {
    name,
    mode,
    lowerBetter: opts.lowerBetter ?? false,
    range: [-Infinity, Infinity],
    description: `user ONNX model ${path} (${mode}, input ${input})`,
    needsWeights: true,
    async compute(dist: Image, ref?: Image) {
      check(dist);
      const feeds: Record<string, NdArray> = { [names[0]]: prepare(dist, input) };
      if (mode === 'FR') {
        if (!ref) throw new IqaError(`${name}: a reference image is required (full-reference metric)`);
        assertSameSize(name, dist, ref);
        check(ref);
        feeds[names[1]] = prepare(ref, input);
      }
      const r = (await model.run(feeds))[out!];
      let s = 0;
      for (let i = 0; i < r.data.length; i++) s += Number(r.data[i]);
      return { score: s / r.data.length };
    },
    dispose: () => model.release(),
  };
}

export const ONNX_METRIC: MetricEntry = {
  name: 'onnx',
  mode: 'NR',
  lowerBetter: false,
  range: [-Infinity, Infinity],
  description: "a user's ONNX model as a metric (options: path, mode 'NR' | 'FR', input 'unit' | 'imagenet', output)",
  needsWeights: true,
  create: (options) => createOnnxMetric((options ?? {}) as OnnxMetricOptions),
};
