/**
 * Training for the NR models from a JSON config (configs/qfm-iqm-*.json, configs/mfenet-*.json):
 *   trainFromConfig(path) -> trains, evaluates on the held-out contents, writes `<out>/weights.safetensors` (fp16)
 *   and `<out>/result.json`. Data: a generic synth CSV (`ref,dist,score,std,type,level,content`), split by content.
 * QFM-IQM (§3.6): stage A with MOS-stratified batches, quality-matched / semantically farthest partners from a frozen
 * copy of the initial encoder (f_0), semantic perturbation + consistency and matching losses; stage B (distillation):
 * a re-initialised student on the labelled set plus teacher-labelled images of an unlabelled set restricted to the
 * training contents (leakage rule enforced here). Optional (§3.6, off by default): one FGSM step on ε per anchor
 * (`qfm.advEps`, inside the train graph) and the contrastive term L_con with negatives mined like the partners
 * (`qfm.lambdaCon`, `mineNegatives`).
 * MFENet (§4.6): SupCon pre-training of the DAN on distortion type+level (positives), then the multi-task loss
 * with the DAN frozen.
 * `ep: 'webgpu'` runs every training step and evaluation graph on onnxruntime's WebGPU EP (src/train/runtime.ts);
 * `train.maxStepsPerEpoch` caps an epoch's batches (the LR schedule follows the cap) and `train.maxSeconds` stops each
 * stage at its first epoch end past that wall time (then the next stage or the evaluation runs).
 * Every stage checkpoints after each epoch (`<out>/checkpoint-<stage>.safetensors`, atomic); rerunning a killed run
 * resumes it and ends with the same weights.
 * Design deviations are listed in docs/models-nr.md.
 */
import { parse as parseCsv } from 'csv-parse/sync';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { Graph, type Tensor } from '../engine/graph/graph.js';
import { sum } from '../engine/ops/index.js';
import { adamw } from '../engine/optim/optimizer.js';
import { cosineLr, warmup } from '../engine/optim/schedule.js';
import { TrainStep } from '../engine/optim/train-step.js';
import { Rng } from '../engine/rng.js';
import { compile } from '../engine/runtime/index.js';
import { correlate, quantile } from '../eval/correlation.js';
import { makeSplits } from '../eval/splits.js';
import { readImage } from '../io/decode.js';
import { readSafetensorsFile, serializeSafetensors } from '../io/safetensors.js';
import { existsSync } from 'node:fs';
import { Mfenet } from '../models/mfenet/mfenet.js';
import { ProjectionHead, mfenetLoss, supConLoss } from '../models/mfenet/mfenet-loss.js';
import { cropInto, cropPositions, laplacianTarget, normaliseImage, randomCrop, type NormImage } from '../models/nr-data.js';
import { buildNrModel, saveNrModelBytes, type NrModel, type NrModelKind } from '../models/nr-models.js';
import { patchMean, QfmIqm } from '../models/qfm/qfm-iqm.js';
import { qfmLoss } from '../models/qfm/qfm-loss.js';
import { IqaError, expected } from '../tensor/errors.js';
import { ndarray, type NdArray } from '../tensor/ndarray.js';
import { resumableEpochs } from './model-checkpoint.js';
import { runtimeOptions, type RuntimeConfig } from './runtime.js';
import type { SessionOptions } from '../engine/runtime/session.js';

/** `<out>/checkpoint-<stage>.safetensors`, one per training stage. */
const stageCheckpoint = (out: string, stage: string): string => resolve(out, `checkpoint-${stage.replace(/[^a-z0-9]+/gi, '-')}.safetensors`);

