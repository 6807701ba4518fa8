/**
 * Pillow `Image.resize` bit-exactness (tools/pil_resize_fixtures.py, generated images, Pillow uint8 bilinear /
 * bicubic / box to smaller, larger and mixed sizes): every output byte must equal Pillow's.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { pilCoefficients, pilResize, pilResizeU8, shorterSideTo, type PilFilter } from '../../src/signal/pil-resize.js';
import { makeImage } from '../../src/tensor/image.js';

interface Src { name: string; width: number; height: number; channels: number; data: string }
interface Case { source: string; width: number; height: number; filter: PilFilter; data: string }
const fx = JSON.parse(readFileSync('test/fixtures/signal/pil_resize.json', 'utf8')) as { sources: Src[]; cases: Case[] };
const bytes = (s: string) => new Uint8Array(Buffer.from(s, 'base64'));
const sources = new Map(fx.sources.map((s) => [s.name, { ...s, u8: bytes(s.data) }]));

test('pilResizeU8 is bit-exact against Pillow (42 cases: down, up, mixed, 1x1; bilinear, bicubic, box)', () => {
  assert.ok(fx.cases.length >= 40);
  for (const c of fx.cases) {
    const s = sources.get(c.source)!;
    const got = pilResizeU8(s.u8, s.width, s.height, s.channels, c.width, c.height, c.filter);
    const want = bytes(c.data);
    assert.equal(got.length, want.length);
    let bad = 0;
    for (let i = 0; i < got.length; i++) if (got[i] !== want[i]) bad++;
    assert.equal(bad, 0, `${c.source} -> ${c.width}x${c.height} ${c.filter}: ${bad} of ${got.length} bytes differ`);
  }
});

test('pilResize on an Image rounds to uint8 first; coefficients sum to 1; torchvision shorter-side size', () => {
  const s = sources.get('noise_rgb_37x23')!;
  const img = makeImage(37, 23, 3, Float64Array.from(s.u8, (v, i) => v + (i % 2 ? 0.3 : -0.3)));
  const want = bytes(fx.cases.find((c) => c.source === s.name && c.width === 13 && c.filter === 'bilinear')!.data);
  assert.deepEqual(Array.from(pilResize(img, 13, 9).data), Array.from(want));
  const c = pilCoefficients(37, 13, 'bicubic');
  for (let i = 0; i < 13; i++) {
    let t = 0;
    for (let j = 0; j < c.ksize; j++) t += c.k[i * c.ksize + j];
    assert.ok(Math.abs(t - 1) < 1e-12);
  }
  assert.deepEqual(shorterSideTo(300, 270, 256), [284, 256]);
  assert.deepEqual(shorterSideTo(270, 301, 256), [256, 285]);
  assert.throws(() => pilResize(img, 0, 5), /pilResize: output size: expected positive integer width and height, got 0x5/);
});
