/**
 * YOTO as a registry metric: `createMetric('yoto', { mode: 'FR' | 'NR', weights })`. The weights file (safetensors,
 * the model config in its metadata) comes from `iqa train` or a converted official checkpoint. Test-time averaging
 * over the five-point crop (default, the official inference script) or `crops: n` seeded random crops, aligned
 * between distorted and reference in FR (official bug #3 fixed).
 */
import { Graph } from '../../engine/graph/graph.js';
import { compile, type Compiled } from '../../engine/runtime/compile.js';
import { Rng } from '../../engine/rng.js';
import type { Metric, MetricInfo, MetricOutput } from '../../metrics/types.js';
import type { Image } from '../../tensor/image.js';
import { assertSameSize } from '../../tensor/image.js';
import { expected, IqaError } from '../../tensor/errors.js';
import { ndarray, type NdArray } from '../../tensor/ndarray.js';
import { loadNamed } from '../common.js';
import { assertCropFits, fivePointCrops, normalise, randomCrops, stackCrops } from '../preprocess.js';
import { Yoto, type YotoConfig, type YotoMode } from './yoto.js';

export interface YotoMetricOptions {
  mode?: YotoMode;
  /** A safetensors path (Node), or already-read tensors with their config. */
  weights?: string | { tensors: Record<string, NdArray>; config: YotoConfig };
  /** 'five' (default) or a number of seeded random crops. */
  crops?: 'five' | number;
  seed?: number;
}

export const YOTO_INFO: Omit<MetricInfo, 'mode'> = {
  name: 'yoto',
  lowerBetter: false,
  range: [0, Infinity],
  description: 'YOTO (Yun & Lin 2023): one network for FR and NR IQA; official architecture, trained weights required',
  needsWeights: true,
};

/** Loads weights (path or tensors) into a Yoto in eval mode. */
export async function loadYoto(weights: YotoMetricOptions['weights']): Promise<Yoto> {
  let tensors: Record<string, NdArray>;
  let config: YotoConfig;
  if (typeof weights === 'object' && weights) ({ tensors, config } = weights);
  else {
    const { readWeights } = await import('../../io/weights.js');
    const r = await readWeights(weights, 'yoto');
    if (!r.meta.config) throw expected('yoto', 'weights metadata', "a 'config' entry (written by iqa train)", 'none');
    config = JSON.parse(r.meta.config) as YotoConfig;
    tensors = r.tensors;
  }
  const net = new Yoto(config);
  loadNamed(net, tensors, 'yoto');
  return net.eval();
}

export async function createYoto(options: YotoMetricOptions = {}): Promise<Metric> {
  const mode = options.mode ?? 'NR';
  if (mode !== 'FR' && mode !== 'NR') throw expected('yoto', 'mode', "'FR' or 'NR'", String(mode));
  const net = await loadYoto(options.weights);
  const size = net.config.crop;
  const plan = options.crops ?? 'five';
  const n = plan === 'five' ? 5 : plan;
  if (!Number.isInteger(n) || n < 1) throw expected('yoto', 'crops', "'five' or a positive integer", String(plan));
  const g = new Graph();
  const x = g.input('x', [n, 3, size, size]);
  const y = mode === 'FR' ? g.input('y', [n, 3, size, size]) : null;
  const session: Compiled = await compile({ score: net.forwardMode(x, y, mode) });
  const rng = new Rng(options.seed ?? 20);
  return {
    ...YOTO_INFO,
    mode,
    async compute(dist: Image, ref?: Image): Promise<MetricOutput> {
      if (mode === 'FR') {
        if (!ref) throw new IqaError('yoto: reference: expected an image in FR mode, got none', 'E_INPUT');
        assertSameSize('yoto', dist, ref);
      }
      assertCropFits('yoto', dist, size);
      const ps = plan === 'five' ? fivePointCrops(dist.height, dist.width, size) : randomCrops(dist.height, dist.width, size, n, rng);
      const feeds: Record<string, NdArray> = { x: ndarray('float32', [n, 3, size, size], stackCrops(normalise(dist, 'half'), dist.height, dist.width, ps, size)) };
      // FR: the same crop positions for both images (aligned pairs)
      if (mode === 'FR') feeds.y = ndarray('float32', [n, 3, size, size], stackCrops(normalise(ref!, 'half'), ref!.height, ref!.width, ps, size));
      const s = (await session.run(feeds)).score.data as Float32Array;
      return { score: s.reduce((a, b) => a + b, 0) / n };
    },
    dispose: () => session.release(),
  };
}