export interface NrTrainConfig extends RuntimeConfig {
  kind: NrModelKind;
  /** 'paper' or 'cpu' preset, overridden by `model` fields (QfmConfig / MfenetConfig). */
  preset: 'paper' | 'cpu';
  model: Record<string, unknown>;
  data: {
    csv: string;
    /** fraction of contents held out for the test (default 0.25) */
    testFraction?: number;
    seed?: number;
    /** crop side (paper 224) */
    crop: number;
    /** MOS range for normalisation to [0, 1] (default: the KADID 1..5 scale of synth labels) */
    mosRange?: [number, number];
  };
  train: {
    epochs: number;
    batch: number;
    lr: number;
    weightDecay: number;
    warmupSteps?: number;
    clip?: number;
    seed?: number;
    /** at most this many batches per epoch (default: all); the LR schedule counts the capped steps */
    maxStepsPerEpoch?: number;
    /** each training stage stops at its first epoch end past this many seconds (default: no limit) */
    maxSeconds?: number;
    /** VAN learning-rate multiplier (MFENet; the design uses 0.1 with ImageNet weights) */
    backboneLrMult?: number;
  };
  /** QFM-IQM loss terms and distillation (λ = 0 / absent switches a component off). */
  qfm?: {
    lambdaSens: number;
    lambdaMatch: number;
    tauQ: number;
    eps: number;
    /** §3.6 step 4: one FGSM step on ε per anchor, ε_i = clip(ε + η·sign(∂L_q/∂ε_i), 0, max) (design: η 0.05, max 0.3); null / absent = fixed ε */
    advEps?: { eta: number; max: number } | null;
    /** λ_c of the contrastive term L_con (design 0.1; 0 / absent = off) */
    lambdaCon?: number;
    /** L_con margin m (default 0.5) */
    conMargin?: number;
    /** negatives need cos(s_i, s_k) ≥ this quantile of the batch's pairwise semantic similarities (default 0.75: top quartile) */
    conTauQuantile?: number;
    /** negatives need |y_i − y_k| ≥ this (default 0.2) */
    conMinDy?: number;
    distill?: {
      csv: string;
      lambdaKd: number;
      /** λ_f of MSE(z_student, z_teacher), z_teacher the image's mean pooled gated feature over the pseudo-label crops (0 / absent = off; design 0.1) */
      lambdaF?: number;
      epochs?: number;
      /** crops per teacher pseudo-label (default eval crops) */
      crops?: number;
    } | null;
  };
  /** MFENet auxiliary losses and DAN pre-training. */
  mfenet?: {
    lambdaCls: number;
    lambdaHf: number;
    danPretrain?: { epochs: number; batch: number; lr: number; temperature: number; maxStepsPerEpoch?: number } | null;
    /** DAN weights file: loaded when it exists (pre-training skipped), else written after pre-training */
    danWeights?: string;
  };
  eval?: { crops?: number; seed?: number };
  out: string;
}

export interface NrTrainResult {
  kind: NrModelKind;
  name: string;
  test: { n: number; srcc: number; plcc: number; krcc: number };
  trainImages: number;
  testContents: string[];
  seconds: number;
  weights: string;
}

interface Sample {
  img: NormImage;
  y: number;
  typeIdx: number;
  level: number;
  content: string;
}

type Log = (s: string) => void;

async function readSynthCsv(csv: string, mos: [number, number], types: Map<string, number>): Promise<(Omit<Sample, 'img'> & { path: string })[]> {
  const rows = parseCsv(await readFile(csv, 'utf8'), { columns: true, skip_empty_lines: true }) as Record<string, string>[];
  const base = dirname(resolve(csv));
  if (!rows.length || !('dist' in rows[0]) || !('content' in rows[0])) throw expected('trainFromConfig', `data csv ${csv}`, 'columns dist, score, type, level, content', Object.keys(rows[0] ?? {}).join(', ') || 'no rows', 'E_FORMAT');
  return rows.map((r) => {
    if (!types.has(r.type)) types.set(r.type, types.size);
    return { path: resolve(base, r.dist), y: (Number(r.score) - mos[0]) / (mos[1] - mos[0]), typeIdx: types.get(r.type)!, level: Number(r.level), content: r.content };
  });
}

async function loadSamples(rows: (Omit<Sample, 'img'> & { path: string })[]): Promise<Sample[]> {
  const out: Sample[] = [];
  for (const r of rows) out.push({ ...r, img: normaliseImage(await readImage(r.path)) });
  return out;
}

function shuffle<T>(a: T[], rng: Rng): T[] {
  for (let i = a.length - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    [a[i], a[j]] = [a[j], a[i]];
  }
  return a;
}

/**
 * MOS-stratified batches (§3.6 step 2): sort by MOS, cut into buckets of `batch / 2` neighbours, and fill each batch
 * with two random buckets' worth of items so quality-matched candidates exist within the batch.
 */
function stratifiedBatches(ys: readonly number[], batch: number, rng: Rng): number[][] {
  const order = ys.map((y, i) => [y + 1e-9 * rng.uniform(), i] as const).sort((a, b) => a[0] - b[0]).map(([, i]) => i);
  const half = Math.max(1, batch >> 1);
  const buckets: number[][] = [];
  for (let i = 0; i + half <= order.length; i += half) buckets.push(shuffle(order.slice(i, i + half), rng));
  shuffle(buckets, rng);
  const out: number[][] = [];
  for (let i = 0; i + 1 < buckets.length; i += 2) out.push([...buckets[i], ...buckets[i + 1]]);
  return out;
}

