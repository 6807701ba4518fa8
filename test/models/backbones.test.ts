/**
 * Backbone parity with independent PyTorch references (tools/backbone_fixtures.py): reduced-width models with
 * seeded random float16-rounded weights and random BN statistics; every stage output on a fixed [2, 3, 64, 64]
 * input must match PyTorch float32 within relative L2 1e-4. Full-size configurations are checked by state-dict
 * names and shapes against the references.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { Graph } from '../../src/engine/graph/graph.js';
import { compile } from '../../src/engine/runtime/index.js';
import { readSafetensorsFile } from '../../src/io/safetensors.js';
import { loadBackbone, loadState, swinKeyMap } from '../../src/models/weights.js';
import {
  BACKBONES, alexnet, resnet18, resnet50, smallCnn, squeezenet1_1, SwinTransformer, Van, vgg16, VisionTransformer, type Backbone, type BackboneName,
} from '../../src/models/backbones/index.js';
import type { NdArray } from '../../src/tensor/ndarray.js';
import { relL2 } from '../helpers/rel-l2.js';

const FIX = 'test/fixtures/backbones';

const CASES: [string, () => Backbone][] = [
  ['resnet18', () => resnet18({ numClasses: 0, baseWidth: 8 })],
  ['resnet50', () => resnet50({ numClasses: 0, baseWidth: 8 })],
  ['vgg16', () => vgg16({ widthDivisor: 8 })],
  ['vgg16_l2', () => vgg16({ widthDivisor: 8, pool: 'l2' })],
  ['alexnet', () => alexnet({ widthDivisor: 4 })],
  ['squeezenet1_1', () => squeezenet1_1({ widthDivisor: 4 })],
  ['swin', () => new SwinTransformer({ embedDim: 16, depths: [2, 2, 2, 2], numHeads: [1, 2, 4, 8], window: 4, imgSize: 64 })],
  ['swin_per_stage', () => new SwinTransformer({ embedDim: 16, depths: [2, 2, 2, 2], numHeads: [1, 2, 4, 8], window: 4, imgSize: 64, outNorms: 'per-stage' })],
  ['vit', () => new VisionTransformer({ embedDim: 48, depth: 4, numHeads: 3, patch: 16, imgSize: 64 })],
  ['van', () => new Van({ embedDims: [8, 16, 40, 64], depths: [1, 1, 2, 1] })],
  ['small_cnn', () => smallCnn({ widths: [8, 16, 24, 32] })],
];

for (const [name, build] of CASES) {
  test(`${name}: stage outputs match the PyTorch reference (relL2 <= 1e-4)`, async () => {
    const path = `${FIX}/${name}.safetensors`;
    const net = await loadBackbone(name, path, { build, ignoreUnexpected: [/^features\.\d+\.filter$/] });
    const { tensors } = await readSafetensorsFile(path);
    const x = tensors.__input__ as NdArray<'float32'>;
    const g = new Graph();
    const feats = net.features(g.input('x', x.shape));
    const outs: Record<string, (typeof feats)[number]> = {};
    feats.forEach((f, i) => (outs[`y${i}`] = f));
    const c = await compile(outs, { threads: 1 });
    const r = await c.run({ x });
    await c.release();
    assert.equal(feats.length, Object.keys(tensors).filter((k) => /^__out\d+__$/.test(k)).length);
    feats.forEach((f, i) => {
      const want = tensors[`__out${i}__`];
      assert.deepEqual(f.shape, want.shape, `stage ${i} shape`);
      const e = relL2(r[`y${i}`].data as Float32Array, want.data as Float32Array);
      assert.ok(e <= 1e-4, `${name} stage ${i}: relL2 ${e}`);
    });
  });
}

test('full-size backbones have the torchvision / timm state-dict names and shapes', () => {
  const want = JSON.parse(readFileSync(`${FIX}/full_shapes.json`, 'utf8')) as Record<string, Record<string, number[]>>;
  for (const [name, shapes] of Object.entries(want)) {
    const net = BACKBONES[name as BackboneName]();
    const own = Object.fromEntries(net.namedTensors().map(([k, p]) => [k, [...p.shape]]));
    assert.deepEqual(Object.keys(own).sort(), Object.keys(shapes).sort(), name);
    for (const k of Object.keys(shapes)) assert.deepEqual(own[k], shapes[k], `${name} ${k}`);
  }
});

test('loadState: wrong shapes, missing and unexpected keys are clear errors', async () => {
  const net = resnet18({ numClasses: 0, baseWidth: 8 });
  const { tensors } = await readSafetensorsFile(`${FIX}/resnet18.safetensors`);
  const { ['conv1.weight']: _c, ...missing } = tensors;
  assert.throws(() => loadState(net, missing), /1 missing: conv1\.weight/);
  assert.throws(() => loadState(net, { ...tensors, 'extra.weight': tensors['conv1.weight'] }), /unexpected: extra\.weight/);
  assert.throws(() => loadState(resnet18({ numClasses: 0, baseWidth: 16 }), tensors), /shape: expected \[16(, 3, 7, 7)?\], got \[8(, 3, 7, 7)?\] \(wrong model size or variant\?\)/);
  await assert.rejects(loadBackbone('resnet50', '/nonexistent/resnet50.safetensors'), /expected a safetensors file at '\/nonexistent\/resnet50\.safetensors', got no such file/);
});

test('Swin checkpoints in the original Microsoft / mmdet layout load through swinKeyMap', async () => {
  const path = `${FIX}/swin.safetensors`;
  const { tensors } = await readSafetensorsFile(path);
  // original layout: PatchMerging at the end of the previous stage, `backbone.` prefix (mmdet)
  const old: Record<string, NdArray> = {};
  for (const [k, v] of Object.entries(tensors)) {
    const m = /^layers\.(\d+)\.downsample\.(.*)$/.exec(k);
    old[`backbone.${m ? `layers.${Number(m[1]) - 1}.downsample.${m[2]}` : k}`] = v;
  }
  const build = () => new SwinTransformer({ embedDim: 16, depths: [2, 2, 2, 2], numHeads: [1, 2, 4, 8], window: 4, imgSize: 64 });
  const a = build();
  loadState(a, old, { keyMap: swinKeyMap });
  const b = await loadBackbone('swin', path, { build });
  for (const [[ka, pa], [kb, pb]] of a.namedTensors().map((e, i) => [e, b.namedTensors()[i]] as const)) {
    assert.equal(ka, kb);
    assert.deepEqual(pa.value.data, pb.value.data, ka);
  }
});
