// Synthetic-distortion speed: CPU ms per type (5 levels) and per PNG write for one image.
// Usage: node --import tsx bench/synth.ts [image] [maxSide=256]
import { DISTORTIONS, distort } from '../src/data/synth/index.js';
import { encodePng, jpegRoundTrip, readImageFit } from '../src/io/encode-image.js';

const path = process.argv[2] ?? '../shared/data/pristine/kodak24/kodim01.png';
const maxSide = Number(process.argv[3] ?? 256);
const img = await readImageFit(path, maxSide);
const codecs = { jpeg: jpegRoundTrip };
const ms = (u: NodeJS.CpuUsage): number => (u.user + u.system) / 1000;
const per = new Map<string, number>();
for (let rep = 0; rep < 3; rep++) {
  for (const t of DISTORTIONS) {
    const t0 = process.cpuUsage();
    for (let l = 1; l <= 5; l++) await distort(img, t.id, l, { seed: rep, codecs });
    if (rep > 0) per.set(t.name, (per.get(t.name) ?? 0) + ms(process.cpuUsage(t0)) / 2); // rep 0 warms up
  }
}
const t0 = process.cpuUsage();
for (let i = 0; i < 20; i++) await encodePng(img, { compressionLevel: 3 });
const png = (ms(process.cpuUsage(t0)) / 20) * 125;
const total = [...per.values()].reduce((a, b) => a + b, 0);
console.log(`${img.width}x${img.height}: ${total.toFixed(0)} ms CPU for 125 distortions + ${png.toFixed(0)} ms PNG encoding`);
for (const [k, v] of [...per].sort((a, b) => b[1] - a[1])) console.log(`${k.padEnd(24)} ${v.toFixed(1).padStart(7)} ms  ${((100 * v) / total).toFixed(1)}%`);
