/**
 * Resume: a training child process is SIGKILLed mid-run, a second process resumes from the last (atomically
 * written) checkpoint, and the final weights equal, bit for bit, those of an uninterrupted run.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readSafetensors } from '../../src/io/safetensors.js';
import { runTraining } from '../helpers/train-child.js';

const child = new URL('../helpers/train-child.ts', import.meta.url).pathname;
const STEPS = 12;

function runChild(dir: string, resume: boolean, killAt?: number): Promise<{ code: number | null; signal: string | null; last: number }> {
  return new Promise((resolve, reject) => {
    const p = spawn(process.execPath, ['--import', 'tsx', child, dir, String(STEPS), ...(resume ? ['--resume'] : [])], { stdio: ['ignore', 'pipe', 'inherit'] });
    let last = 0;
    let buf = '';
    p.stdout.on('data', (d: Buffer) => {
      buf += d.toString();
      for (const m of buf.matchAll(/step (\d+)/g)) last = Number(m[1]);
      if (killAt !== undefined && last >= killAt && !p.killed) p.kill('SIGKILL');
    });
    p.on('error', reject);
    p.on('exit', (code, signal) => resolve({ code, signal, last }));
  });
}

test('SIGKILL mid-run, resume, same final weights as an uninterrupted run', { timeout: 120_000 }, async () => {
  const ref = mkdtempSync(join(tmpdir(), 'iqa-ref-'));
  const dir = mkdtempSync(join(tmpdir(), 'iqa-resume-'));
  try {
    const want = await runTraining(ref, STEPS, false);
    const killed = await runChild(dir, false, 4);
    assert.equal(killed.signal, 'SIGKILL');
    assert.ok(killed.last >= 4 && killed.last < STEPS, `killed mid-way (after update ${killed.last})`);
    const resumed = await runChild(dir, true);
    assert.equal(resumed.code, 0);
    const got = readSafetensors(join(dir, 'final.safetensors')).tensors;
    assert.deepEqual(Object.keys(got).sort(), Object.keys(want).sort());
    for (const k of Object.keys(want)) assert.deepEqual(Array.from(got[k].data as Float32Array), Array.from(want[k].data as Float32Array), k);
  } finally {
    rmSync(ref, { recursive: true });
    rmSync(dir, { recursive: true });
  }
});
