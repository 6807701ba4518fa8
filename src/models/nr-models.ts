/**
 * Registry entries and inference for the two NR models: `qfm-iqm` (src/models/qfm) and `mfenet` (src/models/mfenet).
 * Weights: a safetensors file written by `trainFromConfig` (src/train/nr-models.ts) whose metadata holds the model
 * kind, its config (JSON) and crop size. Scores: the mean over seeded random crops (DEIQT's 10 test crops) of the
 * predicted normalised MOS (higher = better). Nothing is ever downloaded.
 */
import { exportOnnx } from '../engine/export.js';
import { Graph } from '../engine/graph/graph.js';
import { Rng } from '../engine/rng.js';
import { readSafetensorsFile, serializeSafetensors } from '../io/safetensors.js';
import type { Metric, MetricEntry, MetricInfo } from '../metrics/types.js';
import type { Module } from '../nn/module.js';
import { IqaError, expected } from '../tensor/errors.js';
import { assertFinite, type Image } from '../tensor/image.js';
import { ndarray, type NdArray } from '../tensor/ndarray.js';
import { GraphCache } from './image-tensor.js';
import { Mfenet, MFENET_CPU, MFENET_PAPER, type MfenetConfig } from './mfenet/mfenet.js';
import { cropInto, cropPositions, normaliseImage } from './nr-data.js';
import { QFM_CPU, QFM_PAPER, QfmIqm, type QfmConfig } from './qfm/qfm-iqm.js';

export type NrModelKind = 'qfm-iqm' | 'mfenet';
export type NrModel = QfmIqm | Mfenet;

/** Builds a model from a preset ('paper' | 'cpu') overridden by `cfg`. */
export function buildNrModel(kind: NrModelKind, cfg: Record<string, unknown> = {}, preset: 'paper' | 'cpu' = 'cpu'): NrModel {
  let m: NrModel | null = null;
  if (kind === 'qfm-iqm') m = new QfmIqm({ ...(preset === 'paper' ? QFM_PAPER : QFM_CPU), ...(cfg as Partial<QfmConfig>) });
  if (kind === 'mfenet') m = new Mfenet({ ...(preset === 'paper' ? MFENET_PAPER : MFENET_CPU), ...(cfg as Partial<MfenetConfig>) });
  // full state-dict names on every Parameter (graphs of sub-modules then name their inputs/initializers uniquely)
  if (m) {
    m.namedTensors();
    return m;
  }
  throw expected('buildNrModel', 'kind', "'qfm-iqm' or 'mfenet'", String(kind), 'E_ARG');
}

/** Serialises a trained model (fp16 or fp32) with the metadata `loadNrModel` needs. */
export function saveNrModelBytes(kind: NrModelKind, model: NrModel, crop: number, dtype: 'F16' | 'F32' = 'F16'): Uint8Array {
  const sd = model.stateDict();
  return serializeSafetensors(sd, { dtype, metadata: { model: kind, config: JSON.stringify(model.cfg), crop: String(crop) } });
}

/** Loads a weights file written by `saveNrModelBytes` / `trainFromConfig`. */
export async function loadNrModel(kind: NrModelKind, path: string): Promise<{ model: NrModel; crop: number }> {
  const f = await readSafetensorsFile(path, `${kind} weights`);
  const meta = f.metadata;
  if (meta.model !== kind) throw expected(`${kind}: weights ${path}`, 'metadata model', `'${kind}'`, `'${meta.model ?? 'none'}' (not a file written by iqa train for this model)`, 'E_WEIGHTS');
  const model = buildNrModel(kind, JSON.parse(meta.config ?? '{}') as Record<string, unknown>);
  model.loadStateDict(f.tensors as Record<string, NdArray>);
  return { model: model.eval(), crop: Number(meta.crop) };
}

/** Mean score over `crops` seeded random crops of size `crop` (images smaller than the crop are an error). */
export function nrModelMetric(info: MetricInfo, model: Module & { forward: NrModel['forward'] }, crop: number, crops = 10, seed = 0): Metric {
  const cache = new GraphCache();
  model.eval();
  return {
    ...info,
    async compute(img: Image) {
      assertFinite(info.name, img);
      if (img.height < crop || img.width < crop) throw expected(info.name, 'image size', `at least ${crop}x${crop} (the model's crop)`, `${img.height}x${img.width}`, 'E_SHAPE');
      const c = await cache.get(`b${crops}`, () => {
        const g = new Graph();
        return { y: model.forward(g.input('x', [crops, 3, crop, crop])) };
      });
      const norm = normaliseImage(img);
      const x = new Float32Array(crops * 3 * crop * crop);
      cropPositions(img.height, img.width, crop, crops, new Rng(seed)).forEach(([t, l], b) => cropInto(norm, t, l, crop, x, b));
      const y = (await c.run({ x: ndarray('float32', [crops, 3, crop, crop], x) })).y.data as Float32Array;
      return { score: y.reduce((a, v) => a + v, 0) / crops };
    },
    dispose: () => cache.clear(),
  };
}

/** The eval-mode network as standalone ONNX (input 'input' [n, 3, crop, crop] ImageNet-normalised, output score [n, 1]). */
export function exportNrModelOnnx(model: NrModel, crop: number, batch = 1): Uint8Array {
  return exportOnnx(model, [batch, 3, crop, crop]);
}

const INFO: Record<NrModelKind, MetricInfo> = {
  'qfm-iqm': {
    name: 'qfm-iqm',
    mode: 'NR',
    lowerBetter: false,
    range: [0, 1],
    description: 'QFM-IQM (Li et al.; our design of docs/models.md §3.6: DEIQT ViT + adaptive feature gate, quality-aware feature matching, distillation), weights from iqa train',
    needsWeights: true,
  },
  mfenet: {
    name: 'mfenet',
    mode: 'NR',
    lowerBetter: false,
    range: [0, 1],
    description: 'MFENet (our design of docs/models.md §4.6: VAN + octave high-frequency branch with AFF, contrastive distortion-aware ResNet with FFM), weights from iqa train',
    needsWeights: true,
  },
};

/** Registry entries; options `{ weights: path to the .safetensors written by iqa train, crops?: number, seed?: number }`. */
export const NR_MODEL_METRICS: MetricEntry[] = (['qfm-iqm', 'mfenet'] as const).map((kind) => ({
  ...INFO[kind],
  async create(options) {
    const o = (options ?? {}) as { weights?: string; crops?: number; seed?: number };
    if (!o.weights)
      throw new IqaError(`${kind}: option weights: expected a path to a ${kind} .safetensors weights file (train one with \`iqa train configs/${kind}-cpu.json\`, or use the shipped models/${kind}-cpu.safetensors if present); nothing is downloaded`, 'E_WEIGHTS');
    const { model, crop } = await loadNrModel(kind, o.weights);
    return nrModelMetric(INFO[kind], model, crop, o.crops ?? 10, o.seed ?? 0);
  },
}));
