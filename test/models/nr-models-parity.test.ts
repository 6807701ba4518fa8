/**
 * QFM-IQM and MFENet against PyTorch references written from the same design (tools/gen_nr_models_parity.py):
 * eval forward, and the training loss and every parameter gradient of one step (train-mode BN, stop-gradient in L_sens).
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { grad } from '../../src/engine/autodiff/index.js';
import { Graph, type Tensor } from '../../src/engine/graph/graph.js';
import { compile } from '../../src/engine/runtime/index.js';
import { parseSafetensors } from '../../src/io/safetensors.js';
import type { NdArray } from '../../src/tensor/ndarray.js';
import { Mfenet, MFENET_CPU } from '../../src/models/mfenet/mfenet.js';
import { mfenetLoss } from '../../src/models/mfenet/mfenet-loss.js';
import { QfmIqm } from '../../src/models/qfm/qfm-iqm.js';
import { qfmLoss } from '../../src/models/qfm/qfm-loss.js';
import type { Module } from '../../src/nn/module.js';

const load = (name: string) => parseSafetensors(new Uint8Array(readFileSync(new URL(`../fixtures/nr-models/${name}.safetensors`, import.meta.url))), name).tensors as Record<string, NdArray>;

function relL2(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let num = 0;
  let den = 0;
  for (let i = 0; i < a.length; i++) {
    num += (Number(a[i]) - Number(b[i])) ** 2;
    den += Number(b[i]) ** 2;
  }
  return Math.sqrt(num) / Math.max(Math.sqrt(den), 1e-12);
}

function stateOf(f: Record<string, NdArray>): Record<string, NdArray> {
  return Object.fromEntries(Object.entries(f).filter(([k]) => !/^(in|out|grad)\./.test(k)));
}

async function checkGrads(model: Module, f: Record<string, NdArray>, build: (g: Graph) => { loss: Tensor; stop?: Tensor[] }, tol: number): Promise<void> {
  model.train();
  const g = new Graph('input');
  const { loss, stop } = build(g);
  const ps = model.trainableParameters();
  const gs = grad(loss, ps.map((p) => g.param(p)), { stop });
  const outs: Record<string, Tensor> = { loss };
  ps.forEach((p, i) => (outs[`grad.${p.name}`] = gs[i]));
  const net = await compile(outs);
  const feeds: Record<string, NdArray> = {};
  for (const [k, v] of Object.entries(f)) if (k.startsWith('in.')) feeds[k.slice(3)] = v;
  const r = await net.run(feeds);
  await net.release();
  const l = Number(r.loss.data[0]);
  assert.ok(Math.abs(l - Number(f['out.loss'].data[0])) <= 1e-5 * Math.abs(l) + 1e-6, `loss ${l} vs ${f['out.loss'].data[0]}`);
  let checked = 0;
  const bad: string[] = [];
  const norm = (a: ArrayLike<number>) => Math.sqrt(Array.from(a).reduce((t, v) => t + v * v, 0));
  const scale = Math.max(...ps.map((p) => norm(f[`grad.${p.name}`].data as Float32Array)));
  for (const p of ps) {
    const ref = f[`grad.${p.name}`];
    assert.ok(ref, `reference gradient for ${p.name}`);
    const e = relL2(r[`grad.${p.name}`].data as Float32Array, ref.data as Float32Array);
    // a conv bias right before a batch-statistics BN has an analytically zero gradient: both sides are fp32 noise,
    // so those are compared in absolute terms against the largest gradient norm
    const tiny = norm(ref.data as Float32Array) < 1e-5 * scale && norm(r[`grad.${p.name}`].data as Float32Array) < 1e-5 * scale;
    if (!(e <= tol || tiny)) bad.push(`${p.name}: ${e.toExponential(2)}`);
    checked++;
  }
  assert.deepEqual(bad, [], 'gradients off');
  assert.equal(checked, Object.keys(f).filter((k) => k.startsWith('grad.')).length);
}

async function evalScore(model: Module & { forward(x: Tensor): Tensor }, x: NdArray): Promise<Float32Array> {
  model.eval();
  const g = new Graph();
  const net = await compile({ y: model.forward(g.input('x', x.shape)) });
  const y = (await net.run({ x })).y.data as Float32Array;
  await net.release();
  return y;
}

test('QFM-IQM: eval forward and one training step gradients match the PyTorch reference', async () => {
  const f = load('qfm');
  const m = new QfmIqm({ embedDim: 32, depth: 2, numHeads: 4, imgSize: 32, patch: 8, initValues: 1, numQueries: 3, gateReduction: 4, gate: true, seed: 0 });
  m.loadStateDict(stateOf(f));
  const y = await evalScore(m, f['in.x']);
  assert.ok(relL2(y, f['out.score'].data as Float32Array) < 1e-5, `score relL2 ${relL2(y, f['out.score'].data as Float32Array)}`);
  await checkGrads(m, f, (g) => {
    const inp = { x: g.input('x', [4, 3, 32, 32]), y: g.input('y', [4, 1]), partner: g.input('partner', [4], 'int64'), mask: g.input('mask', [4, 1]), eps: g.input('eps', [4, 1]) };
    return qfmLoss(m, inp, { sens: 1, match: 0.1, kd: 0 });
  }, 1e-3);
});

test('MFENet: eval forward and one training step gradients (frozen DAN) match the PyTorch reference', async () => {
  const f = load('mfenet');
  const m = new Mfenet({ ...MFENET_CPU, vanDims: [8, 8, 16, 16], vanDepths: [1, 1, 1, 1], hfenStem: [4, 8], octMid: 1, danBlock: 'basic', danLayers: [1, 1, 1, 1], danWidth: 4, headHidden: 16, dropout: 0, numClasses: 3 });
  m.loadStateDict(stateOf(f));
  const y = await evalScore(m, f['in.x']);
  assert.ok(relL2(y, f['out.score'].data as Float32Array) < 1e-5, `score relL2 ${relL2(y, f['out.score'].data as Float32Array)}`);
  await checkGrads(m, f, (g) => mfenetLoss(m, g.input('x', [4, 3, 64, 64]), g.input('y', [4, 1]), g.input('onehot', [4, 3]), g.input('hf', [4, 1, 64, 64]), { cls: 0.1, hf: 0.05 }), 1e-3);
});