function plainBatches(n: number, batch: number, rng: Rng): number[][] {
  const idx = shuffle(Array.from({ length: n }, (_, i) => i), rng);
  const out: number[][] = [];
  for (let i = 0; i + batch <= n; i += batch) out.push(idx.slice(i, i + batch));
  return out;
}

/** cos(a, b) of two feature vectors. */
function cosine(a: Float32Array, b: Float32Array): number {
  let ab = 0;
  let aa = 0;
  let bb = 0;
  for (let k = 0; k < a.length; k++) {
    ab += a[k] * b[k];
    aa += a[k] * a[k];
    bb += b[k] * b[k];
  }
  return ab / Math.sqrt(aa * bb + 1e-12);
}

/** Partner j*(i): among |y_i − y_j| ≤ τ_q (j ≠ i), the largest 1 − cos(s_i, s_j); none -> i with mask 0. */
export function minePartners(ys: readonly number[], sem: readonly Float32Array[], tauQ: number): { partner: number[]; mask: number[] } {
  const n = ys.length;
  const partner: number[] = [];
  const mask: number[] = [];
  for (let i = 0; i < n; i++) {
    let best = -1;
    let bestD = -Infinity;
    for (let j = 0; j < n; j++) {
      if (j === i || Math.abs(ys[i] - ys[j]) > tauQ) continue;
      const d = 1 - cosine(sem[i], sem[j]);
      if (d > bestD) [best, bestD] = [j, d];
    }
    partner.push(best < 0 ? i : best);
    mask.push(best < 0 ? 0 : 1);
  }
  return { partner, mask };
}

/**
 * L_con negatives (§3.6, "Optional contrastive term"; v1 framing "similar semantics, different quality"): the ordered
 * pairs (i, k), i ≠ k, with cos(s_i, s_k) ≥ τ_s and |y_i − y_k| ≥ minDy, where τ_s is the `quantile` (numpy 'linear')
 * of the batch's B(B−1)/2 pairwise similarities (0.75: the top quartile). Returns the row-major [B, B] weights the
 * loss takes (1/#pairs at each pair, so L_con is the mean over pairs; all 0 when none), the pair count and τ_s.
 */
export function mineNegatives(ys: readonly number[], sem: readonly Float32Array[], quantileQ: number, minDy: number): { weight: Float32Array; pairs: number; tau: number } {
  const n = ys.length;
  const sim = new Float64Array(n * n);
  const upper: number[] = [];
  for (let i = 0; i < n; i++) {
    for (let k = i + 1; k < n; k++) {
      sim[i * n + k] = sim[k * n + i] = cosine(sem[i], sem[k]);
      upper.push(sim[i * n + k]);
    }
  }
  const tau = quantile(upper.sort((a, b) => a - b), quantileQ);
  const weight = new Float32Array(n * n);
  let pairs = 0;
  for (let i = 0; i < n; i++) for (let k = 0; k < n; k++) if (k !== i && sim[i * n + k] >= tau && Math.abs(ys[i] - ys[k]) >= minDy) (weight[i * n + k] = 1, pairs++);
  if (pairs) weight.forEach((v, j) => (weight[j] = v / pairs));
  return { weight, pairs, tau };
}

/**
 * The graph `build` makes from a [crops, 3, crop, crop] input, in eval mode, run on each sample's `crops` seeded
 * random crops as one batch, its outputs handed to `each`: the test protocol of `predict` and the stage-B targets.
 */
async function overCrops(model: NrModel, build: (x: Tensor) => Record<string, Tensor>, samples: readonly Sample[], crop: number, crops: number, seed: number, session: SessionOptions, each: (r: Record<string, NdArray>) => void): Promise<void> {
  model.eval();
  const net = await compile(build(new Graph().input('x', [crops, 3, crop, crop])), session);
  const x = new Float32Array(crops * 3 * crop * crop);
  for (const s of samples) {
    cropPositions(s.img.height, s.img.width, crop, crops, new Rng(seed)).forEach(([t, l], b) => cropInto(s.img, t, l, crop, x, b));
    each(await net.run({ x: ndarray('float32', [crops, 3, crop, crop], x) }));
  }
  await net.release();
  model.train();
}

/**
 * The teacher's 10-crop mean score and mean pooled gated feature z (patchMean of T') per image, on the same crops as
 * `predict` (stage B targets: pseudo-labels and the feature-distillation target).
 */
