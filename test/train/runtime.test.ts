/** Training execution-provider config: `ep` / `epStrict` checking and the session options they give. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { runtimeOptions } from '../../src/train/runtime.js';
import { repoRoot } from '../helpers/shared-data.js';

test('runtimeOptions: cpu by default, webgpu non-strict unless epStrict', () => {
  assert.deepEqual(runtimeOptions({}), {});
  assert.deepEqual(runtimeOptions({ ep: 'cpu' }), {});
  assert.deepEqual(runtimeOptions({ ep: 'webgpu' }), { executionProvider: 'webgpu', strict: false });
  assert.deepEqual(runtimeOptions({ ep: 'webgpu', epStrict: true }), { executionProvider: 'webgpu', strict: true });
});

test('runtimeOptions: a bad provider or strict flag is a clear config error', () => {
  assert.throws(() => runtimeOptions({ ep: 'cuda' as never }, 'trainYoto'), { code: 'E_CONFIG', message: "trainYoto: ep: expected 'cpu' or 'webgpu', got 'cuda'" });
  assert.throws(() => runtimeOptions({ ep: 3 as never }), { code: 'E_CONFIG', message: "train: ep: expected 'cpu' or 'webgpu', got 3" });
  assert.throws(() => runtimeOptions({ ep: 'webgpu', epStrict: 'yes' as never }), { code: 'E_CONFIG', message: 'train: epStrict: expected a boolean, got yes' });
});

test('iqa train --ep rejects an unknown provider before loading data', () => {
  const r = spawnSync(process.execPath, ['--import', 'tsx', join(repoRoot, 'src/cli/main.ts'), 'train', join(repoRoot, 'configs/yoto-webgpu.json'), '--ep', 'gpu', '--data', '/nonexistent/labels.csv'], { encoding: 'utf8', cwd: repoRoot });
  assert.notEqual(r.status, 0);
  assert.match(r.stderr, /train: ep: expected 'cpu' or 'webgpu', got 'gpu'/);
});

test('iqa train --epochs applies to both CVRKD stages (its config has teacher and student, no train block)', () => {
  // reaches the provider check, which runs after the epoch override and before any data is read
  const r = spawnSync(process.execPath, ['--import', 'tsx', join(repoRoot, 'src/cli/main.ts'), 'train', join(repoRoot, 'configs/cvrkd-cpu.json'), '--epochs', '1', '--ep', 'gpu', '--data', '/nonexistent/labels.csv'], { encoding: 'utf8', cwd: repoRoot });
  assert.notEqual(r.status, 0);
  assert.match(r.stderr, /train: ep: expected 'cpu' or 'webgpu', got 'gpu'/);
});

test('iqa train --ep applies to QFM-IQM and MFENet configs as well (checked before loading data)', () => {
  for (const cfg of ['configs/qfm-iqm-cpu.json', 'configs/mfenet-cpu.json']) {
    const r = spawnSync(process.execPath, ['--import', 'tsx', join(repoRoot, 'src/cli/main.ts'), 'train', join(repoRoot, cfg), '--ep', 'gpu', '--data', '/nonexistent/labels.csv'], { encoding: 'utf8', cwd: repoRoot });
    assert.notEqual(r.status, 0);
    assert.match(r.stderr, /trainFromConfig: ep: expected 'cpu' or 'webgpu', got 'gpu'/, cfg);
  }
});
