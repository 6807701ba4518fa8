import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import sharp from 'sharp';
import { register } from '../../src/cli/commands/synth.js';
import { DISTORTIONS } from '../../src/data/synth/types.js';
import { toInterleaved8 } from '../../src/io/encode-image.js';
import { testImage } from '../data/synth/fixtures.js';

async function run(args: string[]): Promise<{ out: string; err: string; code: number }> {
  const program = new Command('iqa').exitOverride();
  register(program);
  let out = '';
  let err = '';
  const ow = process.stdout.write.bind(process.stdout);
  const ew = process.stderr.write.bind(process.stderr);
  process.stdout.write = ((s: string) => ((out += s), true)) as typeof process.stdout.write;
  process.stderr.write = ((s: string) => ((err += s), true)) as typeof process.stderr.write;
  const before = process.exitCode;
  process.exitCode = 0;
  try {
    await program.parseAsync(['node', 'iqa', 'synth', ...args]);
  } finally {
    process.stdout.write = ow;
    process.stderr.write = ew;
  }
  const code = Number(process.exitCode ?? 0);
  process.exitCode = before;
  return { out, err, code };
}

test('iqa synth --json: generates and prints the summary; errors go to stderr with exit code 1', async () => {
  const root = await mkdtemp(join(tmpdir(), 'iqa-synth-cli-'));
  try {
    const pristine = join(root, 'p');
    await mkdir(pristine);
    await sharp(toInterleaved8(testImage(40, 30)), { raw: { width: 40, height: 30, channels: 3 } }).png().toFile(join(pristine, 'x.png'));
    const mos = join(root, 'mos.csv');
    const rows = ['dist_type,dist_name_label_file,dist_name,level,mos_mean,mos_std,count'];
    for (const d of DISTORTIONS) for (let l = 1; l <= 5; l++) rows.push(`${d.id},L,${d.name},${l},${5 - l / 2},0.2,81`);
    await writeFile(mos, rows.join('\n'));
    const out = join(root, 'o');
    const r = await run(['--pristine', pristine, '--out', out, '--types', 'gaussian_blur,10', '--levels', '1,5', '--max-side', '32', '--seed', '3', '--workers', '1', '--mos', mos, '--json']);
    assert.equal(r.code, 0, r.err);
    const s = JSON.parse(r.out) as { outputs: number; written: number; seed: number; maxSide: number; types: string[]; levels: number[] };
    assert.deepEqual([s.outputs, s.written, s.seed, s.maxSide], [4, 4, 3, 32]);
    assert.deepEqual(s.types, ['gaussian_blur', 'jpeg']);
    assert.deepEqual(s.levels, [1, 5]);
    const csv = await readFile(join(out, 'labels.csv'), 'utf8');
    assert.match(csv, /^ref,dist,score,std,type,level,content\nref\/x\.png,dist\/x_01_01\.png,4\.5,0\.2,gaussian_blur,1,x\n/);

    const bad = await run(['--pristine', join(root, 'missing'), '--out', out, '--mos', mos, '--json']);
    assert.equal(bad.code, 1);
    assert.match(bad.err, /error during synth:\nsynthesize: pristine folder .*missing: cannot read/);
  } finally {
    await rm(root, { recursive: true, force: true });
  }
});