async function teacherTargets(model: QfmIqm, samples: readonly Sample[], crop: number, crops: number, seed: number, session: SessionOptions): Promise<{ y: number[]; z: Float32Array[] }> {
  const y: number[] = [];
  const z: Float32Array[] = [];
  const build = (x: Tensor) => {
    const t = model.tokens(x);
    return { y: model.panel.score(t), z: patchMean(t) };
  };
  await overCrops(model, build, samples, crop, crops, seed, session, (r) => {
    y.push((r.y.data as Float32Array).reduce((a, v) => a + v, 0) / crops);
    const zs = r.z.data as Float32Array;
    const d = zs.length / crops;
    const m = new Float32Array(d);
    for (let k = 0; k < crops; k++) for (let j = 0; j < d; j++) m[j] += zs[k * d + j] / crops;
    z.push(m);
  });
  return { y, z };
}

/** Predictions for `samples` averaged over `crops` seeded random crops (eval mode, batches of `crops`). */
async function predict(model: NrModel, samples: readonly Sample[], crop: number, crops: number, seed: number, session: SessionOptions): Promise<number[]> {
  const out: number[] = [];
  await overCrops(model, (x) => ({ y: model.forward(x) }), samples, crop, crops, seed, session, (r) =>
    out.push((r.y.data as Float32Array).reduce((a, v) => a + v, 0) / crops),
  );
  return out;
}

/** Frozen semantic encoder f_0: the CLS token of the initial (ImageNet-pretrained at paper size) encoder, centre crops. */
async function semanticFeatures(model: QfmIqm, samples: readonly Sample[], crop: number, session: SessionOptions): Promise<Float32Array[]> {
  const b = 16;
  const g = new Graph();
  const enc = model.encoder;
  enc.eval();
  const f = enc.features(g.input('x', [b, 3, crop, crop]));
  const net = await compile({ t: f[f.length - 1] }, session);
  const out: Float32Array[] = [];
  for (let i = 0; i < samples.length; i += b) {
    const x = new Float32Array(b * 3 * crop * crop);
    const part = samples.slice(i, i + b);
    part.forEach((s, k) => cropInto(s.img, (s.img.height - crop) >> 1, (s.img.width - crop) >> 1, crop, x, k));
    const t = (await net.run({ x: ndarray('float32', [b, 3, crop, crop], x) })).t;
    const [, l, c] = t.shape;
    part.forEach((_, k) => out.push(Float32Array.from((t.data as Float32Array).subarray(k * l * c, k * l * c + c))));
  }
  await net.release();
  enc.train();
  return out;
}

/** Batches per epoch under `train.maxStepsPerEpoch`. */
const capSteps = (n: number, cap: number | undefined): number => Math.min(n, cap ?? Infinity);

