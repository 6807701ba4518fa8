/**
 * NR metric timings on a 1080x800 generated RGB image, beside pyiqa's published CPU figures (conventions.md §6.1,
 * `tests/Efficiency_benchmark.csv`, cpu_xe6150; pyiqa's timing includes decoding the file, so we time decoding a
 * PNG of the same image + scoring, and scoring alone). Run: npm run bench:nr [-- --iters N].
 */
import sharp from 'sharp';
import { decodeImage } from '../src/io/decode.js';
import { makeImage, type Image } from '../src/tensor/image.js';
import { loadBrisqueModel } from '../src/io/params.js';
import { niqe } from '../src/metrics/nr/niqe.js';
import { brisque, type BrisqueModel } from '../src/metrics/nr/brisque.js';
import { piqe } from '../src/metrics/nr/piqe.js';
import { entropy } from '../src/metrics/nr/entropy.js';
import { lapvar } from '../src/metrics/nr/lapvar.js';
import { jpegWsb } from '../src/metrics/nr/jpeg-wsb.js';
import { cpbd } from '../src/metrics/nr/cpbd.js';
import { ilniqe } from '../src/metrics/nr/il-niqe.js';
import { fileURLToPath } from 'node:url';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { loadavg } from 'node:os';

const W = 1080, H = 800;
const itersArg = process.argv.indexOf('--iters');
const ITERS = itersArg > 0 ? Number(process.argv[itersArg + 1]) : 9;

