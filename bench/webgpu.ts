/**
 * WebGPU execution-provider benchmark (npm run bench:webgpu): checks that our graphs run on onnxruntime-node's
 * WebGPU EP (Dawn; on Linux through Vulkan) and agree with the CPU EP, then times the same graphs on WebGPU, on
 * the CPU EP with 2 threads and with all cores, and the PyTorch references on CUDA (bench/torch_cuda.py).
 * Exits 0 with a "SKIP" line when no WebGPU adapter can be had (CI, machines without a GPU or a Vulkan driver).
 *
 * Correctness (random weights, same feeds on both providers): ResNet-18 eval forward at batch 8, 224; the
 * gradients of a ResNet-18 train-mode step at batch 8 (loss + every parameter gradient) and of the full-size
 * YOTO train step (Swin-T, dim 768, FR batch of 4, dropout masks drawn from the same seed). Reported: relative L2
 * ||a - b|| / ||b|| over all tensors, and per tensor (relative L2, max|a - b| / max|b|) the worst among tensors whose
 * reference norm is >= 1e-3 x the median (analytically-zero gradients such as attention key biases compare noise).
 * 'io': host <-> device traffic of 64 MiB in + out as 1 tensor vs 1,024 tensors (a train step's shape of traffic).
 * Training through max pooling (ResNet train steps) runs on WebGPU with the Indices-free MaxPool backward
 * (TrainStep builds for the session's provider). 'pool-grad' runs that backward on WebGPU and on the CPU EP with one
 * input (ReLU'd, so with tied zeros): it must agree to rounding. 'r18-grad-gpuform' compares a whole ResNet-18's
 * gradients (that form on WebGPU vs the Indices form on the CPU): there the providers' ~1e-6 forward differences
 * move ReLU kinks and window maxima, so expect ~1e-3, not rounding level (engine-notes: fp32 kink flips).
 *
 * Timing (median of REPS runs after WARM warm-ups; each run includes the host <-> device copies of inputs and
 * outputs, which for a train step means every weight and Adam moment, since training graphs take them as inputs):
 * ResNet-50 inference b8, Swin-T features b8, YOTO NR (five 224 crops), CVRKD student (10 + 10 patches),
 * ResNet-18 / ResNet-50 train steps b8 (Adam), the full YOTO joint train step at batch TRAIN_B, full-size QFM-IQM and
 * MFENet inference on ten 224 crops (one image at test time).
 *
 *   REPS=5 WARM=2 WORK=r50,swin,yoto,cvrkd,r18-train,r50-train,yoto-train EPS=webgpu,cpu2,cpuall,torch \
 *     CHECKS=r18-fwd,r18-grad,yoto-grad,io OUT_JSON=bench/out/webgpu.json npm run bench:webgpu
 * ALLOW_NO_GPU=1 self-tests the harness without a GPU (CPU columns; the checks compare CPU with CPU).
 * Results of the H100 run: docs/results.md, "GPU (WebGPU) run".
 * ORT_VERBOSE=1 creates WebGPU sessions with verbose logging (stderr), which lists the nodes placed on the CPU EP.
 */