async function trainQfm(cfg: NrTrainConfig, train: Sample[], unlabelled: Sample[], log: Log, session: SessionOptions): Promise<QfmIqm> {
  const q = cfg.qfm ?? { lambdaSens: 0, lambdaMatch: 0, tauQ: 0.05, eps: 0.1 };
  const crop = cfg.data.crop;
  const fresh = () => buildNrModel('qfm-iqm', cfg.model, cfg.preset) as QfmIqm;
  const sem = await semanticFeatures(fresh(), [...train, ...unlabelled], crop, session);

  const stage = async (model: QfmIqm, items: Sample[], ys: number[], wq: number[], teacher: number[] | null, epochs: number, label: string, teacherZ: Float32Array[] | null = null) => {
    const B = cfg.train.batch;
    const rng = new Rng(cfg.train.seed ?? 0);
    const steps = epochs * capSteps(Math.floor(items.length / B), cfg.train.maxStepsPerEpoch);
    const lk = teacher ? cfg.qfm?.distill?.lambdaKd ?? 1 : 0;
    const lf = teacherZ ? cfg.qfm?.distill?.lambdaF ?? 0 : 0;
    const zDim = teacherZ?.[0]?.length ?? 0;
    const lc = q.lambdaCon ?? 0;
    const adv = q.advEps && q.lambdaSens > 0 ? q.advEps : null;
    const step = await TrainStep.create({
      build: (g) => {
        const inp = {
          x: g.input('x', [B, 3, crop, crop]), y: g.input('y', [B, 1]), partner: g.input('partner', [B], 'int64'), mask: g.input('mask', [B, 1]), eps: g.input('eps', [B, 1]),
          wq: g.input('wq', [B, 1]), yt: lk > 0 ? g.input('yt', [B, 1]) : undefined, conW: lc > 0 ? g.input('conW', [B, B]) : undefined,
          zt: lf > 0 ? g.input('zt', [B, zDim]) : undefined,
        };
        const r = qfmLoss(model, inp, { sens: q.lambdaSens, match: q.lambdaMatch, kd: lk, advEps: adv, con: lc, conMargin: q.conMargin ?? 0.5, feat: lf });
        // the batch mean of the refined ε, for the epoch log (only when the refinement is on)
        return { loss: r.loss, stop: r.stop, outputs: adv ? { epsAdv: sum(r.parts.epsAdv) } : undefined };
      },
      params: model.trainableParameters(),
      optimizer: adamw({ weightDecay: cfg.train.weightDecay }),
      lr: warmup(cfg.train.warmupSteps ?? Math.ceil(steps / 10), cosineLr(cfg.train.lr, steps)),
      clipGradNorm: cfg.train.clip ?? 5,
      seed: cfg.train.seed ?? 0,
      session,
    });
    log(`${label}: training step on '${step.executionProvider}'`);
    await resumableEpochs(stageCheckpoint(cfg.out, label), label, step, rng, epochs, log, async (e) => {
      let total = 0;
      let epsSum = 0;
      let conPairs = 0;
      const batches = stratifiedBatches(ys, B, rng).slice(0, cfg.train.maxStepsPerEpoch);
      for (const bi of batches) {
        const x = new Float32Array(B * 3 * crop * crop);
        bi.forEach((i, k) => randomCrop(items[i].img, crop, rng, x, k));
        const byv = bi.map((i) => ys[i]);
        const { partner, mask } = minePartners(byv, bi.map((i) => sem[i]), q.tauQ);
        const feeds: Record<string, NdArray> = {
          x: ndarray('float32', [B, 3, crop, crop], x), y: ndarray('float32', [B, 1], byv), partner: ndarray('int64', [B], BigInt64Array.from(partner.map(BigInt))),
          mask: ndarray('float32', [B, 1], mask), eps: ndarray('float32', [B, 1], new Float32Array(B).fill(q.eps)), wq: ndarray('float32', [B, 1], bi.map((i) => wq[i])),
          ...(lk > 0 && teacher ? { yt: ndarray('float32', [B, 1], bi.map((i) => teacher[i])) } : {}),
        };
        if (lf > 0 && teacherZ) {
          const zt = new Float32Array(B * zDim);
          bi.forEach((i, k) => zt.set(teacherZ[i], k * zDim));
          feeds.zt = ndarray('float32', [B, zDim], zt);
        }
        if (lc > 0) {
          // negatives from the frozen f_0 features, as the partners (no random choice)
          const neg = mineNegatives(byv, bi.map((i) => sem[i]), q.conTauQuantile ?? 0.75, q.conMinDy ?? 0.2);
          feeds.conW = ndarray('float32', [B, B], neg.weight);
          conPairs += neg.pairs;
        }
        const r = await step.run(feeds);
        total += r.loss;
        if (adv) epsSum += Number(r.outputs.epsAdv.data[0]);
      }
      const n = Math.max(1, batches.length);
      const extra = `${adv ? `, mean refined ε ${(epsSum / n / B).toFixed(3)}` : ''}${lc > 0 ? `, L_con pairs/batch ${(conPairs / n).toFixed(1)}` : ''}`;
      return `${label} epoch ${e + 1}/${epochs}: loss ${(total / n).toFixed(4)} (${step.step}/${steps} steps${extra})`;
    }, { maxSeconds: cfg.train.maxSeconds });
    await step.release();
    return model;
  };

  const ys = train.map((s) => s.y);
  const teacher = await stage(fresh(), train, ys, ys.map(() => 1), null, cfg.train.epochs, 'qfm stage A');
  const d = cfg.qfm?.distill;
  if (!d || !unlabelled.length) return teacher;
  // Stage B: teacher pseudo-labels (10-crop means) on the unlabelled training-content images; student re-initialised
  const crops = d.crops ?? cfg.eval?.crops ?? 10;
  const all = [...train, ...unlabelled];
  // the same crops (seed 1) as the scores: one teacher pass gives both targets
  const tt = await teacherTargets(teacher, all, crop, crops, 1, session);
  const feat = (d.lambdaF ?? 0) > 0;
  const pseudo = tt.y.slice(train.length);
  const yAll = [...ys, ...pseudo];
  const wq = [...train.map(() => 1), ...unlabelled.map(() => 0)];
  log(`qfm stage B: ${train.length} labelled + ${unlabelled.length} teacher-labelled images${feat ? `, feature distillation λ_f ${d.lambdaF}` : ''}`);
  // the semantic features were computed for train followed by unlabelled: same order as `all`
  return stage(fresh(), all, yAll, wq, tt.y, d.epochs ?? cfg.train.epochs, 'qfm stage B', feat ? tt.z : null);
}

