/**
 * DISTS (Ding et al. 2020, dingkeyan93/DISTS `DISTS_pytorch/DISTS_pt.py`; conventions §2.25): inputs RGB in [0, 1],
 * ImageNet mean/std normalisation, VGG-16 with every max-pool replaced by L2pooling; stages [input x (raw),
 * relu1_2, relu2_2, relu3_3, relu4_3, relu5_3] (1475 channels). Per channel, with global spatial statistics:
 * S1 = (2 mx my + c1)/(mx^2 + my^2 + c1), S2 = (2 cov + c2)/(vx + vy + c2), cov = E[xy] - mx my, c1 = c2 = 1e-6;
 * score = 1 - sum_k sum_c (alpha_kc S1_kc + beta_kc S2_kc) with alpha, beta normalised by sum(alpha) + sum(beta).
 * Preprocessing (the metric, option `resize`, default true): as the official `prepare_image`, an image whose
 * shorter side is > 256 is resized by torchvision `resize(img, 256)`, i.e. Pillow bilinear (antialiased) on the
 * uint8 image to shorter side 256, longer side int(256 * long / short) (`distsPrepare`, bit-exact Pillow via
 * signal/pil-resize.ts), then ToTensor. `resize: false` scores at the input size.
 * `Dists.distance` is a graph function on tensors (no resize), differentiable, usable as a training loss.
 */
import type { Parameter, Tensor } from '../engine/graph/graph.js';
import { add, constant, div, mul, reshape, slice, sub, sum } from '../engine/ops/index.js';
import { readJsonFile } from '../io/params.js';
import { mean } from '../nn/functional.js';
import { Module } from '../nn/module.js';
import type { Metric, MetricEntry, MetricInfo } from '../metrics/types.js';
import { pilResize, shorterSideTo } from '../signal/pil-resize.js';
import { IqaError, expected } from '../tensor/errors.js';
import type { Image } from '../tensor/image.js';
import { Vgg16, vgg16 } from './backbones/vgg.js';
import { deepFrMetric } from './lpips.js';
import { jsonArray, loadBackbone } from './weights.js';

const MEAN = [0.485, 0.456, 0.406];
const STD = [0.229, 0.224, 0.225];

export class Dists extends Module {
  readonly vgg: Vgg16;
  readonly alpha: Parameter;
  readonly beta: Parameter;
  readonly chns: readonly number[];
  constructor(vgg?: Vgg16) {
    super();
    this.vgg = this.child('vgg', vgg ?? vgg16({ pool: 'l2' }));
    this.chns = [3, ...this.vgg.stageChannels];
    const n = this.chns.reduce((a, b) => a + b, 0);
    // official init: normal(0.1, 0.01); replaced by the released alpha/beta
    this.alpha = this.param('alpha', [1, n, 1, 1], new Float32Array(n).fill(0.1));
    this.beta = this.param('beta', [1, n, 1, 1], new Float32Array(n).fill(0.1));
    this.eval().freeze();
  }
  private feats(x: Tensor): Tensor[] {
    const g = x.graph;
    const h = div(sub(x, constant(g, [1, 3, 1, 1], MEAN, x.dtype)), constant(g, [1, 3, 1, 1], STD, x.dtype));
    return [x, ...this.vgg.features(h)];
  }
  /** DISTS per batch item [N] for x, y [N, 3, H, W] in [0, 1]. */
  distance(x: Tensor, y: Tensor): Tensor {
    const g = x.graph;
    const a = g.param(this.alpha);
    const b = g.param(this.beta);
    const wsum = add(sum(a, [0, 1, 2, 3], false), sum(b, [0, 1, 2, 3], false));
    const fx = this.feats(x);
    const fy = this.feats(y);
    const c1 = 1e-6;
    const c2 = 1e-6;
    let off = 0;
    let total: Tensor | null = null;
    fx.forEach((f0, k) => {
      const f1 = fy[k];
      const n = this.chns[k];
      const ak = div(slice(a, [{ axis: 1, start: off, end: off + n }]), wsum);
      const bk = div(slice(b, [{ axis: 1, start: off, end: off + n }]), wsum);
      off += n;
      const mx = mean(f0, [2, 3], true);
      const my = mean(f1, [2, 3], true);
      const s1 = div(add(mul(mul(mx, my), 2), c1), add(add(mul(mx, mx), mul(my, my)), c1));
      const dx = sub(f0, mx);
      const dy = sub(f1, my);
      const vx = mean(mul(dx, dx), [2, 3], true);
      const vy = mean(mul(dy, dy), [2, 3], true);
      const cov = sub(mean(mul(f0, f1), [2, 3], true), mul(mx, my));
      const s2 = div(add(mul(cov, 2), c2), add(add(vx, vy), c2));
      const d = add(sum(mul(ak, s1), [1, 2, 3], false), sum(mul(bk, s2), [1, 2, 3], false));
      total = total ? add(total, d) : d;
    });
    return reshape(sub(1, total!), [x.shape[0]]);
  }
  forward(x: Tensor): Tensor {
    return this.feats(x)[5];
  }
}

