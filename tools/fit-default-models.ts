/**
 * Fits the toolkit's own default NIQE (and IL-NIQE) models on the shared pristine photos and writes them under
 * models/. Run: node --import tsx tools/fit-default-models.ts [niqe|il-niqe] (not run in CI).
 */
import { writeFileSync } from 'node:fs';
import { imagesInDir } from '../src/io/params.js';
import { fitNiqe } from '../src/metrics/nr/fit/niqe.js';

import { serializeIlNiqeModel, serializeMvgModel } from '../src/metrics/nr/model-format.js';

const which = process.argv[2] ?? 'niqe';
const t0 = performance.now();
const dir = process.env.IQA_PRISTINE ?? new URL('../../shared/data/pristine', import.meta.url).pathname;
const progress = (p: string, i: number, n: number) => { if (i % 10 === 0) console.error(`${i}/${n} ${p} ${((performance.now() - t0) / 1000).toFixed(0)} s`); };
if (which === 'niqe') {
  const r = await fitNiqe({ images: imagesInDir(dir, progress) });
  writeFileSync('models/niqe_toolkit.json', serializeMvgModel(r.model, {
    metric: 'niqe',
    source: `iqa-toolkit fitNiqe (official estimatemodelparam.m procedure: patch 96, sharpness threshold 0.75, rgb2gray) on ${r.images} pristine photos (${r.blocks} blocks): shared/data/pristine (BSD100, CBSD68, Kodak24, McMaster, Set14, scikit-image, Urban100)`,
  }) + '\n');
  console.error(`niqe: ${r.images} images, ${r.blocks} blocks, ${((performance.now() - t0) / 1000).toFixed(1)} s`);
} else {
  const { ilniqePristineRows, ilniqeModelFromRows } = await import('../src/metrics/nr/fit/il-niqe.js');
  // IQA_ILNIQE_EVERY=k fits on every k-th image (sorted paths) when time is short; default all images.
  // The kept feature rows are cached in IQA_ILNIQE_ROWS (a .f64 file) so the PCA/MVG step can be rerun cheaply.
  const every = Number(process.env.IQA_ILNIQE_EVERY ?? 1);
  const cache = process.env.IQA_ILNIQE_ROWS;
  const { readImage } = await import('../src/io/decode.js');
  const { listImageFiles } = await import('../src/io/params.js');
  const { existsSync, readFileSync } = await import('node:fs');
  // IQA_ILNIQE_SHARD=k/n computes the rows of every n-th image from the k-th (parallel processes); the shards' row
  // files concatenated (they are plain float64 rows) are one cache for the final fit.
  const [shard, shards] = (process.env.IQA_ILNIQE_SHARD ?? '0/1').split('/').map(Number);
  const files = listImageFiles(dir).filter((_, i) => i % every === 0);
  const mine = files.filter((_, i) => i % shards === shard);
  let rows: Float64Array[];
  if (cache && existsSync(cache)) {
    const all = new Float64Array(readFileSync(cache).buffer.slice(0));
    rows = Array.from({ length: all.length / 468 }, (_, i) => all.slice(i * 468, (i + 1) * 468));
  } else {
    async function* images() { for (const [i, f] of mine.entries()) { progress(f, i, mine.length); yield await readImage(f); } }
    rows = (await ilniqePristineRows({ images: images() })).rows;
    if (cache) {
      const all = new Float64Array(rows.length * 468);
      rows.forEach((r, i) => all.set(r, i * 468));
      writeFileSync(cache, new Uint8Array(all.buffer));
    }
  }
  if (shards > 1 && !(cache && existsSync(cache) && process.env.IQA_ILNIQE_FIT)) process.exit(0); // a shard only writes its rows
  const r = ilniqeModelFromRows(rows);
  writeFileSync('models/ilniqe_toolkit.json', serializeIlNiqeModel(r.model, {
    metric: 'ilniqe',
    source: `iqa-toolkit fitIlNiqe (sharpness threshold 0.78, MyPCA 0.92 of min(468, rows) = ${r.model.k} components) on ${files.length} pristine photos${every > 1 ? ` (every ${every}th of the sorted list)` : ''} (${r.blocks} patches): shared/data/pristine`,
  }) + '\n');
  console.error(`il-niqe: ${files.length} images, ${r.blocks} patches, k ${r.model.k}, ${((performance.now() - t0) / 1000).toFixed(1)} s`);
}
