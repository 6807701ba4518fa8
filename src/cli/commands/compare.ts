/** `iqa compare -m ssim,fsim DIST REF`: full-reference scores for a pair, or two folders paired by file name. */
import type { Command } from 'commander';
import { runScoring, type ScoringFlags } from '../scoring.js';

export function register(program: Command): void {
  program
    .command('compare')
    .description('score distorted image(s) against reference(s) with full-reference metrics; folders are paired by file name')
    .argument('<dist>', 'distorted image or folder')
    .argument('<ref>', 'reference image or folder')
    .requiredOption('-m, --metric <names>', 'comma-separated metric names (see `iqa list --mode FR`)')
    .option('--json', 'print JSON')
    .option('--csv', 'print CSV')
    .option('--map <path>', 'write quality maps as heat-map PNGs (a file for one pair, else a folder)')
    .option('--resize', 'resize the distorted image to the reference size (MATLAB bicubic) instead of failing')
    .option('--workers <n>', 'worker threads (default: all cores)')
    .option('--alpha <policy>', "alpha channel: 'drop' (default, as MATLAB/PIL) or 'white' (composite on white)")
    .option('--options <json>', 'per-metric options as JSON, e.g. \'{"ssim":{"downsample":false}}\'')
    .option('-q, --quiet', 'no progress bar')
    .action(async (dist: string, ref: string, flags: ScoringFlags) => {
      const { isDirectory, pairFolders } = await import('../../io/pairing.js');
      const [dDir, rDir] = await Promise.all([isDirectory(dist), isDirectory(ref)]);
      if (dDir !== rDir) throw new Error(`DIST and REF must both be files or both be folders: ${dist} is a ${dDir ? 'folder' : 'file'}, ${ref} is a ${rDir ? 'folder' : 'file'}`);
      if (!dDir) {
        process.exitCode = await runScoring([{ id: 0, name: dist, dist, ref }], flags, true);
        return;
      }
      const p = await pairFolders(dist, ref);
      if (p.unpairedDist.length) console.error(`unpaired in ${dist} (no reference of the same name): ${p.unpairedDist.join(', ')}`);
      if (p.unpairedRef.length) console.error(`unpaired in ${ref} (no distorted image of the same name): ${p.unpairedRef.join(', ')}`);
      process.exitCode = await runScoring(p.pairs.map((x, id) => ({ id, ...x })), flags, false);
    });
}
