/**
 * YOTO training (models.md §1.7): MSE on MOS normalised to [0, 1] by the training range, Adam (weight decay 1e-5)
 * with the encoder at 0.1x the body's learning rate, cosine annealing stepped per epoch, and the training mode:
 * 'joint' (per batch FR with p = 0.5, else NR; the paper's YOTO), 'FR' (FR-only, with the FR segment embedding:
 * official bug #2 fixed) or 'NR' (NR-only). Aligned random crops with joint flips, prepared on worker threads
 * by the batch pipeline (./pipeline: `data.workers`, default 1; 0 = in this thread, the same batches and so the
 * same weights): a batch and its FR/NR draw depend only on (seed, epoch, batch index). Checkpoints every epoch
 * (atomic, resumable). Evaluation: five-point-crop (or random-crop) averaging on the held-out contents.
 * `ep: 'webgpu'` runs the training step and the evaluation on onnxruntime's WebGPU EP (src/train/runtime.ts);
 * `train.maxSeconds` stops training at the first epoch end past that wall time (then saves and evaluates).
 */
import { join } from 'node:path';
import { writeFile, mkdir } from 'node:fs/promises';
import { Graph } from '../engine/graph/graph.js';
import { mul, sub, sum } from '../engine/ops/index.js';
import { adam } from '../engine/optim/optimizer.js';
import { TrainStep } from '../engine/optim/train-step.js';
import { compile } from '../engine/runtime/compile.js';
import type { SessionOptions } from '../engine/runtime/session.js';
import { Rng } from '../engine/rng.js';
import { pearson, srcc } from '../eval/correlation.js';
import { writeWeights } from '../io/weights.js';
import { fivePointCrops, randomCrops, stackCrops } from '../models/preprocess.js';
import { Yoto, type YotoConfig, type YotoMode } from '../models/yoto/yoto.js';
import { IqaError } from '../tensor/errors.js';
import { ndarray } from '../tensor/ndarray.js';
import { loadCheckpoint, saveCheckpoint } from './model-checkpoint.js';
import { decodeSamples, loadTrainingIndex, type DataConfig, type Sample } from './data.js';
import { BatchLoader, deriveSeed } from './pipeline/index.js';
import { runtimeOptions, type RuntimeConfig } from './runtime.js';

/** Checkpoint tag of the batch sampling scheme (checkpoints without it came from the sequential in-memory sampler). */
const LOADER = 'pipeline/1';

export interface YotoTrainConfig extends RuntimeConfig {
  kind: 'yoto';
  model: YotoConfig;
  data: DataConfig;
  train: {
    mode: 'joint' | 'FR' | 'NR';
    epochs: number;
    batch: number;
    /** Body learning rate (official 1e-4); the encoder gets `encoderLrMult` x it (official 0.1). */
    lr: number;
    encoderLrMult?: number;
    weightDecay?: number;
    /** Cosine period in epochs (official 50 with 600 epochs: PyTorch's formula keeps oscillating); default epochs. */
    tMax?: number;
    /** Probability of an FR batch in joint mode (official 0.5). */
    pFR?: number;
    seed?: number;
    /** Cap on steps per epoch (CPU-sized runs). */
    maxStepsPerEpoch?: number;
    /** Stop at the end of the first epoch that ends past this many seconds of training (budgeted runs). */
    maxSeconds?: number;
  };
  eval?: { crops?: 'five' | number };
  /** Output folder: weights.safetensors, checkpoint.safetensors, metrics.json. */
  out: string;
}

export interface EvalResult {
  mode: YotoMode;
  srcc: number;
  plcc: number;
  n: number;
  pred: number[];
}

/** Domain tag of the per-batch FR/NR draw (deriveSeed's 5-part keys never collide with the loader's crop keys). */
const FR_DRAW = 0x4652;

/** A batch short of `B` samples (skip mode) padded by repeating its samples in order (static-shape graphs). */
function padBatch(x: Float32Array, y: Float32Array, t: Float32Array, B: number): { x: Float32Array; y: Float32Array; t: Float32Array } {
  const n = t.length;
  const per = x.length / n;
  const pad = (a: Float32Array, w: number) => {
    const o = new Float32Array(B * w);
    for (let i = 0; i < B; i++) o.set(a.subarray((i % n) * w, (i % n + 1) * w), i * w);
    return o;
  };
  return { x: pad(x, per), y: pad(y, per), t: pad(t, 1) };
}