import { spawn } from 'node:child_process';
import { cpus } from 'node:os';
import { writeFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { grad } from '../src/engine/autodiff/grad.js';
import { Graph, type Tensor } from '../src/engine/graph/graph.js';
import { maxPool2d, mul, sub, sum } from '../src/engine/ops/index.js';
import { TrainStep, adam } from '../src/engine/optim/index.js';
import { Compiled } from '../src/engine/runtime/compile.js';
import { toOnnx } from '../src/engine/onnx/emit.js';
import { Session, type SessionOptions } from '../src/engine/runtime/session.js';
import { Rng } from '../src/engine/rng.js';
import { relu } from '../src/engine/ops/index.js';
import { resnet18, resnet50 } from '../src/models/backbones/resnet.js';
import { swinTiny } from '../src/models/backbones/swin.js';
import { Yoto } from '../src/models/yoto/yoto.js';
import { Cvrkd, CVRKD_PAPER } from '../src/models/cvrkd/cvrkd.js';
import { buildNrModel } from '../src/models/nr-models.js';
import { ndarray, type NdArray } from '../src/tensor/ndarray.js';
import { mseLoss } from '../src/train/losses.js';
import { median } from './util.js';

const env = (k: string, d: string) => process.env[k] ?? d;
const REPS = Number(env('REPS', '5'));
const WARM = Number(env('WARM', '2'));
const TRAIN_B = Number(env('TRAIN_B', '8'));
const WORK = env('WORK', 'r50,swin,yoto,cvrkd,r18-train,r50-train,yoto-train').split(',').filter(Boolean);
const EPS = env('EPS', 'webgpu,cpu2,cpuall,torch').split(',').filter(Boolean);
/** The 2-thread CPU column is slow: fewer runs there. */
const REPS_CPU2 = Number(env('REPS_CPU2', '3'));
/** A first run slower than this many ms gets one timed run only. */
const SLOW_MS = Number(env('SLOW_MS', '20000'));
const CHECKS = env('CHECKS', 'r18-fwd,pool-grad,r18-grad-gpuform,yoto-grad,io').split(',').filter(Boolean);
const VERBOSE = env('ORT_VERBOSE', '') === '1';
const NCPU = cpus().length;
const log = (s: string) => process.stderr.write(`${s}\n`);
const rnd = (shape: number[], seed: number, scale = 1) => {
  const r = new Rng(seed);
  return ndarray('float32', shape, Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => r.normal() * scale));
};
const unif = (shape: number[], seed: number) => {
  const r = new Rng(seed);
  return ndarray('float32', shape, Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => r.uniform()));
};

type Ep = 'webgpu' | 'cpu2' | 'cpuall';
let noGpu = false; // ALLOW_NO_GPU=1 self-test: the 'webgpu' side of the checks runs on the CPU EP
const sessionOpts = (ep: Ep): SessionOptions =>
  ep === 'webgpu' && !noGpu ? { executionProvider: 'webgpu', strict: true, ...(VERBOSE ? { logLevel: 0 } : {}) } : { executionProvider: 'cpu', threads: ep === 'cpu2' ? 2 : NCPU };

// ---------------------------------------------------------------- probe
const report: Record<string, unknown> = { node: process.version, cpus: NCPU, cpuModel: cpus()[0]?.model };
{
  const g = new Graph();
  const x = g.input('x', [2, 3]);
  const m = toOnnx({ y: relu(x) });
  try {
    const s = await Session.create(m, { executionProvider: 'webgpu', strict: true });
    const y = (await s.run({ x: ndarray('float32', [2, 3], [1, -2, 3, -4, 5, -6]) })).y.data;
    await s.release();
    if ([...y].join() !== '1,0,3,0,5,0') throw new Error(`relu on WebGPU gave ${[...y].join()}`);
    log(`WebGPU adapter: ok (relu probe)`);
  } catch (e) {
    if (process.env.ALLOW_NO_GPU === '1') {
      // harness self-test on a machine without a GPU: CPU columns only
      log(`no WebGPU adapter; ALLOW_NO_GPU=1: CPU columns only`);
      EPS.splice(0, EPS.length, ...EPS.filter((x) => x !== 'webgpu'));
      noGpu = true;
      if (!process.env.CHECKS) CHECKS.length = 0;
    } else {
    console.log(`SKIP bench:webgpu: no WebGPU adapter on this machine (${(e as Error).message.split('\n')[0].slice(0, 400)})`);
    process.exit(0);
    }
  }
}

