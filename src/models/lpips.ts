/**
 * LPIPS v0.1 (Zhang et al. 2018, richzhang/PerceptualSimilarity `lpips/lpips.py`; conventions §2.24):
 * inputs in [-1, 1] (or [0, 1] with `normalize`, mapped by 2x - 1), ScalingLayer (x - shift)/scale, trunk features
 * (alex relu1-5, vgg relu1_2..relu5_3, squeeze 7 slices), per layer: unit-normalise over channels
 * x/(sqrt(sum_c x^2) + 1e-10), squared difference, 1x1 `lin` conv (no bias), spatial mean; sum over layers.
 * Symmetric. As a graph function (`Lpips.distance`) it is differentiable, so it doubles as a training loss.
 * State names: `net.*` (the torchvision trunk, `features.*`) and `lin{k}.model.1.weight` (the official lin layers).
 * Preprocessing: the official scripts (`lpips_2imgs.py`: `lpips.im2tensor(lpips.load_image(path))`) read the
 * 8-bit RGB image and map it by x / 127.5 - 1 with no resize or crop; the metric does the same (x / 255, then
 * `normalize`), at the image's own size.
 */
import type { Tensor } from '../engine/graph/graph.js';
import { Graph } from '../engine/graph/graph.js';
import { add, constant, div, mul, reshape, sqrt, sub, sum } from '../engine/ops/index.js';
import { readJsonFile } from '../io/params.js';
import { readSafetensorsFile } from '../io/safetensors.js';
import { mean } from '../nn/functional.js';
import { Conv2d, Dropout } from '../nn/layers.js';
import { Module, Sequential } from '../nn/module.js';
import type { Metric, MetricEntry, MetricInfo } from '../metrics/types.js';
import { IqaError, expected } from '../tensor/errors.js';
import { assertFinite, assertSameSize, type Image } from '../tensor/image.js';
import type { NdArray } from '../tensor/ndarray.js';
import { alexnet } from './backbones/alexnet.js';
import { squeezenet1_1 } from './backbones/squeezenet.js';
import type { Backbone } from './backbones/types.js';
import { vgg16 } from './backbones/vgg.js';
import { GraphCache, imageToNchw01 } from './image-tensor.js';
import { jsonArray, loadBackbone, loadState } from './weights.js';

export type LpipsNet = 'alex' | 'vgg' | 'squeeze';

/** torchvision model name of each trunk. */
export const LPIPS_TRUNK: Readonly<Record<LpipsNet, 'alexnet' | 'vgg16' | 'squeezenet1_1'>> = { alex: 'alexnet', vgg: 'vgg16', squeeze: 'squeezenet1_1' };
const SHIFT = [-0.03, -0.088, -0.188];
const SCALE = [0.458, 0.448, 0.45];

/** Official NetLinLayer: Sequential(Dropout, Conv2d(C, 1, 1, bias=False)), so the weight is `lin{k}.model.1.weight`. */
class NetLinLayer extends Module {
  readonly model: Sequential;
  readonly conv: Conv2d;
  constructor(c: number) {
    super();
    this.conv = new Conv2d(c, 1, 1, { bias: false });
    this.model = this.child('model', new Sequential(new Dropout(0.5), this.conv));
  }
  forward(x: Tensor): Tensor {
    return this.model.forward(x);
  }
}

/** x / (||x||_channels + eps), the official `normalize_tensor`. */
export function unitNormalize(x: Tensor, eps = 1e-10): Tensor {
  return div(x, add(sqrt(sum(mul(x, x), [1], true)), eps));
}

export class Lpips extends Module {
  readonly net: Backbone;
  readonly lins: NetLinLayer[];
  constructor(readonly trunk: LpipsNet, net?: Backbone) {
    super();
    this.net = this.child('net', net ?? (trunk === 'alex' ? alexnet() : trunk === 'vgg' ? vgg16() : squeezenet1_1()));
    this.lins = this.net.stageChannels.map((c, k) => this.child(`lin${k}`, new NetLinLayer(c)));
    this.eval().freeze();
  }
  /** ScalingLayer: (x - shift) / scale on [-1, 1] input. */
  private scale(x: Tensor): Tensor {
    const g = x.graph;
    return div(sub(x, constant(g, [1, 3, 1, 1], SHIFT, x.dtype)), constant(g, [1, 3, 1, 1], SCALE, x.dtype));
  }
  /**
   * LPIPS distance per batch item [N] between x0 and x1 [N, 3, H, W].
   * @param normalize inputs are in [0, 1] (mapped by 2x - 1); default false: inputs in [-1, 1] as the reference.
   */
  distance(x0: Tensor, x1: Tensor, normalize = false): Tensor {
    const prep = (x: Tensor) => this.scale(normalize ? sub(mul(x, 2), 1) : x);
    const f0 = this.net.features(prep(x0));
    const f1 = this.net.features(prep(x1));
    let total: Tensor | null = null;
    f0.forEach((a, k) => {
      const d = sub(unitNormalize(a), unitNormalize(f1[k]));
      const v = mean(this.lins[k].forward(mul(d, d)), [2, 3], false); // [N, 1]
      total = total ? add(total, v) : v;
    });
    return reshape(total!, [x0.shape[0]]);
  }
  forward(x: Tensor): Tensor {
    return this.net.features(this.scale(x))[0];
  }
}

