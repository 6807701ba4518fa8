/**
 * Development runner for `iqa train` / `iqa export-onnx` until the lead wires them into src/cli/main.ts:
 * node --import tsx scripts/train-models.ts train configs/yoto-cpu-joint.json
 */
import { Command } from 'commander';
import { register as train } from '../src/cli/commands/train.js';
import { register as exportOnnx } from '../src/cli/commands/export-onnx.js';

const program = new Command('iqa');
train(program);
exportOnnx(program);
program.parseAsync(process.argv).catch((e: unknown) => {
  console.error(`error: ${e instanceof Error ? e.message : String(e)}`);
  process.exit(1);
});
