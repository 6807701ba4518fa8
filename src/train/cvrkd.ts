/**
 * CVRKD-IQA training (models.md §2.4-2.5): the FR teacher on aligned LQ/HQ patch pairs with L1 on the label, then
 * the NAR student (LQ patches + patches of a high-quality image of another content) with L1 + the distillation MSE
 * on the difference-encoder block outputs against the frozen teacher's (all 2*depth blocks, the paper's intent, or
 * 'official': the first depth + 2, what the official zip truncation distils, 11 of 18). Adam with weight decay
 * 5e-4 and the state kept across epochs (official rebuilt it per epoch, §2.8 #9); student learning-rate step decay
 * lr * 0.1^(epoch // 30) (the official compounding division, §2.8 #4, is not reproduced); frozen backbone with BN in
 * eval mode (§2.8 #7 corrected). Augmentation: crops with joint horizontal flip for the pair (the official "hflip"
 * was a vertical flip, §2.8 #8); NAR references: crop + horizontal and vertical flips (the official
 * RandomRotation(180) is not implemented). Labels normalised to [0, 1] by the training range. `ep: 'webgpu'` runs
 * the training steps, the teacher features and the evaluation on onnxruntime's WebGPU EP (src/train/runtime.ts).
 */
import { join } from 'node:path';
import { mkdir, writeFile } from 'node:fs/promises';
import type { Tensor } from '../engine/graph/graph.js';
import { Graph } from '../engine/graph/graph.js';
import { abs, add, mul, sub, sum } from '../engine/ops/index.js';
import { adam } from '../engine/optim/optimizer.js';
import { TrainStep } from '../engine/optim/train-step.js';
import { compile } from '../engine/runtime/compile.js';
import { Rng } from '../engine/rng.js';
import { correlate, pearson, srcc } from '../eval/correlation.js';
import { writeWeights } from '../io/weights.js';
import { Cvrkd, type CvrkdConfig } from '../models/cvrkd/cvrkd.js';
import { createCvrkd } from '../models/cvrkd/metric.js';
import { randomCrops, stackCrops } from '../models/preprocess.js';
import { ndarray, type NdArray } from '../tensor/ndarray.js';
import { resumableEpochs } from './model-checkpoint.js';
import { loadTrainingData, shuffled, type DataConfig, type LoadedData, type Sample } from './data.js';
import type { SessionOptions } from '../engine/runtime/session.js';
import { runtimeOptions, type RuntimeConfig } from './runtime.js';

export interface CvrkdStageConfig {
  epochs: number;
  batch: number;
  lr: number;
  weightDecay?: number;
  maxStepsPerEpoch?: number;
  seed?: number;
}

export interface CvrkdTrainConfig extends RuntimeConfig {
  kind: 'cvrkd';
  model: CvrkdConfig;
  data: DataConfig;
  /** Teacher: the head's lr is `headBoost` x lr for the first `boostEpochs` epochs (official 10x for 21 epochs). */
  teacher: CvrkdStageConfig & { headBoost?: number; boostEpochs?: number };
  /** Student: distillation layers 'all' (default) or 'official'; weight of the distillation term (official 1). */
  student: CvrkdStageConfig & { distillLayers?: 'all' | 'official'; distillWeight?: number; decayEvery?: number };
  eval?: { rounds?: number; seed?: number };
  out: string;
}

export interface CvrkdEval {
  role: 'teacher' | 'student';
  srcc: number;
  plcc: number;
  /** PLCC after the 4-parameter logistic (the paper's protocol, §2.6). */
  plccLogistic4: number;
  /** Mean over test images of the per-image std over rounds (references and patch draws). */
  meanSpread: number;
  n: number;
}

type Aug = 'pair' | 'nar';

/** m crops of a normalised image, with flips: 'pair' one shared h-flip decision per call, 'nar' per-patch h/v flips. */
function patches(s: { data: Float32Array; h: number; w: number }, m: number, p: number, rng: Rng, pos = randomCrops(s.h, s.w, p, m, rng), flips?: boolean[]): Float32Array {
  const out = stackCrops(s.data, s.h, s.w, pos, p, flips);
  return out;
}

function vflipPatches(a: Float32Array, m: number, p: number, which: boolean[]): void {
  for (let k = 0; k < m; k++) {
    if (!which[k]) continue;
    for (let c = 0; c < 3; c++) {
      const o = (k * 3 + c) * p * p;
      for (let y = 0; y < p / 2; y++) {
        const r1 = a.slice(o + y * p, o + (y + 1) * p);
        a.copyWithin(o + y * p, o + (p - 1 - y) * p, o + (p - y) * p);
        a.set(r1, o + (p - 1 - y) * p);
      }
    }
  }
}

