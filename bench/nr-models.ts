/**
 * `npm run bench:nr-models`: full-size QFM-IQM (ViT-S/16 + gate + attention panel) and MFENet (VAN-B2 + HFEN/AFF +
 * ResNet-50 DAN/FFM) inference images/s at 224x224, batch 1, on onnxruntime (this toolkit) vs PyTorch CPU running the
 * reference modules of tools/gen_nr_models_parity.py, same thread count. Random weights (speed does not depend on them).
 * Issue 8 asks for >= 1.5x PyTorch.
 */
import { execFileSync } from 'node:child_process';
import { Graph } from '../src/engine/graph/graph.js';
import { compile } from '../src/engine/runtime/index.js';
import { buildNrModel, type NrModelKind } from '../src/models/nr-models.js';
import { ndarray } from '../src/tensor/ndarray.js';
import { useFusedAttention } from '../src/engine/fused/attention.js';

// --fused-attention: inference graphs use the fused Attention node (src/engine/fused/attention.ts)
if (process.argv.includes('--fused-attention')) useFusedAttention(true);

const threads = Number(process.env.BENCH_THREADS ?? 2);
const runs = Number(process.env.BENCH_RUNS ?? 10);
const ours: Record<string, number> = {};
for (const kind of ['qfm-iqm', 'mfenet'] as NrModelKind[]) {
  const model = buildNrModel(kind, {}, 'paper').eval();
  const g = new Graph();
  const net = await compile({ y: model.forward(g.input('x', [1, 3, 224, 224])) }, { threads });
  const x = ndarray('float32', [1, 3, 224, 224], Float32Array.from({ length: 3 * 224 * 224 }, (_, i) => Math.sin(i)));
  for (let i = 0; i < 2; i++) await net.run({ x });
  const t = performance.now();
  for (let i = 0; i < runs; i++) await net.run({ x });
  ours[kind] = (runs * 1000) / (performance.now() - t);
  await net.release();
}
const ref = JSON.parse(execFileSync('python3', ['tools/bench_nr_models_torch.py', String(threads), String(runs)], { encoding: 'utf8' }).trim().split('\n').pop()!) as { torch: string; ips: Record<string, number> };
console.log(`| model (224x224, batch 1, ${threads} threads) | ours img/s | PyTorch ${ref.torch} img/s | ratio |`);
console.log('|---|---|---|---|');
for (const k of Object.keys(ours)) console.log(`| ${k} | ${ours[k].toFixed(2)} | ${ref.ips[k].toFixed(2)} | ${(ours[k] / ref.ips[k]).toFixed(2)}x |`);
