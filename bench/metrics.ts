/**
 * `npm run bench`: per-image time (decode excluded) of every FR metric in the registry at 512x384 and 1920x1080,
 * side by side in the same run with
 * - the JS libraries ssim.js 3.x and @blazediff/ssim (SSIM / MS-SSIM values and time on the same images; their
 *   values differ from MATLAB `ssim.m` where they use Octave even-kernel anchoring, conventions.md §7),
 * - PyTorch CPU through torchmetrics (bench/torch_metrics.py, a child process, torch.set_num_threads(2)),
 * - pyiqa's published CPU figures (conventions.md §6.1, 1080x800, decode included) scaled to the same pixels.
 * Method: generated images (bench/scene.ts); each candidate is created once and warmed up once; then R interleaved
 * rounds (each round times every candidate once, in a rotated order); the median is reported. A candidate whose
 * warm-up exceeds --slow-ms runs a single timed round.
 *
 * Options: --metrics a,b (registry names; default every FR metric) --sizes 512x384,1920x1080 --rounds 5
 *          --no-js --no-torch --slow-ms 3000 --json
 */
import { parseArgs } from 'node:util';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir, cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import * as ssimJsModule from 'ssim.js';
import { ssim as blazeSsim } from '@blazediff/ssim';
import { msssim as blazeMsssim } from '@blazediff/ssim/msssim';
import { getMetricEntry, listMetrics } from '../src/registry.js';
import type { Image } from '../src/tensor/image.js';
import { benchPair, toPlanarBytes, toRgba } from './scene.js';
import { median } from './util.js';

/** pyiqa `tests/Efficiency_benchmark.csv`, CPU column (cpu_xe6150), seconds per image at 1080x800, decode included. */
const PYIQA_CPU_S: Record<string, number> = {
  psnr: 0.042, ssim: 0.507, ssimc: 1.44, ms_ssim: 0.659, cw_ssim: 0.834, gmsd: 0.052, fsim: 0.117, vsi: 0.099,
  vif: 0.635, nlpd: 0.134, mad: 14.41, lpips: 0.205, dists: 2.931,
};
/** Our registry name -> the pyiqa metric whose figure it is compared with. */
const PYIQA_NAME: Record<string, string> = { ssim_index: 'ssim', ssim_pyiqa: 'ssim', fsimc: 'fsim' };

const { values: args } = parseArgs({
  options: {
    metrics: { type: 'string' },
    sizes: { type: 'string', default: '512x384,1920x1080' },
    rounds: { type: 'string', default: '5' },
    'no-js': { type: 'boolean', default: false },
    'no-torch': { type: 'boolean', default: false },
    'slow-ms': { type: 'string', default: '3000' },
    json: { type: 'boolean', default: false },
  },
});
const rounds = Math.max(1, Number(args.rounds));
const slowMs = Number(args['slow-ms']);
const sizes = args.sizes!.split(',').map((s) => {
  const [w, h] = s.toLowerCase().split('x').map(Number);
  if (!(w > 0 && h > 0)) throw new Error(`bench: --sizes: expected WxH[,WxH...], got '${s}'`);
  return { label: `${w}x${h}`, w, h };
});
const allFr = listMetrics({ mode: 'FR' }).map((m) => m.name);
const metricNames = args.metrics ? args.metrics.split(',').map((s) => getMetricEntry(s.trim()).name) : allFr;

type SsimJsFn = (a: { data: Uint8ClampedArray; width: number; height: number }, b: { data: Uint8ClampedArray; width: number; height: number }, o?: Record<string, unknown>) => { mssim: number };
const ssimJs: SsimJsFn = (ssimJsModule as unknown as { ssim: SsimJsFn }).ssim;

interface Candidate {
  size: string;
  group: 'ours' | 'js';
  name: string;
  /** For JS libraries: the toolkit metric with the same intended definition. */
  compareWith?: string;
  note?: string;
  run: () => Promise<number> | number;
  times: number[];
  /** CPU time (user + system) of this process during each timed call. */
  cpu: number[];
  value: number;
  single?: boolean;
}

const log = (s: string) => { if (!args.json) process.stderr.write(s + '\n'); };

