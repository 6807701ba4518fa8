/**
 * Generates the project's own example images (no third-party photos): a procedural "scene" with smooth shading,
 * edges, text-like strokes and texture, and distorted versions (blur, noise, JPEG). Seeded and deterministic.
 * Run: node --import tsx tools/make-examples.ts
 */
import sharp from 'sharp';
import { mkdirSync, writeFileSync } from 'node:fs';

function rng(seed: number) {
  let s = seed >>> 0;
  return () => ((s = (Math.imul(s ^ (s >>> 15), 0x2c1b3c6d) + 0x6d2b79f5) >>> 0) / 4294967296);
}

function scene(w: number, h: number, seed: number): Buffer {
  const r = rng(seed);
  const buf = Buffer.alloc(w * h * 3);
  const blobs = Array.from({ length: 7 }, () => ({ x: r() * w, y: r() * h, rad: 20 + r() * 70, c: [r() * 255, r() * 255, r() * 255] }));
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) {
    // sky-like vertical gradient + fine texture
    let c = [90 + 120 * (y / h), 130 + 60 * Math.sin(x / 40), 200 - 100 * (y / h)];
    const tex = 18 * Math.sin(x * 0.9 + y * 0.35) * Math.sin(y * 0.7);
    if (y > h * 0.62) c = [70 + tex, 120 + tex + 30 * Math.sin(x / 9), 50 + tex]; // "grass" with texture
    for (const b of blobs) {
      const d = Math.hypot(x - b.x, y - b.y);
      if (d < b.rad) {
        const shade = 0.6 + 0.4 * Math.cos((d / b.rad) * Math.PI * 0.5);
        c = b.c.map((v) => v * shade);
      }
    }
    if (((x >> 3) + (y >> 3)) % 2 === 0 && x > w * 0.7 && y < h * 0.3) c = [240, 240, 240]; // checkerboard patch
    if (Math.abs(x - y * 1.3 - 40) < 1.5) c = [20, 20, 20]; // a thin diagonal stroke
    for (let k = 0; k < 3; k++) buf[(y * w + x) * 3 + k] = Math.max(0, Math.min(255, Math.round(c[k])));
  }
  return buf;
}

async function main(): Promise<void> {
  const w = 384, h = 256;
  mkdirSync('examples/pairs/ref', { recursive: true });
  mkdirSync('examples/pairs/dist', { recursive: true });
  const raw = { raw: { width: w, height: h, channels: 3 as const } };
  for (const [i, seed] of [1, 2, 3].entries()) {
    const ref = scene(w, h, seed);
    const refPng = await sharp(ref, raw).png().toBuffer();
    writeFileSync(`examples/pairs/ref/scene${i + 1}.png`, refPng);
    const noise = rng(100 + seed);
    const noisy = Buffer.from(ref.map((v) => Math.max(0, Math.min(255, Math.round(v + (noise() - 0.5) * 40 * (i + 1) / 2)))));
    const distorted = [
      sharp(ref, raw).blur(1 + i).png(),
      sharp(noisy, raw).png(),
      sharp(ref, raw).jpeg({ quality: 12 }),
    ][i];
    const decoded = await sharp(await distorted.toBuffer()).removeAlpha().png().toBuffer();
    writeFileSync(`examples/pairs/dist/scene${i + 1}.png`, decoded);
    if (i === 0) {
      writeFileSync('examples/ref.png', refPng);
      writeFileSync('examples/dist.png', await sharp(await sharp(ref, raw).jpeg({ quality: 15 }).toBuffer()).png().toBuffer());
    }
  }
}
void main();
