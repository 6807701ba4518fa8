/**
 * LPIPS (alex, vgg, squeeze) and DISTS against PyTorch references written from the papers / official code
 * (tools/lpips_dists_fixtures.py): full-size trunks with shared deterministic hash weights, the real v0.1 lin
 * layers and DISTS alpha/beta from ../shared/data/params. Scores within 1e-4 relative, input gradients (the
 * training-loss path) within relL2 1e-3. Also the registry entries end to end, and the missing-weights errors.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Graph } from '../../src/engine/graph/graph.js';
import { grad } from '../../src/engine/autodiff/index.js';
import { compile } from '../../src/engine/runtime/index.js';
import { serializeSafetensors } from '../../src/io/safetensors.js';
import { Lpips, loadLpipsLinear, LPIPS_METRICS, type LpipsNet } from '../../src/models/lpips.js';
import { Dists, loadDistsAlphaBeta, DISTS_METRIC } from '../../src/models/dists.js';
import { alexnet } from '../../src/models/backbones/alexnet.js';
import { vgg16 } from '../../src/models/backbones/vgg.js';
import { makeImage } from '../../src/tensor/image.js';
import { ndarray } from '../../src/tensor/ndarray.js';
import { needsSharedData, sharedPath } from '../helpers/shared-data.js';
import { seededUniform, seedModule } from '../helpers/seeded-weights.js';
import { relL2 } from '../helpers/rel-l2.js';

const fx = JSON.parse(readFileSync('test/fixtures/backbones/lpips_dists.json', 'utf8')) as Record<string, number & number[]>;
const S = fx.size as number;
const n = 3 * S * S;
const u0 = seededUniform(1, n);
const u1 = seededUniform(2, n);
const x0 = Float32Array.from(u0);
const x1 = Float32Array.from(u0, (v, i) => Math.min(1, Math.max(0, v + 0.2 * (2 * u1[i] - 1))));
const shape = [1, 3, S, S];

async function run(dist: (a: ReturnType<Graph['input']>, b: ReturnType<Graph['input']>) => ReturnType<Graph['input']>, withGrad: boolean) {
  const g = new Graph();
  const a = g.input('a', shape);
  const b = g.input('b', shape);
  const d = dist(a, b);
  const outs: Record<string, typeof d> = { d };
  if (withGrad) outs.ga = grad(d, [a])[0];
  const c = await compile(outs);
  const r = await c.run({ a: ndarray('float32', shape, x0), b: ndarray('float32', shape, x1) });
  const self = await c.run({ a: ndarray('float32', shape, x0), b: ndarray('float32', shape, x0) });
  await c.release();
  return { d: (r.d.data as Float32Array)[0], ga: r.ga?.data as Float32Array | undefined, self: (self.d.data as Float32Array)[0] };
}

for (const trunk of ['alex', 'vgg', 'squeeze'] as LpipsNet[]) {
  test(`lpips-${trunk} matches the PyTorch reference (score, self-distance${trunk === 'alex' ? ', input gradient' : ''})`, { skip: needsSharedData }, async () => {
    const m = new Lpips(trunk);
    seedModule(m.net, fx.seed as number);
    await loadLpipsLinear(m, sharedPath('params', 'lpips_v0.1', `${trunk}.json`));
    const r = await run((a, b) => m.distance(a, b, true), trunk === 'alex');
    const want = fx[`lpips_${trunk}`] as number;
    assert.ok(Math.abs(r.d - want) <= 1e-4 * want, `lpips-${trunk}: ${r.d} vs ${want}`);
    assert.ok(Math.abs(r.self) < 1e-9, `self distance ${r.self}`);
    if (r.ga) {
      const e = relL2(r.ga, fx.lpips_alex_grad as number[]);
      assert.ok(e <= 1e-3, `gradient relL2 ${e}`);
    }
  });
}

test('dists matches the PyTorch reference (score and input gradient)', { skip: needsSharedData }, async () => {
  const m = new Dists(vgg16({ pool: 'l2' }));
  seedModule(m.vgg, fx.seed as number);
  await loadDistsAlphaBeta(m, sharedPath('params', 'dists', 'alpha_beta.json'));
  const r = await run((a, b) => m.distance(a, b), true);
  const want = fx.dists as number;
  assert.ok(Math.abs(r.d - want) <= 1e-4 * want, `dists ${r.d} vs ${want}`);
  assert.ok(Math.abs(r.self) < 1e-6, `self distance ${r.self}`);
  const e = relL2(r.ga!, fx.dists_grad as number[]);
  assert.ok(e <= 1e-3, `gradient relL2 ${e}`);
});

test('lpips / dists registry entries: missing weights are clear errors; with weights the score matches', { skip: needsSharedData }, async () => {
  const lp = LPIPS_METRICS.find((e) => e.name === 'lpips')!;
  await assert.rejects(async () => lp.create({}), /lpips\(alex\): option backboneWeights: expected a path to ImageNet torchvision alexnet weights/);
  await assert.rejects(async () => DISTS_METRIC.create({ linearWeights: 'x.json' }), /dists: option backboneWeights/);
  await assert.rejects(async () => lp.create({ backboneWeights: '/nope/alexnet.safetensors', linearWeights: 'x' }), /expected a safetensors file at '\/nope\/alexnet\.safetensors', got no such file/);
  const dir = mkdtempSync(join(tmpdir(), 'lpips-'));
  try {
    const net = alexnet();
    seedModule(net, fx.seed as number);
    const file = join(dir, 'alexnet.safetensors');
    writeFileSync(file, serializeSafetensors(net.stateDict()));
    const metric = await lp.create({ backboneWeights: file, linearWeights: sharedPath('params', 'lpips_v0.1', 'alex.json') });
    const img = (x: Float32Array) => makeImage(S, S, 3, Float64Array.from(x, (v) => v * 255));
    const { score } = await metric.compute(img(x0), img(x1));
    assert.ok(Math.abs(score - (fx.lpips_alex as number)) <= 1e-4 * (fx.lpips_alex as number), `${score}`);
    await metric.dispose?.();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
