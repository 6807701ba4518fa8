import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import sharp from 'sharp';
import { register } from '../../src/cli/commands/fit.js';
import { loadBrisqueModel, loadNiqeModel, resolveNrModelOptions } from '../../src/io/params.js';
import { niqe } from '../../src/metrics/nr/niqe.js';
import { brisque } from '../../src/metrics/nr/brisque.js';
import { blur, greyImage, noise, texture } from '../helpers/synth-nr.js';

async function png(path: string, p: ReturnType<typeof texture>) {
  await sharp(Buffer.from(Uint8Array.from(p.data)), { raw: { width: p.width, height: p.height, channels: 1 } }).png().toFile(path);
}

test('iqa fit niqe / brisque write models that load and score', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'iqa-fit-'));
  try {
    const pristine = join(dir, 'pristine');
    const { mkdirSync } = await import('node:fs');
    mkdirSync(pristine);
    for (let i = 0; i < 3; i++) await png(join(pristine, `p${i}.png`), texture(200, 200, 10 + i));
    const program = new Command('iqa').exitOverride();
    register(program);
    await program.parseAsync(['fit', 'niqe', '--pristine', pristine, '--out', join(dir, 'niqe.json'), '-q'], { from: 'user' });
    const model = loadNiqeModel(join(dir, 'niqe.json'));
    assert.equal(model.mu.length, 36);
    assert.ok(Number.isFinite(niqe(greyImage(texture(200, 200, 99)), { model }).score));
    assert.ok(JSON.parse(readFileSync(join(dir, 'niqe.json'), 'utf8')).source.includes('3 images'));

    const base = texture(96, 96, 5);
    const rows = ['ref,dist,score'];
    for (const [k, sg] of [0, 1, 2, 3].entries()) { await png(join(dir, `b${k}.png`), blur(base, sg)); rows.push(`x.png,b${k}.png,${10 * k}`); }
    for (const [k, sd] of [5, 20].entries()) { await png(join(dir, `n${k}.png`), noise(base, sd)); rows.push(`x.png,n${k}.png,${20 + 15 * k}`); }
    writeFileSync(join(dir, 'data.csv'), rows.join('\n') + '\n');
    await program.parseAsync(['fit', 'brisque', '--dataset', join(dir, 'data.csv'), '--out', join(dir, 'brisque.json'), '-q'], { from: 'user' });
    const bm = loadBrisqueModel(join(dir, 'brisque.json'));
    assert.equal(bm.svr.d, 36);
    assert.ok(Number.isFinite(brisque(greyImage(blur(base, 1)), { model: bm }).score));
    // path options resolve to loaded models for createMetric / the CLI
    const o = resolveNrModelOptions('brisque', { modelPath: join(dir, 'brisque.json'), quantize: false });
    assert.ok('model' in o && !('modelPath' in o) && o.quantize === false);
    assert.throws(() => resolveNrModelOptions('niqe', { modelPath: join(dir, 'missing.json') }), /loadNiqeModel: .*missing\.json: cannot read file/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
