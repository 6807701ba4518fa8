/**
 * YOTO body parity against the PyTorch reference written from the spec (tools/models/yoto_ref.py): forward in FR,
 * NR and legacy-FR modes, aggregated tokens, and the gradients of one MSE step, in float32 on onnxruntime.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { Graph, type Tensor } from '../../src/engine/graph/graph.js';
import { grad } from '../../src/engine/autodiff/grad.js';
import { mul, reshape, sub, sum } from '../../src/engine/ops/index.js';
import { constant } from '../../src/engine/ops/index.js';
import { compile } from '../../src/engine/runtime/compile.js';
import { ndarray } from '../../src/tensor/ndarray.js';
import { Yoto } from '../../src/models/yoto/yoto.js';
import { formulaStateDict } from '../../src/models/common.js';

interface Arr { shape: number[]; data: number[] }
interface Picks { sum: number; l2: number; idx: number[]; val: number[] }
const fx = JSON.parse(readFileSync(new URL('../fixtures/models/yoto_parity.json', import.meta.url), 'utf8')) as {
  config: { channels: number[]; dim: number; crop: number; batch: number };
  names: string[];
  fx: Arr[];
  fy: Arr[];
  target: number[];
  score: Record<'FR' | 'NR' | 'legacyFR', number[]>;
  tokens: { idx: number[]; FR: number[]; NR: number[] };
  loss: Record<'FR' | 'NR', number>;
  grads: Record<'FR' | 'NR', Record<string, Picks>>;
};

function makeNet(): Yoto {
  const net = new Yoto({ encoder: 'none', channels: fx.config.channels, dim: fx.config.dim, crop: fx.config.crop });
  net.loadStateDict(formulaStateDict(net));
  return net.eval();
}

function inputs(g: Graph): { x: Tensor[]; y: Tensor[]; feeds: Record<string, ReturnType<typeof ndarray>> } {
  const feeds: Record<string, ReturnType<typeof ndarray>> = {};
  const mk = (arrs: Arr[], p: string) =>
    arrs.map((a, i) => {
      feeds[`${p}${i}`] = ndarray('float32', a.shape, a.data);
      return g.input(`${p}${i}`, a.shape);
    });
  return { x: mk(fx.fx, 'x'), y: mk(fx.fy, 'y'), feeds };
}

const close = (got: ArrayLike<number>, want: readonly number[], tol: number, what: string) => {
  for (let i = 0; i < want.length; i++) assert.ok(Math.abs(got[i] - want[i]) <= tol * (1 + Math.abs(want[i])), `${what}[${i}]: ${got[i]} vs ${want[i]}`);
};

test('yoto: parameter names equal the reference state dict', () => {
  assert.deepEqual(Object.keys(makeNet().stateDict()).sort(), fx.names);
});

test('yoto: forward FR / NR / legacy FR and tokens match PyTorch (fp32)', async () => {
  const net = makeNet();
  const g = new Graph();
  const { x, y, feeds } = inputs(g);
  const fr = net.forwardFeatures(x, y, 'FR');
  const nr = net.forwardFeatures(x, null, 'NR');
  const tf = reshape(net.tokens(x, y, 'FR'), [-1]);
  const tn = reshape(net.tokens(x, null, 'NR'), [-1]);
  net.legacyRefSegment = true;
  const legacy = net.forwardFeatures(x, y, 'FR');
  const c = await compile({ fr, nr, tf, tn, legacy });
  const r = await c.run(feeds);
  close(r.fr.data as Float32Array, fx.score.FR, 2e-5, 'FR score');
  close(r.nr.data as Float32Array, fx.score.NR, 2e-5, 'NR score');
  close(r.legacy.data as Float32Array, fx.score.legacyFR, 2e-5, 'legacy FR score');
  const pick = (a: ArrayLike<number>) => fx.tokens.idx.map((i) => a[i]);
  close(pick(r.tf.data as Float32Array), fx.tokens.FR, 1e-4, 'FR tokens');
  close(pick(r.tn.data as Float32Array), fx.tokens.NR, 1e-4, 'NR tokens');
  // the legacy call differs from the fixed FR call
  assert.notDeepEqual(Array.from(r.legacy.data as Float32Array), Array.from(r.fr.data as Float32Array));
  await c.release();
});

for (const mode of ['FR', 'NR'] as const) {
  test(`yoto: ${mode} training-step gradients match PyTorch`, async () => {
    const net = makeNet();
    const g = new Graph('input');
    const { x, y, feeds } = inputs(g);
    const pred = net.forwardFeatures(x, mode === 'FR' ? y : null, mode);
    const d = sub(pred, constant(g, [fx.target.length], fx.target));
    const loss = mul(sum(mul(d, d)), 1 / fx.target.length);
    const params = g.paramTensors().filter((t) => t.leaf?.kind === 'param' && t.leaf.asInput && t.leaf.param.requiresGrad && !t.leaf.param.isBuffer);
    const grads = grad(loss, params);
    const outs: Record<string, Tensor> = { loss };
    params.forEach((p, i) => (outs[`g${i}`] = grads[i]));
    const c = await compile(outs);
    const r = await c.run(feeds);
    assert.ok(Math.abs(Number(r.loss.data[0]) - fx.loss[mode]) < 1e-5 * (1 + fx.loss[mode]));
    const want = fx.grads[mode];
    let checked = 0;
    params.forEach((p, i) => {
      const name = (p.leaf as { param: { name: string } }).param.name;
      const w = want[name];
      assert.ok(w, `gradient for ${name} in the fixture`);
      const gd = r[`g${i}`].data as Float32Array;
      let l2 = 0;
      for (const v of gd) l2 += v * v;
      const scale = Math.max(w.l2, 1e-6);
      assert.ok(Math.abs(Math.sqrt(l2) - w.l2) <= 1e-3 * scale + 1e-7, `${name} grad L2 ${Math.sqrt(l2)} vs ${w.l2}`);
      w.idx.forEach((k, j) => assert.ok(Math.abs(gd[k] - w.val[j]) <= 1e-3 * scale + 1e-7, `${name} grad[${k}] ${gd[k]} vs ${w.val[j]}`));
      checked++;
    });
    // every trainable parameter reached by the loss has a gradient in both frameworks
    assert.equal(checked, Object.keys(want).length);
    await c.release();
  });
}