// ---------------------------------------------------------------- correctness
interface Cmp {
  tensors: number;
  /** ||a - b|| / ||b|| over all compared tensors concatenated */
  globalRelL2: number;
  /** worst per-tensor relative L2 among tensors whose reference norm is at least 1e-3 x the median norm */
  worstRelL2: number;
  worstName: string;
  /** worst max|a - b| / max|b| per tensor, same tensors */
  worstMaxRel: number;
  /** tensors left out of the worst-case: reference norm under 1e-3 x the median (analytically ~0, e.g. attention key biases) */
  nearZero: string[];
  top: [string, number][];
  loss?: [number, number];
}
function compare(a: Record<string, NdArray>, b: Record<string, NdArray>): Cmp {
  const per: { k: string; d2: number; r2: number; mr: number }[] = [];
  for (const k of Object.keys(b)) {
    const x = a[k].data as Float32Array;
    const y = b[k].data as Float32Array;
    if (!(y instanceof Float32Array)) continue;
    let d2 = 0;
    let r2 = 0;
    let dm = 0;
    let rm = 0;
    for (let i = 0; i < y.length; i++) {
      const d = x[i] - y[i];
      d2 += Number.isFinite(d) ? d * d : Infinity;
      r2 += y[i] * y[i];
      dm = Math.max(dm, Number.isFinite(d) ? Math.abs(d) : Infinity);
      rm = Math.max(rm, Math.abs(y[i]));
    }
    per.push({ k, d2, r2, mr: rm > 0 ? dm / rm : dm });
  }
  const med = median(per.map((p) => Math.sqrt(p.r2)));
  const big = per.filter((p) => Math.sqrt(p.r2) >= 1e-3 * med);
  const rel = (p: { d2: number; r2: number }) => (p.r2 > 0 ? Math.sqrt(p.d2 / p.r2) : Math.sqrt(p.d2));
  const sorted = [...big].sort((p, q) => rel(q) - rel(p));
  const c: Cmp = {
    tensors: per.length,
    globalRelL2: Math.sqrt(per.reduce((s, p) => s + p.d2, 0) / per.reduce((s, p) => s + p.r2, 0)),
    worstRelL2: sorted.length ? rel(sorted[0]) : 0,
    worstName: sorted[0]?.k ?? '',
    worstMaxRel: Math.max(0, ...big.map((p) => p.mr)),
    nearZero: per.filter((p) => Math.sqrt(p.r2) < 1e-3 * med).map((p) => p.k),
    top: sorted.slice(0, 8).map((p) => [p.k, rel(p)]),
  };
  if (a.loss && b.loss) c.loss = [Number(a.loss.data[0]), Number(b.loss.data[0])];
  return c;
}

/** Runs one emitted graph on the CPU EP and on WebGPU with identical feeds (random inputs from the same seed). */
async function crossCheck(what: string, outs: Record<string, Tensor>, feeds: Record<string, NdArray>): Promise<Cmp | { error: string }> {
  const first = Object.values(outs)[0];
  const model = toOnnx(outs);
  const run = async (o: SessionOptions) => {
    const c = new Compiled(model, await Session.create(model, o), first.graph.random, 7);
    const t0 = performance.now();
    const r = await c.run(feeds);
    const ms = performance.now() - t0;
    await c.release();
    return { r, ms };
  };
  try {
    const cpu = await run({ executionProvider: 'cpu', threads: NCPU });
    const gpu = await run(sessionOpts('webgpu'));
    const c = compare(gpu.r, cpu.r);
    log(`check ${what}: ${c.tensors} tensors, global relL2 ${c.globalRelL2.toExponential(2)}, worst relL2 ${c.worstRelL2.toExponential(2)} (${c.worstName}), worst max-rel ${c.worstMaxRel.toExponential(2)}, near-zero refs ${c.nearZero.length}${c.loss ? `, loss ${c.loss[0]} vs ${c.loss[1]}` : ''}; CPU ${cpu.ms.toFixed(0)} ms, WebGPU ${gpu.ms.toFixed(0)} ms (first run)`);
    log(`  worst: ${c.top.map(([k, v]) => `${k} ${v.toExponential(2)}`).join(', ')}`);
    return c;
  } catch (e) {
    const err = e as Error & { cause?: Error };
    const msg = `${err.message}${err.cause ? ` | cause: ${err.cause.message}` : ''}`;
    log(`check ${what}: FAILED: ${msg}`);
    return { error: msg.slice(0, 2000) };
  }
}

const gradOutputs = (loss: Tensor, g: Graph): Record<string, Tensor> => {
  const ps = g.paramTensors().filter((t) => t.leaf?.kind === 'param' && t.leaf.param.requiresGrad);
  const gs = grad(loss, ps);
  const o: Record<string, Tensor> = { loss };
  ps.forEach((p, i) => (o[`grad.${(p.leaf as { param: { name: string } }).param.name}`] = gs[i]));
  return o;
};

