/**
 * Training-step time of QFM-IQM with §3.6's optional parts: the design's objective (L_q + L_sens + L_match) against
 * + the adversarial ε refinement (one extra decoder forward/backward inside the step) and + L_con.
 *   node --import tsx bench/qfm-options.ts [--preset cpu|paper] [--batch 16] [--steps 10]
 * Random inputs and weights; partners i ↔ i + B/2, all L_con pairs weighted; median over `steps` after 2 warm-ups.
 */
import { Graph } from '../src/engine/graph/graph.js';
import { adamw } from '../src/engine/optim/optimizer.js';
import { TrainStep } from '../src/engine/optim/train-step.js';
import { Rng } from '../src/engine/rng.js';
import { QFM_CPU, QFM_PAPER, QfmIqm } from '../src/models/qfm/qfm-iqm.js';
import { qfmLoss, type QfmLossWeights } from '../src/models/qfm/qfm-loss.js';
import { ndarray } from '../src/tensor/ndarray.js';
import { arg, median } from './util.js';

const preset = arg('preset', 'cpu') === 'paper' ? QFM_PAPER : QFM_CPU;
const B = Number(arg('batch', '16'));
const steps = Number(arg('steps', '10'));
const S = preset.imgSize;
const rng = new Rng(0);
const feeds = {
  x: ndarray('float32', [B, 3, S, S], Float32Array.from({ length: B * 3 * S * S }, () => rng.normal())),
  y: ndarray('float32', [B, 1], Float32Array.from({ length: B }, () => rng.uniform())),
  partner: ndarray('int64', [B], BigInt64Array.from({ length: B }, (_, i) => BigInt((i + (B >> 1)) % B))),
  mask: ndarray('float32', [B, 1], new Float32Array(B).fill(1)),
  eps: ndarray('float32', [B, 1], new Float32Array(B).fill(0.1)),
  conW: ndarray('float32', [B, B], Float32Array.from({ length: B * B }, (_, j) => (j % (B + 1) ? 1 / (B * (B - 1)) : 0))),
};
const base: QfmLossWeights = { sens: 1, match: 0.1, kd: 0 };
const variants: [string, QfmLossWeights][] = [
  ['design (L_q + L_sens + L_match)', base],
  ['+ advEps', { ...base, advEps: { eta: 0.05, max: 0.3 } }],
  ['+ L_con', { ...base, con: 0.1, conMargin: 0.5 }],
];
console.log(`QFM-IQM ${preset === QFM_PAPER ? 'paper' : 'cpu'} preset, batch ${B}, ${S}² crops: train step ms (median of ${steps})`);
for (const [name, w] of variants) {
  const model = new QfmIqm(preset);
  const step = await TrainStep.create({
    build: (g: Graph) => {
      const inp = {
        x: g.input('x', [B, 3, S, S]), y: g.input('y', [B, 1]), partner: g.input('partner', [B], 'int64'), mask: g.input('mask', [B, 1]), eps: g.input('eps', [B, 1]),
        conW: w.con ? g.input('conW', [B, B]) : undefined,
      };
      const r = qfmLoss(model, inp, w);
      return { loss: r.loss, stop: r.stop };
    },
    params: model.trainableParameters(),
    optimizer: adamw({ weightDecay: 0.05 }),
    lr: 1e-4,
  });
  const f = w.con ? feeds : (({ conW: _c, ...rest }) => rest)(feeds);
  const ms: number[] = [];
  for (let i = 0; i < steps + 2; i++) {
    const t0 = performance.now();
    await step.run(f);
    if (i >= 2) ms.push(performance.now() - t0);
  }
  await step.release();
  console.log(`| ${name} | ${median(ms).toFixed(1)} |`);
}
