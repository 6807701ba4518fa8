/**
 * Engine benchmark (npm run bench:engine): ResNet-18/50 at batch 8, 224x224 -- inference (weights as initializers)
 * and a training step (forward + backward + Adam, weights as inputs) -- side by side with PyTorch CPU in the same
 * run (bench/torch_engine.py as a child process, 2 threads each). ORT and torch runs are interleaved in rounds
 * (engine-notes §1): each round takes the median of REPS timed runs per engine; the table reports the median over
 * rounds (the mean of the two middle rounds for an even count) with the range. Peak memory: max RSS of each process
 * after its ResNet-50 train steps (run last).
 *   ROUNDS=3 REPS=3 MODELS=resnet18,resnet50 npm run bench:engine
 */
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { Graph } from '../src/engine/graph/graph.js';
import { compile, type Compiled } from '../src/engine/runtime/compile.js';
import { TrainStep, adam } from '../src/engine/optim/index.js';
import { Rng } from '../src/engine/rng.js';
import { ndarray } from '../src/tensor/ndarray.js';
import { mseLoss } from '../src/train/losses.js';
import { resnet18, resnet50, type ResNet } from '../src/models/backbones/resnet.js';
import { median } from './util.js';

const ROUNDS = Number(process.env.ROUNDS ?? 3);
const REPS = Number(process.env.REPS ?? 3);
const MODELS = (process.env.MODELS ?? 'resnet18,resnet50').split(',');
const BATCH = 8;
const SIZE = 224;
const THREADS = 2;

const rng = new Rng(0);
const x = ndarray('float32', [BATCH, 3, SIZE, SIZE], Float32Array.from({ length: BATCH * 3 * SIZE * SIZE }, () => rng.normal()));
const t = ndarray('float32', [BATCH, 1], Float32Array.from({ length: BATCH }, () => rng.normal()));

// torch child: one JSON command per line
const py = spawn('python3', [new URL('./torch_engine.py', import.meta.url).pathname], { stdio: ['pipe', 'pipe', 'inherit'] });
const lines = createInterface({ input: py.stdout })[Symbol.asyncIterator]();
async function torchRun(model: string, mode: string, reps: number): Promise<{ times_ms: number[]; maxrss_mb: number; torch: string }> {
  py.stdin.write(JSON.stringify({ model, mode, batch: BATCH, size: SIZE, reps }) + '\n');
  const r = await lines.next();
  return JSON.parse(r.value as string);
}

async function time(fn: () => Promise<unknown>, reps: number): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < reps; i++) {
    const t0 = performance.now();
    await fn();
    out.push(performance.now() - t0);
  }
  return out;
}

interface Row {
  what: string;
  ort: number[];
  torch: number[];
}
const rows: Row[] = [];
let torchVersion = '';
let torchRss = 0;

for (const name of MODELS) {
  const make = (): ResNet => (name === 'resnet18' ? resnet18 : resnet50)({ numClasses: 1, rng: new Rng(1) });
  // inference: eval mode, weights as initializers
  const m = make();
  m.namedTensors();
  m.eval();
  const g = new Graph();
  const t0 = performance.now();
  const inf: Compiled = await compile({ y: m.forward(g.input('x', [BATCH, 3, SIZE, SIZE])) }, { threads: THREADS });
  console.error(`${name} inference graph compiled in ${(performance.now() - t0).toFixed(0)} ms`);
  await inf.run({ x });
  // train step: train mode, weights as inputs, Adam
  const mt = make();
  mt.namedTensors();
  const t1 = performance.now();
  const step = await TrainStep.create({
    build: (tg) => mseLoss(mt.forward(tg.input('x', [BATCH, 3, SIZE, SIZE])), tg.input('t', [BATCH, 1])),
    params: mt.parameters(),
    optimizer: adam(),
    lr: 1e-4,
    session: { threads: THREADS },
  });
  console.error(`${name} train graph compiled in ${(performance.now() - t1).toFixed(0)} ms`);
  await step.run({ x, t });
  const ri: Row = { what: `${name} inference`, ort: [], torch: [] };
  const rt: Row = { what: `${name} train step`, ort: [], torch: [] };
  for (let r = 0; r < ROUNDS; r++) {
    ri.ort.push(median(await time(() => inf.run({ x }), REPS)));
    const ti = await torchRun(name, 'infer', REPS);
    ri.torch.push(median(ti.times_ms));
    rt.ort.push(median(await time(() => step.run({ x, t }), REPS)));
    const tt = await torchRun(name, 'train', REPS);
    rt.torch.push(median(tt.times_ms));
    torchVersion = tt.torch;
    torchRss = tt.maxrss_mb;
    console.error(`round ${r + 1}: ${name} infer ORT ${ri.ort[r].toFixed(0)} / torch ${ri.torch[r].toFixed(0)} ms; train ORT ${rt.ort[r].toFixed(0)} / torch ${rt.torch[r].toFixed(0)} ms`);
  }
  rows.push(ri, rt);
  await inf.release();
  await step.release();
}
py.stdin.end();

const fmt = (a: number[]) => `${median(a).toFixed(0)} [${Math.min(...a).toFixed(0)}-${Math.max(...a).toFixed(0)}]`;
console.log(`\nbatch ${BATCH}, ${SIZE}x${SIZE}, ${THREADS} threads, ${ROUNDS} interleaved rounds x ${REPS} runs; torch ${torchVersion}`);
console.log('| | ORT ms | ORT img/s | torch ms | torch img/s | ORT / torch speed |');
console.log('|---|---|---|---|---|---|');
for (const r of rows) {
  const o = median(r.ort);
  const p = median(r.torch);
  console.log(`| ${r.what} | ${fmt(r.ort)} | ${((BATCH * 1000) / o).toFixed(1)} | ${fmt(r.torch)} | ${((BATCH * 1000) / p).toFixed(1)} | ${(p / o).toFixed(2)}x |`);
}
const ortRss = process.resourceUsage().maxRSS / 1024;
console.log(`\npeak RSS: ORT process ${ortRss.toFixed(0)} MB, torch process ${torchRss.toFixed(0)} MB (ratio ${(ortRss / torchRss).toFixed(2)}; both after the last model's train steps)`);