const checks: Record<string, unknown> = {};
for (const c of CHECKS) {
  if (c === 'r18-fwd') {
    const m = resnet18({ numClasses: 1, rng: new Rng(1) });
    m.namedTensors();
    m.eval();
    const g = new Graph();
    checks[c] = await crossCheck('ResNet-18 eval forward b8', { y: m.forward(g.input('x', [8, 3, 224, 224])) }, { x: rnd([8, 3, 224, 224], 2) });
  } else if (c === 'r18-grad') {
    const m = resnet18({ numClasses: 1, rng: new Rng(1) });
    m.namedTensors();
    const g = new Graph('input');
    const loss = mseLoss(m.forward(g.input('x', [8, 3, 224, 224])), g.input('t', [8, 1]));
    checks[c] = await crossCheck('ResNet-18 train-mode loss + gradients b8', gradOutputs(loss, g), { x: rnd([8, 3, 224, 224], 2), t: rnd([8, 1], 3) });
  } else if (c === 'pool-grad') {
    // the WebGPU-target MaxPool backward on both providers, identical input: ResNet stem pool at batch 8
    const shape = [8, 64, 112, 112];
    const g = new Graph('input');
    g.target = 'webgpu';
    const xi = g.input('x', shape);
    const y = maxPool2d(relu(xi), { kernel: 3, stride: 2, padding: 1 });
    const loss = sum(mul(y, g.constant(rnd([...y.shape], 5))));
    const [dx] = grad(loss, [xi]);
    checks[c] = await crossCheck('MaxPool backward without Indices (ResNet stem pool b8), identical input', { loss, dx }, { x: rnd(shape, 4) });
  } else if (c === 'r18-grad-gpuform') {
    // the WebGPU-target graph (MaxPool backward without Indices) on WebGPU, against the default graph on the CPU
    const build = (target: 'cpu' | 'webgpu') => {
      const m = resnet18({ numClasses: 1, rng: new Rng(1) });
      m.namedTensors();
      const g = new Graph('input');
      g.target = target;
      return gradOutputs(mseLoss(m.forward(g.input('x', [8, 3, 224, 224])), g.input('t', [8, 1])), g);
    };
    const feeds = { x: rnd([8, 3, 224, 224], 2), t: rnd([8, 1], 3) };
    try {
      const run = async (outs: Record<string, Tensor>, o: SessionOptions) => {
        const model = toOnnx(outs);
        const cc = new Compiled(model, await Session.create(model, o), Object.values(outs)[0].graph.random, 7);
        const r = await cc.run(feeds);
        await cc.release();
        return r;
      };
      const cpu = await run(build('cpu'), { executionProvider: 'cpu', threads: NCPU });
      const gpu = await run(build('webgpu'), sessionOpts('webgpu'));
      const cmp = compare(gpu, cpu);
      log(`check ResNet-18 grads, Indices-free MaxPool backward on WebGPU vs CPU: global relL2 ${cmp.globalRelL2.toExponential(2)}, worst ${cmp.worstRelL2.toExponential(2)} (${cmp.worstName})`);
      checks[c] = cmp;
    } catch (e) {
      log(`check ${c}: FAILED: ${(e as Error).message}`);
      checks[c] = { error: (e as Error).message.slice(0, 2000) };
    }
  } else if (c === 'io') {
    // host <-> device traffic as a training step has it: many parameter-sized inputs and outputs per run, against
    // the same bytes in one tensor (64 MiB in, 64 MiB out, one Mul each)
    const rows: Record<string, unknown>[] = [];
    for (const [k, m] of [
      [1, 1 << 24],
      [1024, 1 << 14],
    ]) {
      const g = new Graph();
      const outs: Record<string, Tensor> = {};
      const feeds: Record<string, NdArray> = {};
      for (let i = 0; i < k; i++) {
        outs[`y${i}`] = mul(g.input(`x${i}`, [m]), 1.0001);
        feeds[`x${i}`] = rnd([m], i);
      }
      const model = toOnnx(outs);
      const row: Record<string, unknown> = { tensors: k, elements: m };
      for (const ep of ['cpuall', 'webgpu'] as const) {
        try {
          const sess = await Session.create(model, sessionOpts(ep));
          await sess.run(feeds);
          const ms: number[] = [];
          for (let r = 0; r < 3; r++) {
            const t0 = performance.now();
            await sess.run(feeds);
            ms.push(performance.now() - t0);
          }
          await sess.release();
          row[ep] = median(ms);
        } catch (e) {
          row[ep] = `error: ${(e as Error).message.split('\n')[0]}`;
        }
      }
      log(`io ${k} x ${m} float32 in and out: ${JSON.stringify(row)}`);
      rows.push(row);
    }
    checks[c] = { io: rows };
  } else if (c === 'yoto-grad') {
    const net = new Yoto({ encoder: 'swin-t', dim: 768, crop: 224 });
    net.train();
    const g = new Graph('input');
    const B = 4;
    const d = sub(net.forwardTrain(g.input('x', [B, 3, 224, 224]), g.input('y', [B, 3, 224, 224]), g.input('fr', [])), g.input('t', [B]));
    const loss = mul(sum(mul(d, d)), 1 / B);
    checks[c] = await crossCheck('YOTO full (Swin-T, 768) FR train loss + gradients b4', gradOutputs(loss, g), {
      x: unif([B, 3, 224, 224], 4),
      y: unif([B, 3, 224, 224], 5),
      fr: ndarray('float32', [], [1]),
      t: unif([B], 6),
    });
  }
}
report.checks = checks;

