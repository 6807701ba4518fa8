/** Regression: parameters with the same (unqualified) name must stay distinct ONNX initializers. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Graph } from '../../src/engine/graph/graph.js';
import { compile } from '../../src/engine/runtime/index.js';
import { Linear } from '../../src/nn/layers.js';
import { Rng } from '../../src/engine/rng.js';
import { ndarray } from '../../src/tensor/ndarray.js';

test('two modules whose parameters were never qualified by namedTensors() compile to distinct initializers', async () => {
  const rng = new Rng(1);
  const a = new Linear(3, 2, { rng });
  const b = new Linear(2, 4, { rng }); // both have parameters named 'weight' and 'bias'
  const g = new Graph();
  const y = b.forward(a.forward(g.input('x', [1, 3])));
  const c = await compile({ y });
  const x = [1, 2, 3];
  const r = await c.run({ x: ndarray('float32', [1, 3], x) });
  await c.release();
  const lin = (m: Linear, v: number[]) =>
    Array.from({ length: m.outFeatures }, (_, o) => v.reduce((s, xi, i) => s + xi * m.weight.value.data[o * m.inFeatures + i], m.bias!.value.data[o]));
  const want = lin(b, lin(a, x));
  want.forEach((w, i) => assert.ok(Math.abs((r.y.data as Float32Array)[i] - w) < 1e-5));
});