async function main() {
  const loadStart = loadavg()[0];
  const candidates: Candidate[] = [];
  const images: { size: string; w: number; h: number; ref: Image; dist: Image }[] = [];
  for (const s of sizes) {
    const { ref, dist } = benchPair(s.w, s.h, 1);
    images.push({ size: s.label, w: s.w, h: s.h, ref, dist });
    for (const name of metricNames) {
      const metric = await getMetricEntry(name).create();
      candidates.push({ size: s.label, group: 'ours', name, run: async () => (await metric.compute(dist, ref)).score, times: [], cpu: [], value: NaN });
    }
    if (!args['no-js']) {
      const a = { data: toRgba(dist), width: s.w, height: s.h }, b = { data: toRgba(ref), width: s.w, height: s.h };
      candidates.push(
        { size: s.label, group: 'js', name: 'ssim.js original', compareWith: 'ssim', note: "ssim: 'original', downsample: 'original' (ssim.m port, Octave anchoring)", run: () => ssimJs(a, b, { ssim: 'original', downsample: 'original', rgb2grayVersion: 'original' }).mssim, times: [], cpu: [], value: NaN },
        { size: s.label, group: 'js', name: 'ssim.js default', compareWith: 'ssim', note: 'weber approximation + downsampling (not Wang SSIM)', run: () => ssimJs(a, b).mssim, times: [], cpu: [], value: NaN },
        { size: s.label, group: 'js', name: '@blazediff/ssim ssim', compareWith: 'ssim', note: 'ssim.m-style downsampling, Octave anchoring, unrounded grey', run: () => blazeSsim(a.data, b.data, undefined, s.w, s.h), times: [], cpu: [], value: NaN },
        { size: s.label, group: 'js', name: '@blazediff/ssim msssim', compareWith: 'ms_ssim', note: "same-size symmetric filtering instead of 'valid'", run: () => blazeMsssim(a.data, b.data, undefined, s.w, s.h), times: [], cpu: [], value: NaN },
      );
    }
  }
  // warm-up (also records the value)
  for (const c of candidates) {
    const t0 = performance.now();
    c.value = await c.run();
    const dt = performance.now() - t0;
    if (dt > slowMs) c.single = true;
    log(`warm-up ${c.size} ${c.name}: ${dt.toFixed(1)} ms`);
  }
  for (let k = 0; k < rounds; k++) {
    for (const s of sizes) {
      const list = candidates.filter((c) => c.size === s.label && (!c.single || k === 0));
      const off = k % Math.max(1, list.length);
      for (const c of [...list.slice(off), ...list.slice(0, off)]) {
        const c0 = process.cpuUsage();
        const t0 = performance.now();
        await c.run();
        c.times.push(performance.now() - t0);
        const dc = process.cpuUsage(c0);
        c.cpu.push((dc.user + dc.system) / 1000);
      }
    }
  }

  // PyTorch (torchmetrics) in a child process, after the JS rounds (never concurrently)
  let torch: { torch?: string; torchmetrics?: string; threads?: number; dtype?: string; results: { size: string; metric: string; ms: number; value: number }[]; error?: string } = { results: [] };
  if (!args['no-torch']) {
    const dir = mkdtempSync(join(tmpdir(), 'iqa-bench-'));
    try {
      const job = {
        rounds,
        metrics: metricNames,
        images: images.map((im) => {
          const d = join(dir, `${im.size}-dist.rgb`), r = join(dir, `${im.size}-ref.rgb`);
          writeFileSync(d, toPlanarBytes(im.dist));
          writeFileSync(r, toPlanarBytes(im.ref));
          return { size: im.size, width: im.w, height: im.h, dist: d, ref: r };
        }),
      };
      log('running bench/torch_metrics.py (torchmetrics, CPU, 2 threads) ...');
      const py = spawnSync(process.env.PYTHON ?? 'python3', [fileURLToPath(new URL('./torch_metrics.py', import.meta.url))], {
        input: JSON.stringify(job), encoding: 'utf8', maxBuffer: 1 << 24,
      });
      if (py.status === 0) torch = JSON.parse(py.stdout.trim().split('\n').pop()!);
      else torch.error = (py.stderr || py.error?.message || 'failed').trim().split('\n').slice(-3).join(' | ');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }

  const ours = candidates.filter((c) => c.group === 'ours').map((c) => {
    const pkey = PYIQA_NAME[c.name] ?? c.name;
    const w = sizes.find((s) => s.label === c.size)!;
    const pyiqaMs = PYIQA_CPU_S[pkey] !== undefined ? PYIQA_CPU_S[pkey] * 1000 * (w.w * w.h) / (1080 * 800) : undefined;
    const t = torch.results.find((r) => r.size === c.size && r.metric === c.name);
    return { size: c.size, metric: c.name, ms: median(c.times), cpuMs: median(c.cpu), runs: c.times.length, value: c.value, pyiqaMs, pyiqaMetric: pyiqaMs !== undefined ? pkey : undefined, torchMs: t?.ms, torchValue: t?.value };
  });
  const js = candidates.filter((c) => c.group === 'js').map((c) => {
    const o = ours.find((r) => r.size === c.size && r.metric === c.compareWith);
    return { size: c.size, library: c.name, ms: median(c.times), cpuMs: median(c.cpu), runs: c.times.length, value: c.value, toolkitMetric: c.compareWith, toolkitValue: o?.value, toolkitMs: o?.ms, note: c.note };
  });

  // the must-reach for SSIM at the largest size
  const big = sizes.find((s) => s.label === '1920x1080') ?? sizes[sizes.length - 1];
  const s = ours.find((r) => r.size === big.label && r.metric === 'ssim');
  const verdict = s && {
    size: big.label,
    ssimMs: s.ms,
    ssimCpuMs: s.cpuMs,
    pyiqaScaledMs: s.pyiqaMs,
    speedupVsPyiqa: s.pyiqaMs !== undefined ? s.pyiqaMs / s.ms : undefined,
    speedupVsPyiqaCpu: s.pyiqaMs !== undefined ? s.pyiqaMs / s.cpuMs : undefined,
    meetsFiveX: s.pyiqaMs !== undefined ? s.pyiqaMs / s.ms >= 5 : undefined,
    vsJs: js.filter((j) => j.size === big.label && j.toolkitMetric === 'ssim').map((j) => ({ library: j.library, ms: j.ms, cpuMs: j.cpuMs, speedup: j.ms / s.ms, faster: s.ms < j.ms })),
  };

  // machine load: other processes competing for the cores inflate wall times (the CPU-time column is less affected)
  const env = { node: process.version, cpu: cpus()[0]?.model, cores: cpus().length, platform: `${process.platform}-${process.arch}`, rounds, loadavg: { start: loadStart, end: loadavg()[0] } };
  if (args.json) {
    process.stdout.write(JSON.stringify({ env, ours, js, torch, verdict }, null, 2) + '\n');
    return;
  }
  const f = (x: number | undefined, d = 1) => (x === undefined || Number.isNaN(x) ? '-' : x.toFixed(d));
  const v = (x: number | undefined) => (x === undefined || Number.isNaN(x) ? '-' : x.toPrecision(6));
  const row = (cols: string[], widths: number[]) => cols.map((c, i) => (i < 2 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
  console.log(`Node ${env.node}, ${env.cores} x ${env.cpu}; median of ${rounds} interleaved rounds; decode excluded; generated images (bench/scene.ts).`);
  console.log(`Load average ${env.loadavg.start.toFixed(1)} at start, ${env.loadavg.end.toFixed(1)} at end on ${env.cores} cores${env.loadavg.start > env.cores ? ': the machine is shared and wall times are inflated; "cpu ms" is the CPU time this process used per call' : ''}.`);
  console.log(`pyiqa = published CPU s/image at 1080x800 (Xeon E6150-class, decode included) scaled by pixels; torch = torchmetrics ${torch.torchmetrics ?? '-'} on torch ${torch.torch ?? '-'} CPU, ${torch.threads ?? '-'} threads, ${torch.dtype ?? ''}.`);
  if (torch.error) console.log(`torch: not run (${torch.error})`);
  const W1 = [10, 14, 10, 9, 12, 10, 8, 10, 12];
  console.log('\n' + row(['size', 'metric', 'ours ms', 'cpu ms', 'value', 'pyiqa ms', 'x pyiqa', 'torch ms', 'torch value'], W1));
  for (const r of ours) {
    console.log(row([r.size, r.metric, f(r.ms, 2) + (r.runs === 1 ? '*' : ''), f(r.cpuMs, 1), v(r.value), f(r.pyiqaMs), r.pyiqaMs ? f(r.pyiqaMs / r.ms, 1) : '-', f(r.torchMs, 2), v(r.torchValue)], W1));
  }
  if (js.length) {
    const W2 = [10, 24, 10, 9, 10, 9, 10, 10];
    console.log('\n' + row(['size', 'JS library', 'ms', 'cpu ms', 'value', 'toolkit', 'its value', 'ours ms'], W2));
    for (const r of js) console.log(row([r.size, r.library, f(r.ms, 2), f(r.cpuMs, 1), v(r.value), r.toolkitMetric ?? '-', v(r.toolkitValue), f(r.toolkitMs, 2)], W2) + `   ${r.note ?? ''}`);
  }
  if (verdict) {
    console.log(`\nSSIM (ssim.m exact) at ${verdict.size}: ${f(verdict.ssimMs, 2)} ms wall (${f(verdict.ssimCpuMs, 1)} ms CPU); pyiqa published scaled ${f(verdict.pyiqaScaledMs)} ms -> ${f(verdict.speedupVsPyiqa, 1)}x wall, ${f(verdict.speedupVsPyiqaCpu, 1)}x CPU (must reach 5x: ${verdict.meetsFiveX ? 'yes' : 'NO'} on wall time)`);
    for (const j of verdict.vsJs) console.log(`  vs ${j.library}: ${f(j.ms, 2)} ms -> ${f(j.speedup, 2)}x ${j.faster ? 'faster' : 'SLOWER'}`);
  }
  if (ours.some((r) => r.runs === 1)) console.log('* single timed round (warm-up exceeded --slow-ms)');
}

await main();
