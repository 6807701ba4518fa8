#!/usr/bin/env node
/**
 * `iqa`: a thin shell over the library (style.md §7/§14). Each command lives in commands/<name>.ts, maps typed flags
 * onto a public function, and lazy-loads what it needs. One error path: `error during <command>: <cause>`, exit 1.
 */
import { Command } from 'commander';
import { readFileSync } from 'node:fs';
import { register as list } from './commands/list.js';
import { register as compare } from './commands/compare.js';
import { register as score } from './commands/score.js';
import { register as evaluate } from './commands/eval.js';
import { register as synth } from './commands/synth.js';
import { register as fit } from './commands/fit.js';
import { register as train } from './commands/train.js';
import { register as exportOnnx } from './commands/export-onnx.js';

const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
const program = new Command('iqa')
  .description('image quality assessment: full-reference, no-reference and non-aligned-reference metrics')
  .version(pkg.version)
  .showHelpAfterError();

for (const register of [list, compare, score, evaluate, synth, fit, train, exportOnnx]) register(program);

program.parseAsync(process.argv).catch((e: unknown) => {
  const cmd = process.argv[2] ?? 'iqa';
  console.error(`error during ${cmd}: ${e instanceof Error ? e.message : String(e)}`);
  process.exit(1);
});
