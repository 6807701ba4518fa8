/**
 * `iqa fit niqe|il-niqe|brisque`: fits the parameter files of the NR metrics from your own images.
 * - `iqa fit niqe --pristine DIR --out FILE [--patch 96] [--sharpness 0.75]`
 * - `iqa fit il-niqe --pristine DIR --out FILE`
 * - `iqa fit brisque --dataset CSV --out FILE [--root DIR] [--gamma 0.05] [--cost 1024] [--epsilon 0.1]`
 *   (CSV columns `ref,dist,score`, header optional; the distorted image and its score are used, `ref` is ignored;
 *   relative paths are resolved against --root, default the CSV's folder).
 * The written JSON loads with `--options '{"niqe": {"modelPath": FILE}}'` (and the loaders in io/params.ts).
 */
import type { Command } from 'commander';

function num(v: string | undefined, name: string, def: number): number {
  if (v === undefined) return def;
  const n = Number(v);
  if (!Number.isFinite(n)) throw new Error(`--${name}: expected a number, got '${v}'`);
  return n;
}

function progress(quiet: boolean | undefined) {
  return (path: string, i: number, n: number) => {
    if (!quiet) process.stderr.write(`\r${i + 1}/${n} ${path.length > 60 ? '…' + path.slice(-59) : path}`.padEnd(72));
  };
}

export function register(program: Command): void {
  const fit = program.command('fit').description('fit NR metric models (NIQE / IL-NIQE pristine models, BRISQUE SVR) from your images');

  fit
    .command('niqe')
    .description('fit a NIQE pristine model from a folder of pristine photos (official estimatemodelparam procedure)')
    .requiredOption('--pristine <dir>', 'folder of pristine images (searched recursively)')
    .requiredOption('--out <file>', 'output model JSON')
    .option('--patch <n>', 'block size (default 96)')
    .option('--sharpness <t>', 'keep blocks with sharpness > t * max (default 0.75)')
    .option('-q, --quiet', 'no progress')
    .action(async (o: { pristine: string; out: string; patch?: string; sharpness?: string; quiet?: boolean }) => {
      const { writeFileSync } = await import('node:fs');
      const { imagesInDir } = await import('../../io/params.js');
      const { fitNiqe } = await import('../../metrics/nr/fit/niqe.js');
      const { serializeMvgModel } = await import('../../metrics/nr/model-format.js');
      const r = await fitNiqe({ images: imagesInDir(o.pristine, progress(o.quiet)), patchSize: num(o.patch, 'patch', 96), sharpnessThreshold: num(o.sharpness, 'sharpness', 0.75) });
      writeFileSync(o.out, serializeMvgModel(r.model, { metric: 'niqe', source: `iqa fit niqe --pristine ${o.pristine}: ${r.images} images, ${r.blocks} blocks` }) + '\n');
      if (!o.quiet) process.stderr.write(`\nniqe: ${r.images} images, ${r.blocks} blocks -> ${o.out}\n`);
    });

  fit
    .command('il-niqe')
    .description('fit an IL-NIQE template model (PCA + pristine MVG) from a folder of pristine photos')
    .requiredOption('--pristine <dir>', 'folder of pristine images (searched recursively)')
    .requiredOption('--out <file>', 'output model JSON')
    .option('--sharpness <t>', 'keep patches with sharpness > t * max (default 0.78)')
    .option('-q, --quiet', 'no progress')
    .action(async (o: { pristine: string; out: string; sharpness?: string; quiet?: boolean }) => {
      const { writeFileSync } = await import('node:fs');
      const { imagesInDir } = await import('../../io/params.js');
      const { fitIlNiqe } = await import('../../metrics/nr/fit/il-niqe.js');
      const { serializeIlNiqeModel } = await import('../../metrics/nr/model-format.js');
      const r = await fitIlNiqe({ images: imagesInDir(o.pristine, progress(o.quiet)), sharpnessThreshold: num(o.sharpness, 'sharpness', 0.78) });
      writeFileSync(o.out, serializeIlNiqeModel(r.model, { metric: 'ilniqe', source: `iqa fit il-niqe --pristine ${o.pristine}: ${r.images} images, ${r.blocks} patches` }) + '\n');
      if (!o.quiet) process.stderr.write(`\nil-niqe: ${r.images} images, ${r.blocks} patches -> ${o.out}\n`);
    });

  fit
    .command('brisque')
    .description('train a BRISQUE epsilon-SVR (libsvm) from a scored dataset CSV ref,dist,score')
    .requiredOption('--dataset <csv>', 'CSV with columns ref,dist,score (header optional)')
    .requiredOption('--out <file>', 'output model JSON')
    .option('--root <dir>', 'folder that relative image paths are resolved against (default: the CSV folder)')
    .option('--gamma <g>', 'RBF gamma (default 0.05)')
    .option('--cost <c>', 'SVR C (default 1024)')
    .option('--epsilon <p>', 'SVR epsilon (default 0.1)')
    .option('-q, --quiet', 'no progress')
    .action(async (o: { dataset: string; out: string; root?: string; gamma?: string; cost?: string; epsilon?: string; quiet?: boolean }) => {
      const { readFileSync, writeFileSync } = await import('node:fs');
      const { dirname, isAbsolute, resolve } = await import('node:path');
      const { readImage } = await import('../../io/decode.js');
      const { fitBrisque } = await import('../../metrics/nr/fit/brisque.js');
      const { serializeBrisqueModel } = await import('../../metrics/nr/brisque-format.js');
      const root = o.root ?? dirname(o.dataset);
      const rows = readFileSync(o.dataset, 'utf8').split(/\r?\n/).map((l) => l.trim()).filter(Boolean).map((l) => l.split(',').map((c) => c.trim().replace(/^"|"$/g, '')));
      const data = rows.filter((r, i) => !(i === 0 && r.length >= 3 && !Number.isFinite(Number(r[2]))));
      for (const [i, r] of data.entries()) {
        if (r.length < 3 || !Number.isFinite(Number(r[2]))) throw new Error(`${o.dataset}: row ${i + 1}: expected ref,dist,score, got '${r.join(',')}'`);
      }
      const report = progress(o.quiet);
      async function* items() {
        for (const [i, r] of data.entries()) {
          const p = isAbsolute(r[1]) ? r[1] : resolve(root, r[1]);
          report(p, i, data.length);
          yield { image: await readImage(p), score: Number(r[2]) };
        }
      }
      const r = await fitBrisque({ items: items(), gamma: num(o.gamma, 'gamma', 0.05), cost: num(o.cost, 'cost', 1024), epsilon: num(o.epsilon, 'epsilon', 0.1) });
      writeFileSync(o.out, serializeBrisqueModel(r.model, { metric: 'brisque', source: `iqa fit brisque --dataset ${o.dataset}: ${r.items} images` }) + '\n');
      if (!o.quiet) process.stderr.write(`\nbrisque: ${r.items} images, ${r.model.svr.n} support vectors -> ${o.out}\n`);
    });
}
