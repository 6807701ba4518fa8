/**
 * Fits the toolkit's own default NIQE (and IL-NIQE) models on the shared pristine photos and writes them under
 * models/. Run: node --import tsx tools/fit-default-models.ts [niqe|il-niqe] (not run in CI).
 */
import { writeFileSync } from 'node:fs';
import { imagesInDir } from '../src/io/params.js';
import { fitNiqe } from '../src/metrics/nr/fit/niqe.js';

import { serializeIlNiqeModel, serializeMvgModel } from '../src/metrics/nr/model-format.js';

const which = process.argv[2] ?? 'niqe';
const dir = process.env.IQA_PRISTINE ?? new URL('../../shared/data/pristine', import.meta.url).pathname;
const progress = (p: string, i: number, n: number) => { if (i % 20 === 0) console.error(`${i}/${n} ${p}`); };
const t0 = performance.now();
if (which === 'niqe') {
  const r = await fitNiqe({ images: imagesInDir(dir, progress) });
  writeFileSync('models/niqe_toolkit.json', serializeMvgModel(r.model, {
    metric: 'niqe',
    source: `iqa-toolkit fitNiqe (official estimatemodelparam.m procedure: patch 96, sharpness threshold 0.75, rgb2gray) on ${r.images} pristine photos (${r.blocks} blocks): shared/data/pristine (BSD100, CBSD68, Kodak24, McMaster, Set14, scikit-image, Urban100)`,
  }) + '\n');
  console.error(`niqe: ${r.images} images, ${r.blocks} blocks, ${((performance.now() - t0) / 1000).toFixed(1)} s`);
} else {
  const { fitIlNiqe } = await import('../src/metrics/nr/fit/il-niqe.js');
  const r = await fitIlNiqe({ images: imagesInDir(dir, progress) });
  writeFileSync('models/ilniqe_toolkit.json', serializeIlNiqeModel(r.model, {
    metric: 'ilniqe',
    source: `iqa-toolkit fitIlNiqe on ${r.images} pristine photos (${r.blocks} patches): shared/data/pristine`,
  }) + '\n');
  console.error(`il-niqe: ${r.images} images, ${r.blocks} patches, ${((performance.now() - t0) / 1000).toFixed(1)} s`);
}
