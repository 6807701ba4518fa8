/**
 * `npm run bench:nr-models`: full-size QFM-IQM (ViT-S/16 + gate + attention panel) and MFENet (VAN-B2 + HFEN/AFF +
 * ResNet-50 DAN/FFM) inference images/s at 224x224, batch 1, on onnxruntime (this toolkit) vs PyTorch CPU running the
 * reference modules of tools/gen_nr_models_parity.py, same thread count. Random weights (speed does not depend on them).
 * Rounds are interleaved (engine-notes §1): in each round every model is timed on ORT (plain and with the fused
 * attention node) and then on PyTorch; the table reports the median over rounds of the per-round medians.
 * Issue 8 asks for >= 1.5x PyTorch.
 *
 *   npm run bench:nr-models [-- --rounds 3 --runs 10]      (BENCH_THREADS=2)
 */
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { Graph } from '../src/engine/graph/graph.js';
import { compile, type Compiled } from '../src/engine/runtime/index.js';
import { useFusedAttention } from '../src/engine/fused/attention.js';
import { buildNrModel, type NrModelKind } from '../src/models/nr-models.js';
import { ndarray } from '../src/tensor/ndarray.js';
import { arg, median } from './util.js';

const threads = Number(process.env.BENCH_THREADS ?? 2);
const ROUNDS = Number(arg('rounds', '3'));
const RUNS = Number(arg('runs', '10'));

const py = spawn('python3', ['tools/bench_nr_models_torch.py', String(threads), '--serve'], { stdio: ['pipe', 'pipe', 'inherit'], env: { ...process.env, OMP_NUM_THREADS: String(threads) } });
const lines = createInterface({ input: py.stdout! })[Symbol.asyncIterator]();
let torchVersion = '';
async function torchMs(model: string): Promise<number[]> {
  py.stdin!.write(`${JSON.stringify({ model, runs: RUNS })}\n`);
  const r = await lines.next();
  if (r.done) throw new Error('bench_nr_models_torch.py exited (is torch installed?)');
  const j = JSON.parse(r.value) as { ms: number[]; torch: string };
  torchVersion = j.torch;
  return j.ms;
}

const x = ndarray('float32', [1, 3, 224, 224], Float32Array.from({ length: 3 * 224 * 224 }, (_, i) => Math.sin(i)));
async function session(kind: NrModelKind, fused: boolean): Promise<Compiled> {
  useFusedAttention(fused);
  const model = buildNrModel(kind, {}, 'paper').eval();
  const g = new Graph();
  const c = await compile({ y: model.forward(g.input('x', [1, 3, 224, 224])) }, { threads });
  useFusedAttention(false);
  for (let i = 0; i < 2; i++) await c.run({ x });
  return c;
}
async function ortMs(c: Compiled): Promise<number[]> {
  const ms: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const t = performance.now();
    await c.run({ x });
    ms.push(performance.now() - t);
  }
  return ms;
}

const rows: string[] = [];
for (const kind of ['qfm-iqm', 'mfenet'] as NrModelKind[]) {
  const plain = await session(kind, false);
  const fused = await session(kind, true);
  const r = { plain: [] as number[], fused: [] as number[], torch: [] as number[] };
  for (let k = 0; k < ROUNDS; k++) {
    r.plain.push(median(await ortMs(plain)));
    r.fused.push(median(await ortMs(fused)));
    r.torch.push(median(await torchMs(kind)));
    process.stderr.write(`${kind} round ${k + 1}/${ROUNDS}: ort ${r.plain.at(-1)!.toFixed(1)} ms, ort fused attention ${r.fused.at(-1)!.toFixed(1)} ms, torch ${r.torch.at(-1)!.toFixed(1)} ms\n`);
  }
  await plain.release();
  await fused.release();
  const [p, f, t] = [median(r.plain), median(r.fused), median(r.torch)];
  const ips = (ms: number) => (1000 / ms).toFixed(2);
  rows.push(`| ${kind} | ${ips(p)} | ${ips(f)} | ${ips(t)} | ${(t / p).toFixed(2)}x | ${(t / f).toFixed(2)}x |`);
}
py.stdin!.end();
console.log(`\nFull-size NR models, 224x224, batch 1, ${threads} threads, median of ${ROUNDS} interleaved rounds of ${RUNS} runs\n`);
console.log(`| model | ours img/s | ours, fused attention img/s | PyTorch ${torchVersion} img/s | ratio | ratio (fused) |`);
console.log('|---|---|---|---|---|---|');
for (const r of rows) console.log(r);
