/** `iqa train <config.json>`: trains a learned model (YOTO, CVRKD-IQA, QFM-IQM, MFENet) from a JSON config; resumable. */
import type { Command } from 'commander';
import { readFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { IqaError } from '../../tensor/errors.js';

export function register(program: Command): void {
  program
    .command('train')
    .description('train YOTO, CVRKD-IQA, QFM-IQM or MFENet from a JSON config (configs/*.json); a killed run resumes from the checkpoints in the out folder')
    .argument('<config>', 'JSON config file')
    .option('--out <dir>', 'override the config output folder')
    .option('--epochs <n>', 'override the number of epochs', (v) => Number(v))
    .option('--data <csv>', 'override the training label CSV (e.g. the labels.csv of `iqa synth`)')
    .option('--ep <provider>', "execution provider: 'cpu' (default) or 'webgpu' (config key \"ep\")")
    .option('--ep-strict', 'fail instead of falling back to the CPU when the provider cannot run (config key "epStrict")')
    .option('--max-seconds <n>', 'stop at the first epoch end past n seconds of training (YOTO: the run; QFM-IQM, MFENet: each stage; config train.maxSeconds)', (v) => Number(v))
    .option('--max-steps-per-epoch <n>', 'QFM-IQM, MFENet: at most n batches per epoch, DAN pre-training included (config train.maxStepsPerEpoch)', (v) => Number(v))
    .action(async (file: string, o: { out?: string; epochs?: number; data?: string; ep?: string; epStrict?: boolean; maxSeconds?: number; maxStepsPerEpoch?: number }) => {
      const cfg = JSON.parse(await readFile(file, 'utf8')) as {
        kind?: string; out: string; data: { csv: string }; train?: { epochs: number; maxSeconds?: number }; teacher?: { epochs: number }; student?: { epochs: number }; ep?: string; epStrict?: boolean;
      };
      if (cfg.kind === 'qfm-iqm' || cfg.kind === 'mfenet') {
        const nr = await import('../../train/nr-models.js');
        const c = await nr.readNrConfig(file); // resolves the config's relative paths
        if (o.data) {
          // the distillation set defaults to the training CSV; follow the override when the config used the same file
          if (c.qfm?.distill && c.qfm.distill.csv === c.data.csv) c.qfm.distill.csv = resolve(o.data);
          c.data.csv = resolve(o.data);
        }
        if (o.out) c.out = resolve(o.out);
        if (o.epochs) c.train.epochs = o.epochs;
        if (o.ep !== undefined) c.ep = o.ep as never;
        if (o.epStrict) c.epStrict = true;
        if (o.maxSeconds !== undefined) c.train.maxSeconds = o.maxSeconds;
        if (o.maxStepsPerEpoch !== undefined) {
          c.train.maxStepsPerEpoch = o.maxStepsPerEpoch;
          if (c.mfenet?.danPretrain) c.mfenet.danPretrain.maxStepsPerEpoch = o.maxStepsPerEpoch;
        }
        const r = await nr.trainFromConfig(c, (s) => console.error(s));
        console.log(JSON.stringify(r, null, 2));
        return;
      }
      if (o.ep !== undefined) cfg.ep = o.ep;
      if (o.epStrict) cfg.epStrict = true;
      if (o.maxSeconds !== undefined && cfg.train) cfg.train.maxSeconds = o.maxSeconds;
      // paths in a config are relative to the config file
      const base = dirname(resolve(file));
      cfg.data.csv = o.data ? resolve(o.data) : resolve(base, cfg.data.csv);
      cfg.out = o.out ? resolve(o.out) : resolve(base, cfg.out);
      // CVRKD configs have teacher and student stages instead of one `train` block
      if (o.epochs) for (const st of [cfg.train, cfg.teacher, cfg.student]) if (st) st.epochs = o.epochs;
      (await import('../../train/runtime.js')).runtimeOptions(cfg as never, 'train'); // a bad ep fails before data loading
      const log = (s: string) => console.error(s);
      if (cfg.kind === 'yoto') await (await import('../../train/yoto.js')).trainYoto(cfg as never, log);
      else if (cfg.kind === 'cvrkd') await (await import('../../train/cvrkd.js')).trainCvrkd(cfg as never, log);
      else throw new IqaError(`train: config kind: expected 'yoto', 'cvrkd', 'qfm-iqm' or 'mfenet', got '${String(cfg.kind)}'`, 'E_CONFIG');
    });
}