/**
 * Loads the official v0.1 lin layers: the shared JSON (`{ layers: [{ name, shape, data }] }`) or a safetensors
 * conversion of the `.pth` (keys `lin{k}.model.1.weight`).
 */
export async function loadLpipsLinear(model: Lpips, path: string): Promise<void> {
  const state: Record<string, NdArray> = {};
  if (path.endsWith('.json')) {
    const j = (await readJsonFile(path, `LPIPS ${model.trunk} linear weights`)) as { layers?: { name: string }[] };
    if (!Array.isArray(j.layers)) throw expected('loadLpipsLinear', `'${path}'`, 'a JSON object with `layers`', 'none', 'E_FORMAT');
    for (const l of j.layers) state[l.name] = jsonArray(l, `loadLpipsLinear(${path})`);
  } else Object.assign(state, (await readSafetensorsFile(path, `LPIPS ${model.trunk} linear weights`)).tensors);
  const lins = new Sequential(...model.lins);
  const renamed = Object.fromEntries(Object.entries(state).map(([k, v]) => [k.replace(/^lin(\d+)\./, '$1.'), v]));
  loadState(lins, renamed, { ignoreUnexpected: [] }, path);
}

export interface LpipsOptions {
  /** torchvision trunk weights as safetensors (alexnet / vgg16 / squeezenet1_1). Required: never shipped or downloaded. */
  backboneWeights?: string;
  /** v0.1 lin layers: `params/lpips_v0.1/<net>.json` (or a safetensors conversion). Required. */
  linearWeights?: string;
}

const needs = (where: string, opt: string, what: string): IqaError =>
  new IqaError(`${where}: option ${opt}: expected a path to ${what}, got none (weights are not shipped and never downloaded; see the README section "Pretrained weights")`, 'E_WEIGHTS');

/** Builds LPIPS with the user's trunk weights and the official lin layers. */
export async function createLpips(trunk: LpipsNet, opts: LpipsOptions): Promise<Lpips> {
  const where = `lpips(${trunk})`;
  if (!opts.backboneWeights) throw needs(where, 'backboneWeights', `ImageNet torchvision ${LPIPS_TRUNK[trunk]} weights as .safetensors`);
  if (!opts.linearWeights) throw needs(where, 'linearWeights', `the LPIPS v0.1 linear layers (params/lpips_v0.1/${trunk}.json)`);
  const net = await loadBackbone(LPIPS_TRUNK[trunk], opts.backboneWeights);
  const m = new Lpips(trunk, net);
  await loadLpipsLinear(m, opts.linearWeights);
  return m;
}

/** A two-input deep FR metric over a per-size cache of compiled graphs. */
/**
 * A full-reference metric over a graph score; `prepare` (optional) maps each image before it becomes a tensor
 * (DISTS: the official resize), after the same-size check.
 */
export function deepFrMetric(info: MetricInfo, score: (x0: Tensor, x1: Tensor) => Tensor, prepare?: (img: Image) => Image): Metric {
  const cache = new GraphCache();
  return {
    ...info,
    async compute(dist: Image, ref?: Image) {
      if (!ref) throw new IqaError(`${info.name}: a reference image is required (full-reference metric)`);
      assertSameSize(info.name, dist, ref);
      assertFinite(info.name, dist);
      assertFinite(info.name, ref);
      if (prepare) {
        dist = prepare(dist);
        ref = prepare(ref);
      }
      const c = await cache.get(`${dist.height}x${dist.width}`, () => {
        const g = new Graph();
        const shape = [1, 3, dist.height, dist.width];
        return { score: score(g.input('x0', shape), g.input('x1', shape)) };
      });
      const r = await c.run({ x0: imageToNchw01(dist), x1: imageToNchw01(ref) });
      return { score: (r.score.data as Float32Array)[0] };
    },
    dispose: () => cache.clear(),
  };
}

const LPIPS_INFO = (name: string, trunk: LpipsNet): MetricInfo => ({
  name,
  mode: 'FR',
  lowerBetter: true,
  range: [0, 1],
  description: `LPIPS v0.1 (${trunk} trunk; Zhang et al. 2018, official lpips.py), user-supplied ImageNet trunk weights`,
  needsWeights: true,
});

/** Registry entries: lpips (alex), lpips-vgg, lpips-squeeze; options `{ backboneWeights, linearWeights }`. */
export const LPIPS_METRICS: MetricEntry[] = (
  [
    ['lpips', 'alex'],
    ['lpips-vgg', 'vgg'],
    ['lpips-squeeze', 'squeeze'],
  ] as const
).map(([name, trunk]) => {
  const info = LPIPS_INFO(name, trunk);
  return {
    ...info,
    async create(options) {
      const m = await createLpips(trunk, (options ?? {}) as LpipsOptions);
      return deepFrMetric(info, (x0, x1) => m.distance(x0, x1, true));
    },
  };
});