/** A batch: LQ patches and reference patches [B, m, 3, p, p]; 'pair' aligned with the pristine, 'nar' another content's. */
function batchOf(samples: readonly Sample[], data: LoadedData, cfg: CvrkdConfig, rng: Rng, aug: Aug) {
  const { patches: m, patchSize: p } = cfg;
  const per = m * 3 * p * p;
  const lq = new Float32Array(samples.length * per);
  const ref = new Float32Array(samples.length * per);
  samples.forEach((s, i) => {
    const pos = randomCrops(s.h, s.w, p, m, rng);
    const f = rng.uniform() < 0.5;
    const flips = new Array<boolean>(m).fill(f);
    lq.set(patches({ data: s.dist, h: s.h, w: s.w }, m, p, rng, pos, flips), i * per);
    if (aug === 'pair') ref.set(patches({ data: s.ref, h: s.h, w: s.w }, m, p, rng, pos, flips), i * per);
    else {
      const others = data.trainRefs.filter((r) => r.content !== s.content);
      const r = others[Math.floor(rng.uniform() * others.length)];
      const hf = Array.from({ length: m }, () => rng.uniform() < 0.5);
      const a = patches(r, m, p, rng, undefined, hf);
      vflipPatches(a, m, p, Array.from({ length: m }, () => rng.uniform() < 0.5));
      ref.set(a, i * per);
    }
  });
  return { lq, ref, t: Float32Array.from(samples, (s) => s.target) };
}

async function runStage(
  name: 'teacher' | 'student',
  net: Cvrkd,
  st: CvrkdStageConfig,
  data: LoadedData,
  cfg: CvrkdTrainConfig,
  extraLoss: ((g: Graph, inner: Tensor[]) => Tensor) | null,
  teacherFeats: ((lq: NdArray, ref: NdArray) => Promise<Record<string, NdArray>>) | null,
  lr: (epoch: number) => number,
  log: (s: string) => void,
  session: SessionOptions,
): Promise<void> {
  const { patches: m, patchSize: p } = cfg.model;
  const B = st.batch;
  const shape = [B, m, 3, p, p];
  const steps = Math.min(Math.floor(data.train.length / B), st.maxStepsPerEpoch ?? Infinity);
  net.train();
  net.featureExtractor.eval(); // frozen backbone, BN statistics frozen (corrected preset)
  const head = net.trainableParameters();
  const step = await TrainStep.create({
    build: (g) => {
      const out = net.run(g.input('lq', shape), g.input('ref', shape));
      let loss = mul(sum(abs(sub(out.pred, g.input('t', [B])))), 1 / B);
      if (extraLoss) loss = add(loss, extraLoss(g, out.diffInner));
      return loss;
    },
    params: head,
    optimizer: adam({ weightDecay: st.weightDecay ?? 5e-4 }),
    lr: (s) => lr(Math.floor(s / Math.max(steps, 1))),
    seed: st.seed ?? 0,
    session,
  });
  log(`${name}: training step on '${step.executionProvider}'`);
  const ckpt = join(cfg.out, `${name}-checkpoint.safetensors`);
  const rng = new Rng(st.seed ?? 0);
  await resumableEpochs(ckpt, name, step, rng, st.epochs, log, async (e) => {
    const t0 = Date.now();
    const order = shuffled(data.train.length, rng);
    let tot = 0;
    for (let k = 0; k < steps; k++) {
      const b = batchOf(order.slice(k * B, (k + 1) * B).map((i) => data.train[i]), data, cfg.model, rng, name === 'teacher' ? 'pair' : 'nar');
      const feeds: Record<string, NdArray> = { lq: ndarray('float32', shape, b.lq), ref: ndarray('float32', shape, b.ref), t: ndarray('float32', [B], b.t) };
      if (teacherFeats) {
        // the teacher sees the aligned pristine patches at the student's LQ positions
        const pair = batchOf(order.slice(k * B, (k + 1) * B).map((i) => data.train[i]), data, cfg.model, new Rng(e * 100003 + k), 'pair');
        Object.assign(feeds, await teacherFeats(ndarray('float32', shape, b.lq), ndarray('float32', shape, pair.ref)));
      }
      tot += (await step.run(feeds)).loss;
    }
    return `${name} epoch ${e}: loss ${(tot / steps).toFixed(5)} (${((Date.now() - t0) / 1000).toFixed(1)} s)`;
  });
  await step.release();
  net.eval();
}