const cosine = (base: number, tMax: number) => (epoch: number) => (base * (1 + Math.cos((Math.PI * epoch) / tMax))) / 2;

/** Predictions of `net` (eval mode) on `samples` with five-point or random-crop averaging, and SRCC/PLCC. */
export async function evaluateYoto(net: Yoto, samples: readonly Sample[], mode: YotoMode, crops: 'five' | number = 'five', seed = 0, session: SessionOptions = {}): Promise<EvalResult> {
  net.eval();
  const size = net.config.crop;
  const n = crops === 'five' ? 5 : crops;
  const g = new Graph();
  const x = g.input('x', [n, 3, size, size]);
  const y = mode === 'FR' ? g.input('y', [n, 3, size, size]) : null;
  const c = await compile({ s: net.forwardMode(x, y, mode) }, session);
  const rng = new Rng(seed);
  const pred: number[] = [];
  for (const s of samples) {
    const ps = crops === 'five' ? fivePointCrops(s.h, s.w, size) : randomCrops(s.h, s.w, size, n, rng);
    const feeds = { x: ndarray('float32', [n, 3, size, size], stackCrops(s.dist, s.h, s.w, ps, size)), ...(y ? { y: ndarray('float32', [n, 3, size, size], stackCrops(s.ref, s.h, s.w, ps, size)) } : {}) };
    const out = (await c.run(feeds)).s.data as Float32Array;
    pred.push(out.reduce((a, b) => a + b, 0) / n);
  }
  await c.release();
  const mos = samples.map((s) => s.score);
  return { mode, srcc: srcc(pred, mos), plcc: pearson(pred, mos), n: samples.length, pred };
}

export interface TrainLog {
  epoch: number;
  loss: number;
  seconds: number;
}

