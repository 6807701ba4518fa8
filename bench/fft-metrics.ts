// CPU time per image pair of the FFT-bound FR metrics (process.cpuUsage: the machine is shared).
// Usage: node --import tsx bench/fft-metrics.ts [WxH ...] [--only=fsim,vsi] [--reps=2]
// Prints ms per call (after one warm-up call) and the score to 17 digits (to check that speed work changes nothing).
import { makeImage, type Image } from '../src/tensor/image.js';
import { fsim, fsimc } from '../src/metrics/fr/fsim.js';
import { vsi } from '../src/metrics/fr/vsi.js';
import { srSim, srSimc } from '../src/metrics/fr/sr-sim.js';
import { mad } from '../src/metrics/fr/mad.js';
import { vif } from '../src/metrics/fr/vif.js';
import { nlpd } from '../src/metrics/fr/nlpd.js';

/** Seeded procedural RGB test image (smooth gradients, rings and noise); `noise` adds a distortion. */
function synth(w: number, h: number, seed: number, noise: number): Image {
  let s = seed >>> 0 || 1;
  const rnd = () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 4294967296);
  const d = new Float64Array(3 * w * h);
  for (let c = 0; c < 3; c++) for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) {
    const r = Math.hypot(x - w / 2, y - h / 2);
    const v = 128 + 60 * Math.sin(r / (7 + 3 * c)) + 40 * Math.cos((x * (c + 1)) / 23) * Math.sin(y / 17) + noise * (rnd() - 0.5);
    d[c * w * h + y * w + x] = Math.min(255, Math.max(0, Math.round(v)));
  }
  return makeImage(w, h, 3, d);
}

const args = process.argv.slice(2);
const sizes = args.filter((a) => /^\d+x\d+$/.test(a)).map((a) => a.split('x').map(Number));
const only = args.find((a) => a.startsWith('--only='))?.slice(7).split(',');
const reps = Number(args.find((a) => a.startsWith('--reps='))?.slice(7) ?? 2);
const metrics: [string, (d: Image, r: Image) => { score: number }][] = [
  ['fsim', fsim], ['fsimc', fsimc], ['vsi', vsi], ['sr_sim', srSim], ['sr_simc', srSimc], ['mad', mad], ['vif', vif], ['nlpd', nlpd],
];
const ms = (u: NodeJS.CpuUsage): number => (u.user + u.system) / 1000;
for (const [w, h] of sizes.length ? sizes : [[512, 384], [1920, 1080]]) {
  const ref = synth(w, h, 1, 0), dist = synth(w, h, 2, 40);
  for (const [name, fn] of metrics) {
    if (only && !only.includes(name)) continue;
    const score = fn(dist, ref).score; // warm-up (JIT, plan and filter-bank caches)
    const t0 = process.cpuUsage();
    for (let i = 0; i < reps; i++) fn(dist, ref);
    console.log(`${w}x${h} ${name.padEnd(8)} ${(ms(process.cpuUsage(t0)) / reps).toFixed(0).padStart(7)} ms  score ${score.toPrecision(17)}`);
  }
}