// ---------------------------------------------------------------- timing
interface Work {
  label: string;
  images: number;
  /** builds a runner on one provider */
  make: (o: SessionOptions) => Promise<{ run: () => Promise<unknown>; release: () => Promise<void> }>;
}
const infer = (build: (g: Graph) => Record<string, Tensor>, feeds: () => Record<string, NdArray>) => async (o: SessionOptions) => {
  const g = new Graph();
  const outs = build(g);
  const model = toOnnx(outs);
  const c = new Compiled(model, await Session.create(model, o), g.random, 0);
  const f = feeds();
  return { run: () => c.run(f), release: () => c.release() };
};
const trainResnet = (depth: 18 | 50) => async (o: SessionOptions) => {
  const m = (depth === 18 ? resnet18 : resnet50)({ numClasses: 1, rng: new Rng(1) });
  m.namedTensors();
  const step = await TrainStep.create({
    build: (tg) => mseLoss(m.forward(tg.input('x', [8, 3, 224, 224])), tg.input('t', [8, 1])),
    params: m.parameters(),
    optimizer: adam(),
    lr: 1e-4,
    session: o,
  });
  const f = { x: rnd([8, 3, 224, 224], 2), t: rnd([8, 1], 3) };
  return { run: () => step.run(f), release: () => step.release() };
};
const WORKS: Record<string, Work> = {
  r50: {
    label: 'ResNet-50 inference b8 224',
    images: 8,
    make: infer(
      (g) => {
        const m = resnet50({ numClasses: 1, rng: new Rng(1) });
        m.namedTensors();
        m.eval();
        return { y: m.forward(g.input('x', [8, 3, 224, 224])) };
      },
      () => ({ x: rnd([8, 3, 224, 224], 2) }),
    ),
  },
  swin: {
    label: 'Swin-T features b8 224',
    images: 8,
    make: infer(
      (g) => {
        const f = swinTiny({ rng: new Rng(1) }).eval().features(g.input('x', [8, 3, 224, 224]));
        return Object.fromEntries(f.map((t, i) => [`y${i}`, t]));
      },
      () => ({ x: unif([8, 3, 224, 224], 2) }),
    ),
  },
  yoto: {
    label: 'YOTO NR full (Swin-T, five 224 crops) per image',
    images: 1,
    make: infer((g) => ({ s: new Yoto({ encoder: 'swin-t', dim: 768, crop: 224 }).eval().forwardMode(g.input('x', [5, 3, 224, 224]), null, 'NR') }), () => ({ x: unif([5, 3, 224, 224], 2) })),
  },
  cvrkd: {
    label: 'CVRKD student (ResNet-50, 10 + 10 patches) per image',
    images: 1,
    make: infer(
      (g) => ({ s: new Cvrkd(CVRKD_PAPER).eval().run(g.input('lq', [1, 10, 3, 224, 224]), g.input('ref', [1, 10, 3, 224, 224])).pred }),
      () => ({ lq: unif([1, 10, 3, 224, 224], 2), ref: unif([1, 10, 3, 224, 224], 3) }),
    ),
  },
  qfm: {
    label: 'QFM-IQM full (ViT-S/16), ten 224 crops, per image',
    images: 1,
    make: infer((g) => ({ s: buildNrModel('qfm-iqm', {}, 'paper').eval().forward(g.input('x', [10, 3, 224, 224])) }), () => ({ x: unif([10, 3, 224, 224], 2) })),
  },
  mfenet: {
    label: 'MFENet full (VAN-b2 + ResNet-50 DAN + HFEN), ten 224 crops, per image',
    images: 1,
    make: infer((g) => ({ s: buildNrModel('mfenet', {}, 'paper').eval().forward(g.input('x', [10, 3, 224, 224])) }), () => ({ x: unif([10, 3, 224, 224], 2) })),
  },
  'r18-train': { label: 'ResNet-18 train step b8 (Adam)', images: 8, make: trainResnet(18) },
  'r50-train': { label: 'ResNet-50 train step b8 (Adam)', images: 8, make: trainResnet(50) },
  'yoto-train': {
    label: `YOTO full joint train step b${TRAIN_B} (FR batch, Adam)`,
    images: TRAIN_B,
    make: async (o) => {
      const net = new Yoto({ encoder: 'swin-t', dim: 768, crop: 224 });
      net.train();
      const B = TRAIN_B;
      const enc = new Set(net.encoder!.trainableParameters());
      const step = await TrainStep.create({
        build: (g) => {
          const d = sub(net.forwardTrain(g.input('x', [B, 3, 224, 224]), g.input('y', [B, 3, 224, 224]), g.input('fr', [])), g.input('t', [B]));
          return mul(sum(mul(d, d)), 1 / B);
        },
        params: [{ params: net.trainableParameters().filter((p) => !enc.has(p)) }, { params: [...enc], lrMult: 0.1 }],
        optimizer: adam({ weightDecay: 1e-5 }),
        lr: 1e-4,
        seed: 20,
        session: o,
      });
      const f = { x: unif([B, 3, 224, 224], 4), y: unif([B, 3, 224, 224], 5), fr: ndarray('float32', [], [1]), t: unif([B], 6) };
      return { run: () => step.run(f), release: () => step.release() };
    },
  },
};
const TORCH_NAME: Record<string, string> = { r50: 'resnet50-infer', swin: 'swin-t-infer', yoto: 'yoto', cvrkd: 'cvrkd', qfm: 'qfm-iqm', mfenet: 'mfenet', 'r18-train': 'resnet18-train', 'r50-train': 'resnet50-train' };