/** Trains per `cfg`; resumes from `out/checkpoint.safetensors` when present. Returns the net and test results. */
export async function trainYoto(cfg: YotoTrainConfig, log: (s: string) => void = () => {}): Promise<{ net: Yoto; results: EvalResult[]; history: TrainLog[] }> {
  const t = cfg.train;
  const session = runtimeOptions(cfg, 'trainYoto');
  await mkdir(cfg.out, { recursive: true });
  const index = await loadTrainingIndex(cfg.data);
  const test = await decodeSamples(index.test, 'half');
  const net = new Yoto(cfg.model);
  net.train();
  const encoderParams = net.encoder ? net.encoder.trainableParameters() : [];
  const enc = new Set(encoderParams);
  const body = net.trainableParameters().filter((p) => !enc.has(p));
  const seed = t.seed ?? 20;
  const loader = new BatchLoader(
    index.train.map((s) => ({ dist: s.dist, ref: s.ref, target: s.target })),
    { batch: t.batch, crop: cfg.model.crop, ref: true, flip: true, norm: 'half', maxBatches: t.maxStepsPerEpoch },
    {
      seed,
      workers: cfg.data.workers ?? 1,
      prefetch: cfg.data.prefetch ?? 2,
      cacheBytes: Math.round((cfg.data.cacheMB ?? 1024) * 2 ** 20),
      onBadFile: cfg.data.onBadFile ?? 'error',
      onSkip: (s) => log(`skipped ${s.file} (epoch ${s.epoch}, batch ${s.index}): ${s.message}`),
    },
  );
  const steps = loader.batchesPerEpoch;
  const lrAt = cosine(t.lr, t.tMax ?? t.epochs);
  const B = t.batch;
  const c = cfg.model.crop;
  const step = await TrainStep.create({
    build: (g) => {
      const x = g.input('x', [B, 3, c, c]);
      const y = g.input('y', [B, 3, c, c]);
      const fr = g.input('fr', []);
      const tgt = g.input('t', [B]);
      const d = sub(net.forwardTrain(x, y, fr), tgt);
      return mul(sum(mul(d, d)), 1 / B);
    },
    params: [{ params: body }, { params: encoderParams, lrMult: t.encoderLrMult ?? 0.1 }],
    optimizer: adam({ weightDecay: t.weightDecay ?? 1e-5 }),
    lr: (s) => lrAt(Math.floor(s / Math.max(steps, 1))),
    seed,
    session,
  });
  const ep = step.executionProvider;
  log(`training step on '${ep}'${session.executionProvider && ep !== session.executionProvider ? ` (asked for '${session.executionProvider}')` : ''}`);
  const ckpt = join(cfg.out, 'checkpoint.safetensors');
  let start = 0;
  const prev = await loadCheckpoint(ckpt);
  const history: TrainLog[] = [];
  if (prev) {
    step.load(prev.state);
    if (prev.meta.loader !== LOADER) log('checkpoint from the sequential in-memory sampler: later epochs use the batch pipeline\'s batches');
    start = prev.meta.epoch + 1;
    history.push(...((prev.meta.history as TrainLog[]) ?? []));
    log(`resumed at epoch ${start}`);
  }
  const pFR = t.mode === 'joint' ? (t.pFR ?? 0.5) : t.mode === 'FR' ? 1 : 0;
  const began = Date.now();
  try {
    for (let e = start; e < t.epochs; e++) {
      if (t.maxSeconds !== undefined && (Date.now() - began) / 1000 > t.maxSeconds) {
        log(`time limit: stopped after epoch ${e - 1} (${((Date.now() - began) / 1000).toFixed(0)} s > maxSeconds ${t.maxSeconds})`);
        break;
      }
      const t0 = Date.now();
      let tot = 0;
      // the next batches are decoded and cropped on the workers while this one trains
      for await (const b of loader.epoch(e)) {
        if (!b.size) throw new IqaError(`trainYoto: epoch ${e}, batch ${b.index}: every sample was skipped`, 'E_DECODE');
        const { x, y, t: tg } = b.size === B ? { x: b.x, y: b.y!, t: b.targets } : padBatch(b.x, b.y!, b.targets, B);
        const isFR = new Rng(deriveSeed(seed, e, b.index, 0, FR_DRAW)).uniform() < pFR;
        // NR batches feed the distorted crops as the "reference" too (the official net(x_d, x_d, 'NR'))
        const r = await step.run({ x: ndarray('float32', [B, 3, c, c], x), y: ndarray('float32', [B, 3, c, c], isFR ? y : x), fr: ndarray('float32', [], [isFR ? 1 : 0]), t: ndarray('float32', [B], tg) });
        tot += r.loss;
      }
      history.push({ epoch: e, loss: tot / steps, seconds: (Date.now() - t0) / 1000 });
      log(`epoch ${e}: loss ${(tot / steps).toFixed(5)} (${((Date.now() - t0) / 1000).toFixed(1)} s)`);
      await saveCheckpoint(ckpt, step.state(), { epoch: e, loader: LOADER, history });
    }
  } finally {
    await loader.close();
  }
  const epUsed = step.executionProvider;
  await step.release();
  await writeWeights(join(cfg.out, 'weights.safetensors'), net.stateDict(), 'F16', { config: JSON.stringify(cfg.model), range: JSON.stringify(index.range) });
  const modes: YotoMode[] = t.mode === 'joint' ? ['FR', 'NR'] : [t.mode];
  const results: EvalResult[] = [];
  const te = Date.now();
  for (const m of modes) results.push(await evaluateYoto(net, test, m, cfg.eval?.crops ?? 'five', 0, session));
  log(`evaluation: ${((Date.now() - te) / 1000).toFixed(1)} s`);
  await writeFile(join(cfg.out, 'metrics.json'), JSON.stringify({ executionProvider: epUsed, history, results: results.map(({ pred: _p, ...r }) => r), testContents: [...new Set(test.map((s) => s.content))] }, null, 1));
  for (const r of results) log(`test ${r.mode}: SRCC ${r.srcc.toFixed(4)} PLCC ${r.plcc.toFixed(4)} (n = ${r.n})`);
  return { net, results, history };
}