async function pretrainDan(cfg: NrTrainConfig, model: Mfenet, train: Sample[], log: Log, session: SessionOptions): Promise<void> {
  const p = cfg.mfenet?.danPretrain;
  if (!model.dan || !p) return;
  const dan = model.dan;
  const cache = cfg.mfenet?.danWeights;
  if (cache && existsSync(cache)) {
    dan.loadStateDict(Object.fromEntries(Object.entries((await readSafetensorsFile(cache, 'DAN weights')).tensors).map(([k, v]) => [k.replace(/^dan\./, ''), v])) as never);
    log(`mfenet DAN: contrastive weights loaded from ${cache}`);
    return;
  }
  const crop = cfg.data.crop;
  const B = p.batch;
  const rng = new Rng((cfg.train.seed ?? 0) + 7);
  const last = dan.stageChannels[dan.stageChannels.length - 1];
  const head = new ProjectionHead(last, Math.min(128, last), rng);
  dan.freeze(false).train(true);
  const steps = p.epochs * capSteps(Math.floor(train.length / B), p.maxStepsPerEpoch);
  const step = await TrainStep.create({
    build: (g) => supConLoss(dan, head, g.input('x', [B, 3, crop, crop]), g.input('pos', [B, B]), p.temperature),
    params: [...dan.trainableParameters(), ...head.trainableParameters()],
    optimizer: adamw({ weightDecay: 1e-4 }),
    lr: cosineLr(p.lr, steps),
    seed: cfg.train.seed ?? 0,
    session,
  });
  log(`mfenet DAN SupCon: training step on '${step.executionProvider}'`);
  await resumableEpochs(stageCheckpoint(cfg.out, 'mfenet DAN SupCon'), 'mfenet DAN SupCon', step, rng, p.epochs, log, async (e) => {
    let sum = 0;
    const batches = plainBatches(train.length, B, rng).slice(0, p.maxStepsPerEpoch);
    for (const bi of batches) {
      const x = new Float32Array(B * 3 * crop * crop);
      bi.forEach((i, k) => randomCrop(train[i].img, crop, rng, x, k));
      // positives: same distortion type and level, other images; rows normalised (SupCon mean over positives)
      const pos = new Float32Array(B * B);
      bi.forEach((i, a) => {
        const js = bi.map((j, b) => (b !== a && train[j].typeIdx === train[i].typeIdx && train[j].level === train[i].level ? b : -1)).filter((b) => b >= 0);
        for (const b of js) pos[a * B + b] = 1 / js.length;
      });
      sum += (await step.run({ x: ndarray('float32', [B, 3, crop, crop], x), pos: ndarray('float32', [B, B], pos) })).loss;
    }
    return `mfenet DAN SupCon epoch ${e + 1}/${p.epochs}: loss ${(sum / Math.max(1, batches.length)).toFixed(4)}`;
  }, { maxSeconds: cfg.train.maxSeconds });
  await step.release();
  dan.freeze(true);
  if (cache) {
    await mkdir(dirname(cache), { recursive: true });
    await writeFile(cache, serializeSafetensors(dan.stateDict()));
  }
  model.train(true); // keeps the DAN in eval mode
}