// PyTorch CUDA child (line protocol, bench/torch_cuda.py)
let torchInfo: Record<string, unknown> | null = null;
let torchCall: ((work: string) => Promise<{ ms?: number[]; error?: string }>) | null = null;
if (EPS.includes('torch')) {
  const py = spawn('python3', [new URL('./torch_cuda.py', import.meta.url).pathname], { stdio: ['pipe', 'pipe', 'inherit'] });
  py.on('error', () => {});
  const lines = createInterface({ input: py.stdout! })[Symbol.asyncIterator]();
  const first = await lines.next();
  if (!first.done) {
    torchInfo = JSON.parse(first.value) as Record<string, unknown>;
    if (torchInfo.cuda || process.env.ALLOW_NO_GPU === '1') {
      torchCall = async (work) => {
        py.stdin!.write(`${JSON.stringify({ work, reps: REPS })}\n`);
        const r = await lines.next();
        return r.done ? { error: 'torch_cuda.py exited' } : (JSON.parse(r.value) as { ms?: number[]; error?: string });
      };
    }
  }
  process.on('exit', () => py.kill());
}
report.torch = torchInfo;
log(`torch: ${JSON.stringify(torchInfo)}`);

type Cell = { ms: number; all: number[]; firstMs: number; setupMs: number } | { error: string } | null;
const table: Record<string, Record<string, Cell>> = {};
for (const w of WORK) {
  const work = WORKS[w];
  if (!work) throw new Error(`unknown WORK '${w}'`);
  table[w] = {};
  for (const ep of EPS) {
    let cell: Cell = null;
    if (ep === 'torch') {
      if (torchCall && TORCH_NAME[w]) {
        const r = await torchCall(TORCH_NAME[w]);
        cell = r.ms ? { ms: median(r.ms), all: r.ms, firstMs: NaN, setupMs: NaN } : { error: r.error ?? 'no answer' };
      }
    } else {
      try {
        const t0 = performance.now();
        const r = await work.make(sessionOpts(ep as Ep));
        const setupMs = performance.now() - t0;
        const t1 = performance.now();
        await r.run();
        const firstMs = performance.now() - t1;
        const slow = firstMs > SLOW_MS;
        if (!slow) for (let i = 1; i < (ep === 'cpu2' ? 1 : WARM); i++) await r.run();
        const all: number[] = [];
        for (let i = 0; i < (slow ? 1 : ep === 'cpu2' ? REPS_CPU2 : REPS); i++) {
          const t = performance.now();
          await r.run();
          all.push(performance.now() - t);
        }
        await r.release();
        cell = { ms: median(all), all, firstMs, setupMs };
      } catch (e) {
        const err = e as Error & { cause?: Error };
        cell = { error: `${err.message}${err.cause ? ` | cause: ${err.cause.message}` : ''}`.slice(0, 3000) };
      }
    }
    table[w][ep] = cell;
    log(`${w} on ${ep}: ${cell === null ? 'n/a' : 'error' in cell ? `ERROR ${cell.error.split('\n')[0]}` : `${cell.ms.toFixed(1)} ms (first run ${cell.firstMs.toFixed(0)} ms, setup ${cell.setupMs.toFixed(0)} ms)`}`);
  }
}
report.table = table;
report.reps = REPS;
if (process.env.OUT_JSON) writeFileSync(process.env.OUT_JSON, JSON.stringify(report, null, 1));

