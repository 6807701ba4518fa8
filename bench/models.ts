/**
 * Full-size learned-model inference, onnxruntime vs PyTorch CPU (both 2 threads, random weights, interleaved
 * rounds as bench/backbones.ts): YOTO NR (Swin-T + body at 768, the five 224 crops of one image per run; the PyTorch
 * reference runs the official NR call, common_forward twice, ours once) and the
 * CVRKD-IQA student (ResNet-50, 10 LQ + 10 reference 224 patches per run). Reports images/s and the speed-up.
 * PyTorch runs the spec references through tools/models/bench_models_torch.py.
 *
 *   npm run bench:models [-- --rounds 2 --reps 1 --models yoto,cvrkd]
 */
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { Graph } from '../src/engine/graph/graph.js';
import { compile, type Compiled } from '../src/engine/runtime/index.js';
import { Yoto } from '../src/models/yoto/yoto.js';
import { Cvrkd, CVRKD_PAPER } from '../src/models/cvrkd/cvrkd.js';
import { ndarray, type NdArray } from '../src/tensor/ndarray.js';
import { useFusedAttention } from '../src/engine/fused/attention.js';
import { arg, median } from './util.js';

// --fused-attention: inference graphs use the fused Attention node (src/engine/fused/attention.ts)
if (process.argv.includes('--fused-attention')) useFusedAttention(true);

const ROUNDS = Number(arg('rounds', '2'));
const REPS = Number(arg('reps', '1'));
const THREADS = 2;
const MODELS = arg('models', 'yoto,cvrkd').split(',');
const fill = (shape: number[]) => ndarray('float32', shape, Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, (_, i) => ((i * 2654435761) % 1000) / 1000));

const py = spawn('python3', ['tools/models/bench_models_torch.py'], { stdio: ['pipe', 'pipe', 'inherit'], env: { ...process.env, BENCH_THREADS: String(THREADS), OMP_NUM_THREADS: String(THREADS) } });
const lines = createInterface({ input: py.stdout! })[Symbol.asyncIterator]();
async function torchTimes(model: string): Promise<number[]> {
  py.stdin!.write(`${JSON.stringify({ model, reps: REPS })}\n`);
  const r = await lines.next();
  if (r.done) throw new Error('bench_models_torch.py exited (is torch installed?)');
  return (JSON.parse(r.value) as { ms: number[] }).ms;
}

async function session(model: string): Promise<{ c: Compiled; feeds: Record<string, NdArray> }> {
  const g = new Graph();
  if (model === 'yoto') {
    const net = new Yoto({ encoder: 'swin-t', dim: 768, crop: 224 }).eval();
    const c = await compile({ s: net.forwardMode(g.input('x', [5, 3, 224, 224]), null, 'NR') }, { threads: THREADS });
    return { c, feeds: { x: fill([5, 3, 224, 224]) } };
  }
  const net = new Cvrkd(CVRKD_PAPER).eval();
  const shape = [1, 10, 3, 224, 224];
  const c = await compile({ s: net.run(g.input('lq', shape), g.input('ref', shape)).pred }, { threads: THREADS });
  return { c, feeds: { lq: fill(shape), ref: fill(shape) } };
}

const rows: string[] = [];
for (const m of MODELS) {
  const s = await session(m);
  await s.c.run(s.feeds); // warm-up
  const ort: number[] = [];
  const tor: number[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    const ms: number[] = [];
    for (let i = 0; i < REPS; i++) {
      const t = performance.now();
      await s.c.run(s.feeds);
      ms.push(performance.now() - t);
    }
    ort.push(median(ms));
    tor.push(median(await torchTimes(m)));
    process.stderr.write(`${m} round ${r + 1}/${ROUNDS}: ort ${ort.at(-1)!.toFixed(0)} ms, torch ${tor.at(-1)!.toFixed(0)} ms\n`);
  }
  await s.c.release();
  const o = median(ort);
  const t = median(tor);
  const what = m === 'yoto' ? 'YOTO NR, Swin-T, five 224 crops' : 'CVRKD student, ResNet-50, 10+10 patches';
  rows.push(`| ${what} | ${o.toFixed(0)} | ${t.toFixed(0)} | ${(1000 / o).toFixed(3)} | ${(1000 / t).toFixed(3)} | ${(t / o).toFixed(2)}x |`);
}
py.stdin!.end();
console.log(`\nLearned-model inference per image, ${THREADS} threads, median of ${ROUNDS} interleaved rounds\n`);
console.log('| model | ORT ms | PyTorch ms | ORT img/s | PyTorch img/s | speed-up |');
console.log('|---|---|---|---|---|---|');
for (const r of rows) console.log(r);
