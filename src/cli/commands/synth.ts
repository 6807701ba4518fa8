/**
 * `iqa synth`: generate the synthetic KADID-style set from a folder of pristine images (thin shell over
 * `synthesize` in src/data/synth/generate.ts). Progress bar on a TTY (cli-progress); `--json` prints the summary.
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Command } from 'commander';

/** Default longer-side limit: keeps generation of all 316 shared pristine images x 125 within ~10 min on 2 cores. */
export const DEFAULT_MAX_SIDE = 256;

const MOS_FILE = ['labels', 'kadid10k_mos_by_type_level.csv'] as const;

/** The shared pseudo-MOS table: $IQA_SHARED_DATA, then ../shared/data beside the working folder or the package. */
export function defaultPseudoMosPath(): string | null {
  const pkgRoot = resolve(fileURLToPath(new URL('../../..', import.meta.url)));
  const roots = [process.env.IQA_SHARED_DATA, resolve(process.cwd(), '..', 'shared', 'data'), resolve(process.cwd(), 'shared', 'data'), resolve(pkgRoot, '..', 'shared', 'data')];
  for (const r of roots) {
    if (!r) continue;
    const p = resolve(r, ...MOS_FILE);
    if (existsSync(p)) return p;
  }
  return null;
}

function intList(what: string): (v: string) => number[] {
  return (v) =>
    v.split(',').map((s) => {
      const n = Number(s.trim());
      if (!Number.isInteger(n)) throw new Error(`--${what}: expected comma-separated integers, got '${v}'`);
      return n;
    });
}
function int(what: string): (v: string) => number {
  return (v) => {
    const n = Number(v);
    if (!Number.isInteger(n)) throw new Error(`--${what}: expected an integer, got '${v}'`);
    return n;
  };
}

interface SynthCliOptions {
  pristine: string;
  out: string;
  seed: number;
  types?: string;
  levels?: number[];
  workers?: number;
  maxSide: number;
  mos?: string;
  png: number;
  json?: boolean;
}

export function register(program: Command): void {
  program
    .command('synth')
    .description('generate a synthetic IQA set: the 25 KADID-10k distortion types x 5 levels over pristine images, with a pseudo-MOS label CSV')
    .requiredOption('--pristine <dir>', '[dir] folder of pristine images (searched recursively)')
    .requiredOption('--out <dir>', '[dir] output folder: ref/, dist/, labels.csv (resumable)')
    .option('--seed <n>', '[integer] global seed', int('seed'), 0)
    .option('--types <list>', '[names or numbers] distortion types, comma-separated, e.g. gaussian_blur,jpeg or 1,10 (default: all 25)')
    .option('--levels <list>', '[integers 1..5] levels, comma-separated (default: 1,2,3,4,5)', intList('levels'))
    .option('--workers <n>', '[integer] parallel workers (default: min(2, cores))', int('workers'))
    .option('--max-side <n>', '[integer] shrink images whose longer side exceeds n, 0 keeps sizes', int('max-side'), DEFAULT_MAX_SIDE)
    .option('--mos <file>', '[path] kadid10k_mos_by_type_level.csv (default: the shared copy, via $IQA_SHARED_DATA or ../shared/data)')
    .option('--png <level>', '[0..9] PNG zlib level', int('png'), 3)
    .option('--json', '[boolean] print the summary as JSON (default: false)')
    .action(async (o: SynthCliOptions) => {
      try {
        const { synthesize } = await import('../../data/synth/generate.js');
        const mos = o.mos ?? defaultPseudoMosPath();
        if (!mos) throw new Error('iqa synth: pseudo-MOS table: expected --mos FILE or a shared data folder ($IQA_SHARED_DATA or ../shared/data), got neither');
        const tty = Boolean(process.stderr.isTTY) && !o.json;
        let bar: import('cli-progress').SingleBar | null = null;
        if (tty) {
          const { SingleBar, Presets } = await import('cli-progress');
          bar = new SingleBar({ format: 'synth [{bar}] {percentage}% | {value}/{total} outputs | {skipped} kept | ETA {eta_formatted}', stream: process.stderr }, Presets.shades_classic);
        }
        let started = false;
        const summary = await synthesize({
          pristine: o.pristine,
          out: o.out,
          seed: o.seed,
          types: o.types?.split(',').map((s) => s.trim()).filter(Boolean),
          levels: o.levels,
          workers: o.workers,
          maxSide: o.maxSide,
          pngCompression: o.png,
          pseudoMos: mos,
          onProgress: (p) => {
            if (!bar) return;
            if (!started) {
              bar.start(p.total, p.done, { skipped: p.skipped });
              started = true;
            } else bar.update(p.done, { skipped: p.skipped });
          },
        });
        bar?.stop();
        if (o.json) process.stdout.write(JSON.stringify(summary, null, 2) + '\n');
        else {
          process.stdout.write(
            `iqa synth: ${summary.images} images x ${summary.types.length} types x ${summary.levels.length} levels = ${summary.outputs} outputs ` +
              `(${summary.written} written, ${summary.skipped} kept) in ${summary.seconds.toFixed(1)} s; labels: ${summary.csv}\n`,
          );
        }
      } catch (e) {
        process.stderr.write(`error during synth:\n${e instanceof Error ? e.message : String(e)}\n`);
        process.exitCode = 1;
      }
    });
}