async function trainMfenet(cfg: NrTrainConfig, train: Sample[], numTypes: number, log: Log, session: SessionOptions): Promise<Mfenet> {
  const model = buildNrModel('mfenet', { numClasses: numTypes, ...cfg.model }, cfg.preset) as Mfenet;
  await pretrainDan(cfg, model, train, log, session);
  model.namedTensors(); // sub-module calls above named the DAN's parameters locally: restore the full names
  const m = cfg.mfenet ?? { lambdaCls: 0, lambdaHf: 0 };
  const crop = cfg.data.crop;
  const B = cfg.train.batch;
  const K = model.cfg.numClasses;
  const rng = new Rng(cfg.train.seed ?? 0);
  const steps = cfg.train.epochs * capSteps(Math.floor(train.length / B), cfg.train.maxStepsPerEpoch);
  model.train(true); // before building the graph: train-mode BN everywhere but the frozen DAN
  const vanParams = new Set(model.qen.trainableParameters());
  const step = await TrainStep.create({
    build: (g) => mfenetLoss(model, g.input('x', [B, 3, crop, crop]), g.input('y', [B, 1]), K && m.lambdaCls > 0 ? g.input('onehot', [B, K]) : null, model.hfen && m.lambdaHf > 0 ? g.input('hf', [B, 1, crop, crop]) : null, { cls: m.lambdaCls, hf: m.lambdaHf }).loss,
    params: [
      { params: [...vanParams], lrMult: cfg.train.backboneLrMult ?? 1 },
      { params: model.trainableParameters().filter((p) => !vanParams.has(p)) },
    ],
    optimizer: adamw({ weightDecay: cfg.train.weightDecay }),
    lr: warmup(cfg.train.warmupSteps ?? Math.ceil(steps / 10), cosineLr(cfg.train.lr, steps)),
    clipGradNorm: cfg.train.clip,
    seed: cfg.train.seed ?? 0,
    session,
  });
  log(`mfenet: training step on '${step.executionProvider}'`);
  model.train(true);
  await resumableEpochs(stageCheckpoint(cfg.out, 'mfenet'), 'mfenet', step, rng, cfg.train.epochs, log, async (e) => {
    let sum = 0;
    const batches = plainBatches(train.length, B, rng).slice(0, cfg.train.maxStepsPerEpoch);
    for (const bi of batches) {
      const x = new Float32Array(B * 3 * crop * crop);
      bi.forEach((i, k) => randomCrop(train[i].img, crop, rng, x, k));
      const feeds: Record<string, ReturnType<typeof ndarray>> = { x: ndarray('float32', [B, 3, crop, crop], x), y: ndarray('float32', [B, 1], bi.map((i) => train[i].y)) };
      if (K && m.lambdaCls > 0) {
        const oh = new Float32Array(B * K);
        bi.forEach((i, k) => (oh[k * K + Math.min(K - 1, train[i].typeIdx)] = 1));
        feeds.onehot = ndarray('float32', [B, K], oh);
      }
      if (model.hfen && m.lambdaHf > 0) {
        const hf = new Float32Array(B * crop * crop);
        for (let k = 0; k < B; k++) laplacianTarget(x, k, crop, hf);
        feeds.hf = ndarray('float32', [B, 1, crop, crop], hf);
      }
      sum += (await step.run(feeds)).loss;
    }
    return `mfenet epoch ${e + 1}/${cfg.train.epochs}: loss ${(sum / Math.max(1, batches.length)).toFixed(4)}`;
  }, { maxSeconds: cfg.train.maxSeconds });
  await step.release();
  return model;
}

/** The QFM options' ranges (an out-of-range value would silently train something else). */
function checkQfmOptions(q: NrTrainConfig['qfm'], where: string): void {
  if (!q) return;
  const bad = (what: string, want: string, got: unknown) => expected('trainFromConfig', `${where}: qfm.${what}`, want, JSON.stringify(got), 'E_CONFIG');
  if (q.advEps != null && !(Number.isFinite(q.advEps.eta) && q.advEps.eta >= 0 && Number.isFinite(q.advEps.max) && q.advEps.max >= 0)) throw bad('advEps', '{ eta ≥ 0, max ≥ 0 } or null', q.advEps);
  if (q.lambdaCon !== undefined && !(q.lambdaCon >= 0)) throw bad('lambdaCon', 'a number ≥ 0', q.lambdaCon);
  if (q.conTauQuantile !== undefined && !(q.conTauQuantile >= 0 && q.conTauQuantile <= 1)) throw bad('conTauQuantile', 'a quantile in [0, 1]', q.conTauQuantile);
  if (q.conMinDy !== undefined && !(q.conMinDy >= 0)) throw bad('conMinDy', 'a number ≥ 0', q.conMinDy);
  if (q.conMargin !== undefined && !(q.conMargin > 0)) throw bad('conMargin', 'a number > 0', q.conMargin);
  if (q.distill?.lambdaF !== undefined && !(q.distill.lambdaF >= 0)) throw bad('distill.lambdaF', 'a number ≥ 0', q.distill.lambdaF);
}

