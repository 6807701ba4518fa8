/**
 * Execution-provider selection in Session.create (CI has no GPU; these hold with or without a WebGPU adapter):
 * a model with MaxPool-with-Indices nodes (a training graph through max pooling) never goes to WebGPU, whose MaxPool
 * has no Indices output: strict throws naming the node, non-strict warns and runs on the CPU with the CPU's results.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { grad } from '../../src/engine/autodiff/grad.js';
import { Graph } from '../../src/engine/graph/graph.js';
import { toOnnx } from '../../src/engine/onnx/emit.js';
import { maxPool2d, mul, relu, sum } from '../../src/engine/ops/index.js';
import { Session } from '../../src/engine/runtime/session.js';
import { IqaError } from '../../src/tensor/errors.js';
import { ndarray } from '../../src/tensor/ndarray.js';

const x = ndarray('float32', [1, 1, 4, 4], [1, 5, 2, 0, 3, 4, 9, 8, 7, 6, 1, 2, 0, 3, 4, 11]);

function poolGrad() {
  const g = new Graph();
  const xi = g.input('x', [1, 1, 4, 4]);
  const loss = sum(mul(maxPool2d(xi, { kernel: 2 }), 2));
  const [dx] = grad(loss, [xi]);
  return toOnnx({ loss, dx });
}

/** Runs `fn` with console.warn captured. */
async function warnings<T>(fn: () => Promise<T>): Promise<{ value: T; warned: string[] }> {
  const warned: string[] = [];
  const orig = console.warn;
  console.warn = (...a: unknown[]) => void warned.push(a.map(String).join(' '));
  try {
    return { value: await fn(), warned };
  } finally {
    console.warn = orig;
  }
}

test('the emitter lists MaxPool-with-Indices nodes as WebGPU-incapable; forward-only graphs have none', () => {
  const m = poolGrad();
  assert.equal(m.webgpuCpuNodes.length, 1);
  assert.match(m.webgpuCpuNodes[0], /^MaxPool_/);
  const g = new Graph();
  assert.deepEqual(toOnnx({ y: maxPool2d(g.input('x', [1, 1, 4, 4]), { kernel: 2 }) }).webgpuCpuNodes, []);
});

test('strict WebGPU session over a max-pool training graph throws, naming the node', async () => {
  await assert.rejects(Session.create(poolGrad(), { executionProvider: 'webgpu', strict: true }), (e: unknown) => {
    assert.ok(e instanceof IqaError);
    assert.equal(e.code, 'E_RUNTIME');
    assert.match(e.message, /^Session\.create: execution provider 'webgpu': expected a model it can run, got 1 MaxPool node\(s\) with the Indices output \(MaxPool_\d+\)/);
    return true;
  });
});

test('non-strict WebGPU session over a max-pool training graph warns and computes on the CPU', async () => {
  const { value: s, warned } = await warnings(() => Session.create(poolGrad(), { executionProvider: 'webgpu' }));
  assert.equal(s.executionProvider, 'cpu');
  assert.equal(warned.length, 1);
  assert.match(warned[0], /MaxPool.*; using 'cpu'$/);
  const r = await s.run({ x });
  await s.release();
  assert.equal(r.loss.data[0], 2 * (5 + 9 + 7 + 11));
  assert.deepEqual([...(r.dx.data as Float32Array)], [0, 2, 0, 0, 0, 0, 2, 0, 2, 0, 0, 0, 0, 0, 0, 2]);
});

test('WebGPU on a plain graph: runs there when an adapter exists, else strict throws and non-strict falls back', async () => {
  const g = new Graph();
  const m = toOnnx({ y: relu(g.input('v', [2, 3])) });
  const v = ndarray('float32', [2, 3], [1, -2, 3, -4, 5, -6]);
  let strict: Session | null = null;
  try {
    strict = await Session.create(m, { executionProvider: 'webgpu', strict: true });
  } catch (e) {
    assert.ok(e instanceof IqaError);
    assert.match(e.message, /^Session\.create: execution provider 'webgpu': expected available, got /);
  }
  const { value: s, warned } = await warnings(() => Session.create(m, { executionProvider: 'webgpu' }));
  if (strict) {
    assert.equal(strict.executionProvider, 'webgpu');
    await strict.release();
    assert.equal(s.executionProvider, 'webgpu');
  } else {
    assert.equal(s.executionProvider, 'cpu');
    assert.match(warned[0] ?? '', /falling back to 'cpu'$/);
  }
  assert.deepEqual([...((await s.run({ v })).y.data as Float32Array)], [1, 0, 3, 0, 5, 0]);
  await s.release();
});
