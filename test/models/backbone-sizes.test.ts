/**
 * ViT and Swin at input sizes other than the trained one, against timm's own modules (tools/backbone_sizes_fixtures.py,
 * reduced widths, seeded float16 weights, input seededUniform(7)): ViT (trained 224, patch 16) at 160x224 and
 * 256x256 with the position embedding resampled as timm `resample_abs_pos_embed` (antialias true and false); Swin
 * (window 7) built for 160x224 (last window 5x7), 256x256 (padded windows) and 224x96 (7x6 window shifted on one
 * axis). Every stage output within relative L2 1e-4 of PyTorch float32. Also the size errors.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Graph } from '../../src/engine/graph/graph.js';
import { compile } from '../../src/engine/runtime/index.js';
import { readSafetensorsFile } from '../../src/io/safetensors.js';
import { loadState } from '../../src/models/weights.js';
import { SwinTransformer, VisionTransformer, type Backbone } from '../../src/models/backbones/index.js';
import { bicubicMatrix } from '../../src/models/backbones/vit.js';
import { ndarray, type NdArray } from '../../src/tensor/ndarray.js';
import { relL2 } from '../helpers/rel-l2.js';
import { seededUniform } from '../helpers/seeded-weights.js';

const FIX = 'test/fixtures/backbones';

async function stages(net: Backbone, h: number, w: number): Promise<Float32Array[]> {
  const x = ndarray('float32', [1, 3, h, w], Float32Array.from(seededUniform(7, 3 * h * w)));
  const g = new Graph();
  const feats = net.features(g.input('x', x.shape));
  const c = await compile(Object.fromEntries(feats.map((f, i) => [`y${i}`, f])), { threads: 1 });
  const r = await c.run({ x });
  await c.release();
  return feats.map((_, i) => r[`y${i}`].data as Float32Array);
}

function weightsOnly(t: Record<string, NdArray>): Record<string, NdArray> {
  return Object.fromEntries(Object.entries(t).filter(([k]) => !k.startsWith('__')));
}

test('ViT at 160x224 and 256x256 matches timm (pos_embed resampled, antialias on and off)', async () => {
  const { tensors } = await readSafetensorsFile(`${FIX}/vit_sizes.safetensors`);
  for (const aa of [true, false]) {
    const net = new VisionTransformer({ embedDim: 24, depth: 4, numHeads: 2, patch: 16, imgSize: 224, posEmbedAntialias: aa });
    loadState(net, weightsOnly(tensors));
    for (const [h, w] of [[160, 224], [256, 256]]) {
      const got = await stages(net, h, w);
      assert.equal(got.length, 5);
      got.forEach((y, i) => {
        const want = tensors[`__out${i}_${h}x${w}_${aa ? 'aa' : 'noaa'}__`];
        assert.equal(y.length, want.data.length);
        const e = relL2(y, want.data as Float32Array);
        if (process.env.IQA_PRINT) console.log(`vit ${h}x${w} aa=${aa} out ${i}: relL2 ${e}`);
        assert.ok(e <= 1e-4, `vit ${h}x${w} aa=${aa} out ${i}: relL2 ${e}`);
      });
    }
  }
});

test('bicubicMatrix: rows sum to 1, identity at equal sizes, antialias widens the support when shrinking', () => {
  for (const aa of [true, false]) {
    const m = bicubicMatrix(14, 10, aa);
    for (let i = 0; i < 10; i++) {
      let s = 0;
      for (let j = 0; j < 14; j++) s += m[i * 14 + j];
      assert.ok(Math.abs(s - 1) < 1e-12);
    }
    const id = bicubicMatrix(5, 5, aa);
    for (let i = 0; i < 25; i++) assert.ok(Math.abs(id[i] - (i % 6 === 0 ? 1 : 0)) < 1e-15);
  }
  const taps = (m: Float64Array) => Array.from(m.subarray(5 * 14, 6 * 14)).filter((v) => v !== 0).length;
  assert.ok(taps(bicubicMatrix(14, 10, true)) > taps(bicubicMatrix(14, 10, false)));
});

for (const [h, w] of [[160, 224], [256, 256], [224, 96]] as const) {
  test(`Swin built for ${h}x${w} (window 7) matches timm`, async () => {
    const { tensors } = await readSafetensorsFile(`${FIX}/swin_${h}x${w}.safetensors`);
    const net = new SwinTransformer({ embedDim: 4, depths: [2, 2, 2, 2], numHeads: [1, 2, 4, 8], window: 7, imgSize: [h, w] });
    loadState(net, weightsOnly(tensors));
    const got = await stages(net, h, w);
    got.forEach((y, i) => {
      const want = tensors[`__out${i}__`];
      assert.equal(y.length, want.data.length);
      const e = relL2(y, want.data as Float32Array);
      if (process.env.IQA_PRINT) console.log(`swin ${h}x${w} stage ${i}: relL2 ${e}`);
      assert.ok(e <= 1e-4, `swin ${h}x${w} stage ${i}: relL2 ${e}`);
    });
  });
}

test('Swin / ViT size errors', () => {
  assert.throws(() => new SwinTransformer({ imgSize: [200, 224] }), /SwinTransformer: imgSize: expected height and width multiples of 32 \(patch 4 x 2\^3 patch merges\), got 200x224/);
  const g = new Graph();
  const swin = new SwinTransformer({ embedDim: 4, depths: [2, 2, 2, 2], numHeads: [1, 2, 4, 8], window: 7, imgSize: [160, 224] });
  assert.throws(() => swin.features(g.input('x', [1, 3, 224, 224])), /SwinTransformer: input size: expected 160x224 \(the imgSize it was built for; build with imgSize: \[H, W\] for another size\), got 224x224/);
  const vit = new VisionTransformer({ embedDim: 24, depth: 1, numHeads: 2, patch: 16, imgSize: 224 });
  assert.throws(() => vit.features(g.input('y', [1, 3, 8, 224])), /VisionTransformer: input: expected \[B, 3, H, W\] with H, W >= the patch 16, got \[1, 3, 8, 224\]/);
  // a 224-trained table does not fit a shrunken window: the loader names the tensor
  const full = new SwinTransformer({ embedDim: 4, depths: [2, 2, 2, 2], numHeads: [1, 2, 4, 8], window: 7, imgSize: 224 });
  assert.throws(() => loadState(swin, full.stateDict()), /layers\.3\.blocks\.0\.attn\.relative_position_bias_table/);
});
