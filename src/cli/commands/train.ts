/** `iqa train <config.json>`: trains a learned model (YOTO or CVRKD-IQA) from a JSON config; resumable. */
import type { Command } from 'commander';
import { readFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { IqaError } from '../../tensor/errors.js';

export function register(program: Command): void {
  program
    .command('train')
    .description('train YOTO or CVRKD-IQA from a JSON config (configs/*.json); resumes from the checkpoint in its out folder')
    .argument('<config>', 'JSON config file')
    .option('--out <dir>', 'override the config output folder')
    .option('--epochs <n>', 'override the number of epochs', (v) => Number(v))
    .action(async (file: string, o: { out?: string; epochs?: number }) => {
      const cfg = JSON.parse(await readFile(file, 'utf8')) as { kind?: string; out: string; data: { csv: string }; train: { epochs: number } };
      // paths in a config are relative to the config file
      const base = dirname(resolve(file));
      cfg.data.csv = resolve(base, cfg.data.csv);
      cfg.out = o.out ? resolve(o.out) : resolve(base, cfg.out);
      if (o.epochs) cfg.train.epochs = o.epochs;
      const log = (s: string) => console.error(s);
      if (cfg.kind === 'yoto') await (await import('../../train/yoto.js')).trainYoto(cfg as never, log);
      else if (cfg.kind === 'cvrkd') await (await import('../../train/cvrkd.js')).trainCvrkd(cfg as never, log);
      else throw new IqaError(`train: config kind: expected 'yoto' or 'cvrkd', got '${String(cfg.kind)}'`, 'E_CONFIG');
    });
}
