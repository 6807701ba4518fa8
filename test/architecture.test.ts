/**
 * Architecture rules (style.md, "A layout that shows the architecture"):
 * - only src/io, src/cli, src/engine/runtime, src/train (checkpoint files) and Node-only data generators may import
 *   Node built-ins, sharp or onnxruntime-node; everything else must run in a browser;
 * - the browser entry bundles for the browser platform with no Node module in it.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { build } from 'esbuild';
import { repoRoot } from './helpers/shared-data.js';

const NODE_ALLOWED = [/^src\/io\//, /^src\/cli\//, /^src\/engine\/runtime\//, /^src\/train\//, /^src\/api\.ts$/, /\.node\.ts$/, /^src\/data\/.*\/(generate|worker|files?|loader-node|fs)[^/]*\.ts$/, /^src\/data\/datasets\//, /^src\/eval\/.*node.*\.ts$/, /^src\/metrics\/nr\/fit\//, /^src\/models\/.*\/(weights|load)[^/]*\.ts$/];
const NODE_IMPORT = /from\s+['"](node:[^'"]+|sharp|onnxruntime-node|fs|path|os|worker_threads|child_process)['"]/;

function walk(d: string): string[] {
  return readdirSync(d).flatMap((n) => {
    const p = join(d, n);
    return statSync(p).isDirectory() ? walk(p) : p.endsWith('.ts') ? [p] : [];
  });
}

test('Node-only imports stay in the I/O, CLI and runtime layers', () => {
  const offenders: string[] = [];
  for (const f of walk(join(repoRoot, 'src'))) {
    const rel = relative(repoRoot, f).replace(/\\/g, '/');
    if (NODE_ALLOWED.some((r) => r.test(rel))) continue;
    const m = NODE_IMPORT.exec(readFileSync(f, 'utf8'));
    if (m) offenders.push(`${rel} imports ${m[1]}`);
  }
  assert.deepEqual(offenders, []);
});

test('the browser entry bundles for the browser with no Node built-in', async () => {
  const r = await build({
    entryPoints: [join(repoRoot, 'src/browser.ts')],
    bundle: true,
    platform: 'browser',
    format: 'esm',
    write: false,
    logLevel: 'silent',
    external: ['onnxruntime-web'],
  });
  assert.equal(r.errors.length, 0);
  const code = r.outputFiles[0].text;
  assert.doesNotMatch(code, /require\(["']node:|from ["']node:/);
});