/** Loads alpha/beta from the shared `params/dists/alpha_beta.json` (`alpha`, `beta`: { shape [1, 1475], data }). */
export async function loadDistsAlphaBeta(model: Dists, path: string): Promise<void> {
  const j = (await readJsonFile(path, 'DISTS alpha/beta')) as { alpha?: unknown; beta?: unknown };
  for (const [k, p] of [['alpha', model.alpha], ['beta', model.beta]] as const) {
    const v = jsonArray(j[k], `loadDistsAlphaBeta(${path}).${k}`);
    if (v.data.length !== p.value.data.length) throw expected('loadDistsAlphaBeta', k, `${p.value.data.length} values`, String(v.data.length), 'E_WEIGHTS');
    p.value = { dtype: 'float32', shape: p.shape, data: v.data };
  }
}

export interface DistsOptions {
  /** torchvision vgg16 weights as safetensors (only `features.*` is used). Required. */
  backboneWeights?: string;
  /** `params/dists/alpha_beta.json`. Required. */
  linearWeights?: string;
  /** The official `prepare_image` resize (shorter side > 256 -> 256, Pillow bilinear). Default true. */
  resize?: boolean;
}

/** Official DISTS `prepare_image` size rule: shorter side > 256 -> torchvision `resize(img, 256)` (Pillow bilinear, uint8). */
export function distsPrepare(img: Image): Image {
  if (Math.min(img.width, img.height) <= 256) return img;
  const [w, h] = shorterSideTo(img.width, img.height, 256);
  return pilResize(img, w, h, 'bilinear');
}

/** The DISTS metric over a built model; `resize` (default true) applies `distsPrepare` to both images. */
export function distsMetric(model: Dists, opts: { resize?: boolean } = {}): Metric {
  return deepFrMetric(DISTS_INFO, (x, y) => model.distance(x, y), opts.resize === false ? undefined : distsPrepare);
}

export async function createDists(opts: DistsOptions): Promise<Dists> {
  const miss = (opt: string, what: string) =>
    new IqaError(`dists: option ${opt}: expected a path to ${what}, got none (weights are not shipped and never downloaded; see the README section "Pretrained weights")`, 'E_WEIGHTS');
  if (!opts.backboneWeights) throw miss('backboneWeights', 'ImageNet torchvision vgg16 weights as .safetensors');
  if (!opts.linearWeights) throw miss('linearWeights', 'the DISTS alpha/beta (params/dists/alpha_beta.json)');
  const vgg = (await loadBackbone('vgg16', opts.backboneWeights, { build: () => vgg16({ pool: 'l2' }) })) as Vgg16;
  const m = new Dists(vgg);
  await loadDistsAlphaBeta(m, opts.linearWeights);
  return m;
}

const DISTS_INFO: MetricInfo = {
  name: 'dists',
  mode: 'FR',
  lowerBetter: true,
  range: [0, 1],
  description: 'DISTS (Ding et al. 2020, official DISTS_pt.py incl. its prepare_image resize: shorter side > 256 -> 256, Pillow bilinear; option resize: false scores at full size), user-supplied ImageNet VGG-16 weights',
  needsWeights: true,
};

export const DISTS_METRIC: MetricEntry = {
  ...DISTS_INFO,
  async create(options) {
    const o = (options ?? {}) as DistsOptions;
    return distsMetric(await createDists(o), { resize: o.resize });
  },
};
