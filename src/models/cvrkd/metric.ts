/**
 * CVRKD-IQA as a registry metric: `createMetric('cvrkd', { role: 'teacher' | 'student', weights, referencePool })`.
 * Teacher (FR): m aligned random patches of the distorted image and its reference. Student (NAR): m random patches
 * of the image and m of a high-quality image of any content drawn (seeded) from the reference pool. The score is
 * the mean over `rounds` test rounds (official: 10), each with new patches and a new reference; `spread` is the
 * standard deviation over the rounds (the paper's robustness-to-reference figure).
 */
import { Graph } from '../../engine/graph/graph.js';
import { compile } from '../../engine/runtime/compile.js';
import type { SessionOptions } from '../../engine/runtime/session.js';
import { Rng } from '../../engine/rng.js';
import type { Metric, MetricInfo, MetricOutput } from '../../metrics/types.js';
import { assertSameSize, type Image } from '../../tensor/image.js';
import { expected, IqaError } from '../../tensor/errors.js';
import { ndarray, type NdArray } from '../../tensor/ndarray.js';
import { loadNamed } from '../common.js';
import { assertCropFits, normalise, randomCrops, stackCrops } from '../preprocess.js';
import { Cvrkd, type CvrkdConfig } from './cvrkd.js';

export type CvrkdRole = 'teacher' | 'student';

export interface CvrkdMetricOptions {
  /** onnxruntime session options (execution provider, threads); default CPU. */
  session?: SessionOptions;
  role?: CvrkdRole;
  weights?: string | { tensors: Record<string, NdArray>; config: CvrkdConfig };
  /** Student: a folder of high-quality images (Node) or decoded images. */
  referencePool?: string | readonly Image[];
  /** Test rounds averaged (official 10). */
  rounds?: number;
  seed?: number;
}

export const CVRKD_INFO: Omit<MetricInfo, 'mode'> = {
  name: 'cvrkd',
  lowerBetter: false,
  range: [-Infinity, Infinity],
  description: 'CVRKD-IQA (Yin et al. AAAI-22): FR teacher / non-aligned-reference student; trained weights required',
  needsWeights: true,
};

export async function loadCvrkd(weights: CvrkdMetricOptions['weights']): Promise<Cvrkd> {
  let tensors: Record<string, NdArray>;
  let config: CvrkdConfig;
  if (typeof weights === 'object' && weights) ({ tensors, config } = weights);
  else {
    const { readWeights } = await import('../../io/weights.js');
    const r = await readWeights(weights, 'cvrkd');
    if (!r.meta.config) throw expected('cvrkd', 'weights metadata', "a 'config' entry (written by iqa train)", 'none');
    config = JSON.parse(r.meta.config) as CvrkdConfig;
    tensors = r.tensors;
  }
  const net = new Cvrkd(config);
  loadNamed(net, tensors, 'cvrkd');
  return net.eval();
}

/** Mean and (population) standard deviation. */
function meanStd(v: readonly number[]): { mean: number; std: number } {
  const m = v.reduce((a, b) => a + b, 0) / v.length;
  return { mean: m, std: Math.sqrt(v.reduce((a, b) => a + (b - m) ** 2, 0) / v.length) };
}

export async function createCvrkd(options: CvrkdMetricOptions = {}): Promise<Metric> {
  const role = options.role ?? 'student';
  if (role !== 'teacher' && role !== 'student') throw expected('cvrkd', 'role', "'teacher' or 'student'", String(role));
  let pool: readonly Image[] = [];
  if (role === 'student') {
    const rp = options.referencePool;
    if (!rp || (typeof rp !== 'string' && !rp.length)) throw new IqaError('cvrkd: referencePool: expected a folder (or list) of high-quality images for the NAR student, got none', 'E_INPUT');
    pool = typeof rp === 'string' ? await (await import('./load-pool.js')).loadReferencePool(rp) : rp;
  }
  const net = await loadCvrkd(options.weights);
  const { patches: m, patchSize: p } = net.config;
  for (const img of pool) assertCropFits('cvrkd reference pool', img, p);
  const rounds = options.rounds ?? 10;
  if (!Number.isInteger(rounds) || rounds < 1) throw expected('cvrkd', 'rounds', 'a positive integer', String(rounds));
  const g = new Graph();
  const shape = [1, m, 3, p, p];
  const session = await compile({ pred: net.run(g.input('lq', shape), g.input('ref', shape)).pred }, options.session);
  const rng = new Rng(options.seed ?? 0);
  const normPool = pool.map((im) => normalise(im, 'imagenet'));
  return {
    ...CVRKD_INFO,
    mode: role === 'teacher' ? 'FR' : 'NAR',
    async compute(dist: Image, ref?: Image): Promise<MetricOutput & { spread: number }> {
      if (role === 'teacher') {
        if (!ref) throw new IqaError('cvrkd: reference: expected the aligned reference image for the FR teacher, got none', 'E_INPUT');
        assertSameSize('cvrkd', dist, ref);
      }
      assertCropFits('cvrkd', dist, p);
      const d = normalise(dist, 'imagenet');
      const r0 = role === 'teacher' ? normalise(ref!, 'imagenet') : null;
      const scores: number[] = [];
      for (let k = 0; k < rounds; k++) {
        const ps = randomCrops(dist.height, dist.width, p, m, rng);
        let refData: Float32Array;
        if (r0) refData = stackCrops(r0, dist.height, dist.width, ps, p);
        else {
          const j = Math.floor(rng.uniform() * pool.length);
          const im = pool[j];
          refData = stackCrops(normPool[j], im.height, im.width, randomCrops(im.height, im.width, p, m, rng), p);
        }
        const out = await session.run({ lq: ndarray('float32', shape, stackCrops(d, dist.height, dist.width, ps, p)), ref: ndarray('float32', shape, refData) });
        scores.push(Number(out.pred.data[0]));
      }
      const { mean, std } = meanStd(scores);
      return { score: mean, spread: std };
    },
    dispose: () => session.release(),
  };
}