const head: Record<string, string> = { webgpu: 'ORT WebGPU', cpu2: 'ORT CPU 2 thr', cpuall: `ORT CPU ${NCPU} thr`, torch: 'PyTorch CUDA' };
console.log(`\nWebGPU check: node ${process.version}, ${NCPU} CPUs (${String(report.cpuModel)}), torch ${String(torchInfo?.torch ?? 'n/a')} on ${String(torchInfo?.device ?? 'n/a')}`);
console.log('\n| check | tensors | global relL2 | worst per-tensor relL2 | worst max-rel | near-zero refs left out | loss WebGPU / CPU |');
console.log('|---|---|---|---|---|---|---|');
for (const [k, v] of Object.entries(checks)) {
  const c = v as Cmp & { error?: string; io?: Record<string, unknown>[] };
  if (c.io) {
    for (const r of c.io) console.log(`| io: ${String(r.tensors)} tensors x ${String(r.elements)} float32, in + out | ORT CPU ${typeof r.cpuall === 'number' ? r.cpuall.toFixed(1) : String(r.cpuall)} ms | WebGPU ${typeof r.webgpu === 'number' ? r.webgpu.toFixed(1) : String(r.webgpu)} ms | | | | |`);
    continue;
  }
  if (c.error) console.log(`| ${k} | FAILED: ${c.error.split('\n')[0].slice(0, 300)} | | | | | |`);
  else
    console.log(
      `| ${k} | ${c.tensors} | ${c.globalRelL2.toExponential(2)} | ${c.worstRelL2.toExponential(2)} (${c.worstName}) | ${c.worstMaxRel.toExponential(2)} | ${c.nearZero.length} | ${c.loss ? `${c.loss[0].toPrecision(9)} / ${c.loss[1].toPrecision(9)}` : '-'} |`,
    );
  if (!c.error) console.log(`VERDICT ${k} ${c.globalRelL2 < 1e-3 ? 'ok' : 'bad'}`);
}
console.log(`\nms per run (img/s), median of ${REPS} runs after ${WARM} warm-up runs (CPU 2 threads: ${REPS_CPU2} after 1; a first run over ${SLOW_MS / 1000} s: 1 run); inputs/outputs copied host<->device every run`);
console.log(`| workload | ${EPS.map((e) => head[e] ?? e).join(' | ')} |`);
console.log(`|---|${EPS.map(() => '---').join('|')}|`);
for (const w of WORK) {
  const cells = EPS.map((ep) => {
    const c = table[w][ep];
    if (!c) return 'n/a';
    if ('error' in c) return `error: ${c.error.split('\n')[0].slice(0, 120)}`;
    return `${c.ms.toFixed(1)} (${((WORKS[w].images * 1000) / c.ms).toFixed(1)})`;
  });
  console.log(`| ${WORKS[w].label} | ${cells.join(' | ')} |`);
}
process.exit(0);
