/**
 * DISTS `resize` (official `prepare_image`): on two formula-defined 300x270 images, the metric with resize equals the
 * metric without resize on the images Pillow produces (our resize output is checked byte for byte against Pillow's
 * SHA-256 from tools/pil_resize_fixtures.py), and differs from the full-size score. Small seeded VGG (width / 8).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { Dists, distsMetric, distsPrepare, DISTS_METRIC } from '../../src/models/dists.js';
import { vgg16 } from '../../src/models/backbones/vgg.js';
import { makeImage, type Image } from '../../src/tensor/image.js';
import { seedModule, seededValues } from '../helpers/seeded-weights.js';

interface Hash { image: 'ref' | 'dist'; width: number; height: number; outWidth: number; outHeight: number; sha256: string }
const fx = JSON.parse(readFileSync('test/fixtures/signal/pil_resize.json', 'utf8')) as { formula: Hash[] };

/** The integer formula of tools/pil_resize_fixtures.py. */
function formula(W: number, H: number, which: 'ref' | 'dist'): Image {
  const d = new Float64Array(3 * W * H);
  for (let c = 0; c < 3; c++) {
    for (let y = 0; y < H; y++) {
      for (let x = 0; x < W; x++) {
        let v = (3 * x + 5 * y + 85 * c + ((x * y) % 53) * 4) % 256;
        if (which === 'dist') v = Math.min(255, Math.max(0, v + ((x * 7 + y * 11 + c) % 23) - 11));
        d[(c * H + y) * W + x] = v;
      }
    }
  }
  return makeImage(W, H, 3, d);
}

test('distsPrepare reproduces Pillow / torchvision resize(img, 256) byte for byte', () => {
  for (const h of fx.formula) {
    const r = distsPrepare(formula(h.width, h.height, h.image));
    assert.deepEqual([r.width, r.height], [h.outWidth, h.outHeight]);
    const sha = createHash('sha256').update(Uint8Array.from(r.data)).digest('hex');
    assert.equal(sha, h.sha256, `${h.image}`);
  }
  const small = formula(256, 300, 'ref');
  assert.equal(distsPrepare(small), small, 'shorter side 256: unchanged');
});

test('DISTS with resize equals DISTS on the Pillow-resized images; resize: false scores at full size', async () => {
  const m = new Dists(vgg16({ pool: 'l2', widthDivisor: 8 }));
  seedModule(m.vgg, 11);
  const n = m.alpha.value.data.length;
  m.alpha.value = { ...m.alpha.value, data: Float32Array.from(seededValues(3, n, 0.1), Math.abs) };
  m.beta.value = { ...m.beta.value, data: Float32Array.from(seededValues(4, n, 0.1), Math.abs) };
  const ref = formula(300, 270, 'ref');
  const dist = formula(300, 270, 'dist');
  const withResize = distsMetric(m);
  const noResize = distsMetric(m, { resize: false });
  try {
    const a = (await withResize.compute(dist, ref)).score;
    const b = (await noResize.compute(distsPrepare(dist), distsPrepare(ref))).score;
    const full = (await noResize.compute(dist, ref)).score;
    assert.ok(a > 0 && Number.isFinite(a), `${a}`);
    assert.equal(a, b);
    assert.ok(Math.abs(a - full) > 1e-4 * a, `resize should change the score: ${a} vs ${full}`);
  } finally {
    await withResize.dispose?.();
    await noResize.dispose?.();
  }
  assert.match(DISTS_METRIC.description, /prepare_image resize/);
});