async function evaluate(role: 'teacher' | 'student', net: Cvrkd, data: LoadedData, cfg: CvrkdTrainConfig, session: SessionOptions): Promise<CvrkdEval> {
  const metric = await createCvrkd({ session, role, weights: { tensors: net.stateDict(), config: cfg.model }, referencePool: data.trainRefs.map((r) => r.image), rounds: cfg.eval?.rounds ?? 10, seed: cfg.eval?.seed ?? 0 });
  const pred: number[] = [];
  let spread = 0;
  for (const s of data.test) {
    const r = (await metric.compute(s.distImage, role === 'teacher' ? s.refImage : undefined)) as { score: number; spread: number };
    pred.push(r.score);
    spread += r.spread;
  }
  await metric.dispose?.();
  const mos = data.test.map((s) => s.score);
  const l4 = correlate(pred, mos, { fits: ['logistic4'] }).logistic4?.plcc ?? NaN;
  return { role, srcc: srcc(pred, mos), plcc: pearson(pred, mos), plccLogistic4: l4, meanSpread: spread / data.test.length, n: data.test.length };
}

/** Teacher, then student; weights and metrics in `out`. */
export async function trainCvrkd(cfg: CvrkdTrainConfig, log: (s: string) => void = () => {}): Promise<{ teacher: Cvrkd; student: Cvrkd; results: CvrkdEval[] }> {
  const session = runtimeOptions(cfg, 'trainCvrkd');
  await mkdir(cfg.out, { recursive: true });
  const data = await loadTrainingData(cfg.data, 'imagenet');
  const meta = { config: JSON.stringify(cfg.model), range: JSON.stringify(data.range) };

  const teacher = new Cvrkd({ ...cfg.model, seed: cfg.model.seed ?? 0 });
  const tc = cfg.teacher;
  const boost = (e: number) => (e < (tc.boostEpochs ?? 21) ? (tc.headBoost ?? 10) : 1);
  await runStage('teacher', teacher, tc, data, cfg, null, null, (e) => tc.lr * boost(e), log, session);
  await writeWeights(join(cfg.out, 'teacher.safetensors'), teacher.stateDict(), 'F16', meta);

  // frozen teacher features for distillation
  const { patches: m, patchSize: p } = cfg.model;
  const sc = cfg.student;
  const shape = [sc.batch, m, 3, p, p];
  const tg = new Graph();
  const tout = teacher.run(tg.input('lq', shape), tg.input('ref', shape));
  const nDistil = sc.distillLayers === 'official' ? Math.min(2 * cfg.model.depth, cfg.model.depth + 2) : 2 * cfg.model.depth;
  const touts: Record<string, Tensor> = {};
  tout.diffInner.slice(0, nDistil).forEach((f, i) => (touts[`tf${i}`] = f));
  const tsess = await compile(touts, session);
  const teacherFeats = async (lq: NdArray, ref: NdArray) => tsess.run({ lq, ref });

  const student = new Cvrkd({ ...cfg.model, seed: (cfg.model.seed ?? 0) + 1 });
  const w = sc.distillWeight ?? 1;
  const distil = (g: Graph, inner: Tensor[]) =>
    inner.slice(0, nDistil).map((f, i) => {
      const d = sub(f, g.input(`tf${i}`, f.shape));
      return mul(sum(mul(d, d)), w / f.size);
    }).reduce((a, b) => add(a, b));
  await runStage('student', student, sc, data, cfg, distil, teacherFeats, (e) => sc.lr * 0.1 ** Math.floor(e / (sc.decayEvery ?? 30)), log, session);
  await tsess.release();
  await writeWeights(join(cfg.out, 'student.safetensors'), student.stateDict(), 'F16', meta);

  const results = [await evaluate('teacher', teacher, data, cfg, session), await evaluate('student', student, data, cfg, session)];
  await writeFile(join(cfg.out, 'metrics.json'), JSON.stringify({ results, testContents: data.testContents, distilled: nDistil }, null, 1));
  for (const r of results) log(`test ${r.role}: SRCC ${r.srcc.toFixed(4)} PLCC ${r.plcc.toFixed(4)} PLCC(logistic4) ${r.plccLogistic4.toFixed(4)} spread ${r.meanSpread.toFixed(4)} (n = ${r.n})`);
  return { teacher, student, results };
}