function generated(): Image {
  // smooth colour gradients + texture + edges, deterministic
  const n = W * H, d = new Float64Array(3 * n);
  let s = 12345;
  const rnd = () => ((s = (s * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
  for (let y = 0; y < H; y++) for (let x = 0; x < W; x++) {
    const t = 60 * Math.sin(x / 37) * Math.cos(y / 23) + 30 * Math.sin((x + 2 * y) / 7) + ((x >> 5) + (y >> 5)) % 2 * 25;
    for (let c = 0; c < 3; c++) d[c * n + y * W + x] = Math.min(255, Math.max(0, Math.round(110 + t + 20 * c + 8 * (rnd() - 0.5))));
  }
  return makeImage(W, H, 3, d);
}

async function pngOf(img: Image): Promise<Uint8Array> {
  const n = W * H, raw = Buffer.alloc(3 * n);
  for (let i = 0; i < n; i++) for (let c = 0; c < 3; c++) raw[3 * i + c] = img.data[c * n + i];
  return sharp(raw, { raw: { width: W, height: H, channels: 3 } }).png().toBuffer();
}

/** Seconds per call: [wall, CPU], each the median over ITERS timed calls after 3 warm-ups. CPU time
 * (process.cpuUsage, user + system) is what the metric costs; wall time also counts waiting for a core, which on a
 * shared machine can be many times larger. */
function time(fn: () => unknown): [number, number] {
  for (let i = 0; i < 3; i++) fn();
  const walls: number[] = [], cpus: number[] = [];
  for (let i = 0; i < ITERS; i++) {
    const t = performance.now(), c = process.cpuUsage();
    fn();
    const cu = process.cpuUsage(c);
    walls.push((performance.now() - t) / 1000);
    cpus.push((cu.user + cu.system) / 1e6);
  }
  const med = (a: number[]) => a.sort((x, y) => x - y)[a.length >> 1];
  return [med(walls), med(cpus)];
}

const img = generated();
const png = await pngOf(img);
const brisquePath = fileURLToPath(new URL('../../shared/data/params/brisque_opencv/brisque_model_live.yml', import.meta.url));
const brisqueModel: BrisqueModel | null = existsSync(brisquePath) ? loadBrisqueModel(brisquePath) : null;

const rows: [string, number | null, (im: Image) => unknown][] = [
  ['niqe', 0.211, (im) => niqe(im)],
  ['brisque', 0.118, (im) => (brisqueModel ? brisque(im, { model: brisqueModel }) : null)],
  ['piqe', 0.080, (im) => piqe(im)],
  ['ilniqe', 2.767, (im) => ilniqe(im)],
  ['entropy', null, (im) => entropy(im)],
  ['lapvar', null, (im) => lapvar(im)],
  ['jpeg_wsb', null, (im) => jpegWsb(im)],
  ['cpbd', null, (im) => cpbd(im)],
];

const [decodeWall, decodeT] = await (async () => {
  await decodeImage(png);
  const t = performance.now(), c = process.cpuUsage();
  for (let i = 0; i < ITERS; i++) await decodeImage(png);
  const cu = process.cpuUsage(c);
  return [(performance.now() - t) / ITERS / 1000, (cu.user + cu.system) / 1e6 / ITERS];
})();

// The generated image is textured noise, a worst case for PNG (zlib) decoding. Where the shared pristine photos are
// present, the decode of five natural photos (urban100, resized to 1080x800, PNG) is timed too, as a second column.
const natural = fileURLToPath(new URL('../../shared/data/pristine/urban100/', import.meta.url));
const naturalDecodeT = await (async (): Promise<number | null> => {
  if (!existsSync(natural)) return null;
  const files = readdirSync(natural).filter((f) => f.endsWith('.png')).sort().slice(0, 5);
  const pngs = await Promise.all(files.map((f) => sharp(join(natural, f)).resize(W, H, { fit: 'fill' }).png().toBuffer()));
  const per: number[] = [];
  for (const p of pngs) {
    await decodeImage(p);
    const c = process.cpuUsage();
    for (let i = 0; i < ITERS; i++) await decodeImage(p);
    const cu = process.cpuUsage(c);
    per.push((cu.user + cu.system) / 1e6 / ITERS);
  }
  return per.sort((a, b) => a - b)[2];
})();

const load = () => loadavg().map((v) => v.toFixed(2)).join(' / ');
console.log(`NR metrics on a ${W}x${H} RGB image, median of ${ITERS} runs after 3 warm-ups, Node ${process.version}, load average (1/5/15 min) at start ${load()}`);
console.log(`PNG decode (sharp): CPU ${(decodeT * 1000).toFixed(1)} ms, wall ${(decodeWall * 1000).toFixed(1)} ms`);
if (naturalDecodeT !== null) console.log(`PNG decode of natural photos (5 urban100 photos at ${W}x${H}, median): CPU ${(naturalDecodeT * 1000).toFixed(1)} ms`);
const nat = (t: number, py: number | null) => (naturalDecodeT === null ? ' - | - |' : ` ${(t + naturalDecodeT).toFixed(3)} | ${py === null ? '-' : (py / (t + naturalDecodeT)).toFixed(1) + 'x'} |`);
console.log('| metric | ours: compute only, CPU (s) | ours: compute only, wall (s) | ours: decode + compute, CPU (s) | pyiqa CPU (s, decode incl.) | speed-up (CPU, decode incl.) | ours: natural-photo decode + compute | speed-up |');
console.log('|---|---|---|---|---|---|---|---|');
for (const [name, py, fn] of rows) {
  if (name === 'brisque' && !brisqueModel) { console.log('| brisque | (no model: shared/data/params missing) | | | 0.118 | | | |'); continue; }
  let wall: number, t: number;
  try {
    [wall, t] = time(() => fn(img));
  } catch (e) {
    console.log(`| ${name} | error: ${(e as Error).message} | | | | | | |`);
    continue;
  }
  const total = t + decodeT;
  console.log(`| ${name} | ${t.toFixed(3)} | ${wall.toFixed(3)} | ${total.toFixed(3)} | ${py === null ? '-' : py.toFixed(3)} | ${py === null ? '-' : (py / total).toFixed(1) + 'x'} |${nat(t, py)}`);
}
console.log(`load average (1/5/15 min) at end ${load()}`);
