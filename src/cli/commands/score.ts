/** `iqa score -m niqe,brisque IMG|DIR ...`: no-reference scores for images and folders. */
import type { Command } from 'commander';
import { runScoring, type ScoringFlags } from '../scoring.js';

export function register(program: Command): void {
  program
    .command('score')
    .description('score images with no-reference metrics')
    .argument('<inputs...>', 'images and/or folders (searched recursively)')
    .requiredOption('-m, --metric <names>', 'comma-separated metric names (see `iqa list --mode NR`)')
    .option('--json', 'print JSON')
    .option('--csv', 'print CSV')
    .option('--map <path>', 'write quality maps as heat-map PNGs (a file for one image, else a folder)')
    .option('--workers <n>', 'worker threads (default: all cores)')
    .option('--alpha <policy>', "alpha channel: 'drop' (default) or 'white'")
    .option('--options <json>', 'per-metric options as JSON')
    .option('--ref-pool <dir>', 'non-aligned-reference metrics (cvrkd): a folder of high-quality images of any content')
    .option('-q, --quiet', 'no progress bar')
    .action(async (inputs: string[], flags: ScoringFlags & { refPool?: string }) => {
      if (flags.refPool) {
        const opts = flags.options ? (JSON.parse(flags.options) as Record<string, Record<string, unknown>>) : {};
        opts.cvrkd = { referencePool: flags.refPool, ...(opts.cvrkd ?? {}) };
        flags.options = JSON.stringify(opts);
      }
      const { isDirectory, listImages } = await import('../../io/pairing.js');
      const { join } = await import('node:path');
      const files: string[] = [];
      for (const i of inputs) {
        if (await isDirectory(i)) files.push(...(await listImages(i)).map((f) => join(i, f)));
        else files.push(i);
      }
      process.exitCode = await runScoring(files.map((f, id) => ({ id, name: f, dist: f })), flags, files.length === 1);
    });
}