/** Reads, validates and resolves a config: paths relative to the config file. */
export async function readNrConfig(path: string): Promise<NrTrainConfig> {
  let cfg: NrTrainConfig;
  try {
    cfg = JSON.parse(await readFile(path, 'utf8')) as NrTrainConfig;
  } catch (e) {
    throw new IqaError(`trainFromConfig: config ${path}: expected a readable JSON file, got ${(e as Error).message}`, 'E_CONFIG', { cause: e });
  }
  if (cfg.kind !== 'qfm-iqm' && cfg.kind !== 'mfenet') throw expected('trainFromConfig', `config ${path}: kind`, "'qfm-iqm' or 'mfenet'", String(cfg.kind), 'E_CONFIG');
  for (const k of ['data', 'train', 'out'] as const) if (!cfg[k]) throw expected('trainFromConfig', `config ${path}`, `a '${k}' field`, 'none', 'E_CONFIG');
  const base = dirname(resolve(path));
  cfg.data.csv = resolve(base, cfg.data.csv);
  cfg.out = resolve(base, cfg.out);
  if (cfg.qfm?.distill) cfg.qfm.distill.csv = resolve(base, cfg.qfm.distill.csv);
  if (cfg.mfenet?.danWeights) cfg.mfenet.danWeights = resolve(base, cfg.mfenet.danWeights);
  cfg.preset ??= 'cpu';
  cfg.model ??= {};
  return cfg;
}

/**
 * Trains the model a config describes, evaluates it on the held-out contents and writes the weights and result.
 * @example const r = await trainFromConfig('configs/qfm-iqm-cpu.json'); console.log(r.test.srcc);
 */
export async function trainFromConfig(path: string | NrTrainConfig, log: Log = (s) => console.error(s)): Promise<NrTrainResult> {
  const cfg = typeof path === 'string' ? await readNrConfig(path) : path;
  if (cfg.kind === 'qfm-iqm') checkQfmOptions(cfg.qfm, typeof path === 'string' ? `config ${path}` : 'config');
  const session = runtimeOptions(cfg, 'trainFromConfig');
  const limits: [string, unknown][] = [['train.maxStepsPerEpoch', cfg.train.maxStepsPerEpoch], ['train.maxSeconds', cfg.train.maxSeconds], ['mfenet.danPretrain.maxStepsPerEpoch', cfg.mfenet?.danPretrain?.maxStepsPerEpoch]];
  for (const [k, v] of limits) if (v !== undefined && !(typeof v === 'number' && v > 0)) throw expected('trainFromConfig', k, 'a number > 0', JSON.stringify(v), 'E_CONFIG');
  const t0 = performance.now();
  const types = new Map<string, number>();
  const mos = cfg.data.mosRange ?? [1, 5];
  const rows = await readSynthCsv(cfg.data.csv, mos, types);
  const split = makeSplits({ name: 'nr-train', kind: 'synthetic', items: rows.map((r) => ({ dist: r.path, score: r.y, content: r.content, meta: {} })) }, {
    by: 'content', ratios: { train: 1 - (cfg.data.testFraction ?? 0.25), val: 0, test: cfg.data.testFraction ?? 0.25 }, seed: cfg.data.seed ?? 0, repeats: 1,
  }).splits[0];
  const train = await loadSamples(split.train.map((i) => rows[i]));
  const test = await loadSamples(split.test.map((i) => rows[i]));
  const testContents = [...new Set(test.map((s) => s.content))].sort();
  log(`${cfg.kind}: ${train.length} training / ${test.length} test images (${testContents.length} held-out contents)`);

  let model: NrModel;
  if (cfg.kind === 'qfm-iqm') {
    let unlabelled: Sample[] = [];
    if (cfg.qfm?.distill) {
      // leakage rule (§3.6): only contents of the training split, never test contents
      const trainContents = new Set(train.map((s) => s.content));
      const u = (await readSynthCsv(cfg.qfm.distill.csv, mos, new Map())).filter((r) => trainContents.has(r.content));
      unlabelled = await loadSamples(u);
    }
    model = await trainQfm(cfg, train, unlabelled, log, session);
  } else model = await trainMfenet(cfg, train, types.size, log, session);

  const pred = await predict(model, test, cfg.data.crop, cfg.eval?.crops ?? 10, cfg.eval?.seed ?? 0, session);
  const c = correlate(pred, test.map((s) => s.y), { fits: [] });
  await mkdir(cfg.out, { recursive: true });
  const weights = resolve(cfg.out, 'weights.safetensors');
  await writeFile(weights, saveNrModelBytes(cfg.kind, model, cfg.data.crop));
  const result: NrTrainResult = {
    kind: cfg.kind, name: cfg.out.split('/').pop() ?? cfg.kind, test: { n: c.n, srcc: c.srcc, plcc: c.plcc, krcc: c.krcc },
    trainImages: train.length, testContents, seconds: (performance.now() - t0) / 1000, weights,
  };
  await writeFile(resolve(cfg.out, 'result.json'), JSON.stringify(result, null, 2));
  log(`${cfg.kind} ${result.name}: test SRCC ${c.srcc.toFixed(4)} PLCC ${c.plcc.toFixed(4)} (${result.seconds.toFixed(0)} s)`);
  return result;
}
