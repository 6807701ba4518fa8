/**
 * Backbone inference speed, onnxruntime (weights as initializers, all stage outputs fetched) vs PyTorch CPU eval,
 * both on 2 threads, 224x224, batch 1 and 8. Rounds are interleaved (engine-notes §1): in each round every
 * (model, batch) is timed on ORT then on PyTorch; the table reports the median over rounds of the per-round
 * medians, and the speed-up torch_ms / ort_ms. PyTorch runs the reference modules of tools/backbone_fixtures.py
 * through tools/bench_torch.py (needs python3 with torch). Weights are random (speed does not depend on them).
 *
 *   npm run bench:backbones [-- --rounds 3 --reps 3 --models resnet18,resnet50]
 */
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { Graph, type Tensor } from '../src/engine/graph/graph.js';
import { compile, type Compiled } from '../src/engine/runtime/index.js';
import { BACKBONES, type BackboneName } from '../src/models/backbones/index.js';
import { ndarray } from '../src/tensor/ndarray.js';
import { useFusedAttention } from '../src/engine/fused/attention.js';
import { arg, graphMacs, median } from './util.js';

// --fused-attention: inference graphs use the fused Attention node (src/engine/fused/attention.ts)
if (process.argv.includes('--fused-attention')) useFusedAttention(true);

const ROUNDS = Number(arg('rounds', '3'));
const REPS = Number(arg('reps', '3'));
const THREADS = 2;
const SIZE = 224;
const BATCHES = arg('batches', '1,8').split(',').map(Number);
const MODELS = arg('models', Object.keys(BACKBONES).join(',')).split(',') as BackboneName[];


// PyTorch server
const py = spawn('python3', ['tools/bench_torch.py'], { stdio: ['pipe', 'pipe', 'inherit'], env: { ...process.env, BENCH_THREADS: String(THREADS), OMP_NUM_THREADS: String(THREADS) } });
const lines = createInterface({ input: py.stdout! })[Symbol.asyncIterator]();
async function torchTimes(model: string, batch: number): Promise<number[]> {
  py.stdin!.write(`${JSON.stringify({ model, batch, size: SIZE, reps: REPS })}\n`);
  const r = await lines.next();
  if (r.done) throw new Error('bench_torch.py exited (is torch installed?)');
  return (JSON.parse(r.value) as { ms: number[] }).ms;
}

const macs = new Map<string, number>();
const sessions = new Map<string, { c: Compiled; x: ReturnType<typeof ndarray<'float32'>> }>();
async function ortTimes(model: BackboneName, batch: number): Promise<number[]> {
  const key = `${model}/${batch}`;
  let s = sessions.get(key);
  if (!s) {
    const net = BACKBONES[model]().eval();
    const g = new Graph();
    const feats = net.features(g.input('x', [batch, 3, SIZE, SIZE]));
    const outs: Record<string, Tensor> = {};
    feats.forEach((f, i) => (outs[`y${i}`] = f));
    macs.set(key, graphMacs(feats));
    const c = await compile(outs, { threads: THREADS });
    const x = ndarray('float32', [batch, 3, SIZE, SIZE], Float32Array.from({ length: batch * 3 * SIZE * SIZE }, (_, i) => ((i * 2654435761) % 1000) / 1000));
    await c.run({ x }); // warm-up
    s = { c, x };
    sessions.set(key, s);
  }
  const ms: number[] = [];
  for (let i = 0; i < REPS; i++) {
    const t = performance.now();
    await s.c.run({ x: s.x });
    ms.push(performance.now() - t);
  }
  return ms;
}

const res = new Map<string, { ort: number[]; torch: number[] }>();
function row(key: string, e: { ort: number[]; torch: number[] }): string {
  const [m, b] = key.split('|');
  const o = median(e.ort);
  const t = median(e.torch);
  const rg = (a: number[]) => `[${Math.min(...a).toFixed(0)}-${Math.max(...a).toFixed(0)}]`;
  const gf = (ms: number) => ((2 * (macs.get(`${m}/${b}`) ?? 0)) / ms / 1e6).toFixed(0);
  return `| ${m} | ${b} | ${o.toFixed(1)} ${rg(e.ort)} | ${t.toFixed(1)} ${rg(e.torch)} | ${((1000 * Number(b)) / o).toFixed(1)} | ${((1000 * Number(b)) / t).toFixed(1)} | ${gf(o)} | ${gf(t)} | ${(t / o).toFixed(2)}x |`;
}
// One model at a time (its sessions released afterwards, to keep memory low); rounds interleave ORT and PyTorch.
for (const m of MODELS) {
  for (let r = 0; r < ROUNDS; r++) {
    for (const b of BATCHES) {
      const key = `${m}|${b}`;
      const e = res.get(key) ?? { ort: [], torch: [] };
      e.ort.push(median(await ortTimes(m, b)));
      e.torch.push(median(await torchTimes(m, b)));
      res.set(key, e);
      process.stderr.write(`${m} b${b} round ${r + 1}/${ROUNDS}: ort ${e.ort.at(-1)!.toFixed(1)} ms, torch ${e.torch.at(-1)!.toFixed(1)} ms\n`);
    }
  }
  for (const [k, s] of sessions) {
    await s.c.release();
    sessions.delete(k);
  }
  for (const b of BATCHES) process.stderr.write(`ROW ${row(`${m}|${b}`, res.get(`${m}|${b}`)!)}\n`);
}
py.stdin!.end();

console.log(`\nBackbone inference, ${SIZE}x${SIZE}, ${THREADS} threads, median of ${ROUNDS} interleaved rounds (each the median of ${REPS} runs)\n`);
console.log('GFLOP/s: 2 x the conv/matmul multiply-accumulates of the graph per second (AVX2 FMA peak: 32 FLOP per cycle and core)');
console.log('| backbone | batch | ORT ms [range] | PyTorch ms [range] | ORT img/s | PyTorch img/s | ORT GFLOP/s | PyTorch GFLOP/s | speed-up |');
console.log('|---|---|---|---|---|---|---|---|---|');
for (const [key, e] of res) console.log(row(key, e));
