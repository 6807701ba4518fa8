/** Graph building errors (with creation sites), the emitted model, providers, ort-web and exportOnnx. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Graph, grad, compile, exportOnnx, add, matmul, conv2d, relu, sum, mul, ndarray, Session, toOnnx, defineOp, apply1, type Tensor } from '../../src/engine/index.js';
import { resnet18 } from '../../src/models/backbones/resnet.js';
import { checkOp } from './gradcheck.js';
import { refMap } from '../../src/engine/ops/util.js';

test('shape errors name the op, both shapes and the creation site', () => {
  const g = new Graph();
  const a = g.input('a', [2, 3]);
  const b = g.input('b', [4]);
  assert.throws(() => add(a, b), (e: Error) => /^Add: shapes: expected broadcastable, got \[2, 3\] and \[4\] \(at .*graph\.test\.ts:\d+:\d+\)+$/.test(e.message));
  assert.throws(() => matmul(a, a), /MatMul: shapes: expected \[\.\.\., m, k\] and \[\.\.\., k, n\], got \[2, 3\] and \[2, 3\]/);
  const x = g.input('x', [1, 3, 8, 8]);
  assert.throws(() => conv2d(x, g.input('w', [4, 2, 3, 3])), /Conv2d: weight shape: expected \[O, 3\/1, kh, kw\]/);
  assert.throws(() => g.input('a', [1]), /Graph.input: name: expected unique, got duplicate 'a'/);
});

test('a primitive without a gradient rule fails in grad with its name and creation site', () => {
  const NoGrad = defineOp({ name: 'NoGrad', arity: 1, shape: ([x]) => x.shape, dtype: ([x]) => x.dtype, onnx: (e, i, o) => e.node('Identity', i, o), save: {}, vjp: null });
  const g = new Graph();
  const x = g.input('x', [3]);
  const y = sum(apply1(NoGrad, [x], {}));
  assert.throws(() => grad(y, [x]), (e: Error) => /grad: no gradient rule for primitive NoGrad \(node NoGrad built at .*graph\.test\.ts/.test(e.message));
});

test('the gradient check catches a wrong VJP (it can fail)', async () => {
  const BadSquare = defineOp({
    name: 'BadSquare', arity: 1, shape: ([x]) => x.shape, dtype: ([x]) => x.dtype,
    onnx: (e, i, o) => e.node('Mul', [i[0], i[0]], o), save: { inputs: [true] },
    vjp: ([gy], { inputs: [x] }) => [mul(gy!, mul(x, 2.001))], // should be 2x
    ref: ([x]) => refMap([x], (v) => v * v),
  });
  await assert.rejects(checkOp([{ shape: [4] }], (x) => apply1(BadSquare, [x], {})), /gradient of input 0/);
});

test('unused branches are not emitted; gradients of unrelated inputs are zeros', async () => {
  const g = new Graph();
  const x = g.input('x', [2]);
  const z = g.input('z', [2]);
  relu(mul(x, 100)); // dead node
  const y = sum(mul(x, x));
  const [dx, dz] = grad(y, [x, z]);
  const m = toOnnx({ y, dx, dz });
  assert.deepEqual(m.inputs.map((i) => i.name), ['x']);
  const net = await compile({ y, dx, dz });
  const r = await net.run({ x: ndarray('float32', [2], [1, -2]) });
  assert.deepEqual(Array.from(r.dx.data as Float32Array), [2, -4]);
  assert.deepEqual(Array.from(r.dz.data as Float32Array), [0, 0]);
  await assert.rejects(net.run({ x: ndarray('float32', [3], [1, 2, 3]) }), /Session.run: input 'x': expected float32\[2\], got float32\[3\]/);
  await net.release();
});

test("execution provider 'webgpu': runs where available, else warns and falls back to cpu; strict throws", async () => {
  const g = new Graph();
  const y = relu(g.input('x', [3]));
  const model = toOnnx({ y });
  const warn = console.warn;
  const warnings: string[] = [];
  console.warn = (m: string) => warnings.push(m);
  try {
    const s = await Session.create(model, { executionProvider: 'webgpu' });
    if (s.executionProvider === 'cpu') assert.match(warnings.join('\n'), /execution provider 'webgpu': expected available, got .*; falling back to 'cpu'/);
    const r = await s.run({ x: ndarray('float32', [3], [-1, 0, 2]) });
    assert.deepEqual(Array.from(r.y.data as Float32Array), [0, 0, 2]);
    if (s.executionProvider === 'cpu') await assert.rejects(Session.create(model, { executionProvider: 'webgpu', strict: true }), /execution provider 'webgpu'/);
  } finally {
    console.warn = warn;
  }
});

test('the same training graph runs unchanged in onnxruntime-web (wasm)', async () => {
  const ortWeb = await import('onnxruntime-web');
  ortWeb.env.wasm.numThreads = 1;
  const g = new Graph();
  const x = g.input('x', [2, 3, 6, 6]);
  const w = g.input('w', [4, 3, 3, 3]);
  const loss = sum(mul(relu(conv2d(x, w, null, { stride: 2, padding: 1 })), 0.5));
  const [dw] = grad(loss, [w]);
  const m = toOnnx({ loss, dw });
  const xs = ndarray('float32', [2, 3, 6, 6], Float32Array.from({ length: 216 }, (_, i) => Math.sin(i)));
  const ws = ndarray('float32', [4, 3, 3, 3], Float32Array.from({ length: 108 }, (_, i) => Math.cos(i)));
  const node = await (await Session.create(m)).run({ x: xs, w: ws });
  const s = await ortWeb.InferenceSession.create(m.bytes, { executionProviders: ['wasm'] });
  const r = await s.run({ x: new ortWeb.Tensor('float32', xs.data as Float32Array, [2, 3, 6, 6]), w: new ortWeb.Tensor('float32', ws.data as Float32Array, [4, 3, 3, 3]) });
  const a = r.dw.data as Float32Array;
  const b = node.dw.data as Float32Array;
  a.forEach((v, i) => assert.ok(Math.abs(v - b[i]) < 1e-4 * (1 + Math.abs(b[i]))));
  await s.release();
});

test('a training graph with run-time weights (im2col + MatMul convs, GEMM + col2im and flipped-conv dX) runs unchanged in onnxruntime-web', async () => {
  const { Parameter } = await import('../../src/engine/graph/graph.js');
  const ortWeb = await import('onnxruntime-web');
  ortWeb.env.wasm.numThreads = 1;
  const g = new Graph('input');
  const x = g.input('x', [2, 3, 8, 8]);
  const p = (name: string, shape: number[]) => g.param(new Parameter(name, ndarray('float32', shape, Float32Array.from({ length: shape.reduce((a, b) => a * b) }, (_, i) => Math.sin(i * 0.7 + name.length)))));
  // stride-1 3x3 on 8x8 (Conv2dCols forward, col2im dX), stride-2 3x3 onto 4x4 (col2im dX), 1x1 stride 2
  const h = relu(conv2d(x, p('w1', [4, 3, 3, 3]), null, { padding: 1 }));
  const y = add(conv2d(h, p('w2', [6, 4, 3, 3]), null, { stride: 2, padding: 1 }), conv2d(h, p('w3', [6, 4, 1, 1]), null, { stride: 2 }));
  const loss = sum(mul(y, y));
  const ws = g.paramTensors();
  const grads = grad(loss, [x, ...ws]);
  const outs: Record<string, Tensor> = { loss };
  grads.forEach((t, i) => (outs[`g${i}`] = t));
  const m = toOnnx(outs);
  const feeds: Record<string, ReturnType<typeof ndarray>> = { x: ndarray('float32', [2, 3, 8, 8], Float32Array.from({ length: 384 }, (_, i) => Math.cos(i * 0.3))) };
  for (const t of ws) {
    const prm = (t.leaf as { param: InstanceType<typeof Parameter> }).param;
    feeds[[...m.paramInputs].find(([, q]) => q === prm)![0]] = prm.value;
  }
  assert.ok(m.paramInputs.size === 3);
  const { onnxNodes } = await import('../../src/engine/onnx/emit.js');
  const ops = onnxNodes(m.bytes).map((n) => n.op_type);
  assert.ok(['MatMul', 'Col2Im', 'ConvTranspose'].every((o) => ops.includes(o)), `lowered forms expected, got ${[...new Set(ops)].join(', ')}`);
  const node = await (await Session.create(m)).run(feeds);
  const s = await ortWeb.InferenceSession.create(m.bytes, { executionProviders: ['wasm'] });
  const r = await s.run(Object.fromEntries(Object.entries(feeds).map(([k, v]) => [k, new ortWeb.Tensor('float32', v.data as Float32Array, [...v.shape])])));
  for (const k of Object.keys(outs)) {
    const a = r[k].data as Float32Array;
    const b = node[k].data as Float32Array;
    a.forEach((v, i) => assert.ok(Math.abs(v - b[i]) < 1e-4 * (1 + Math.abs(b[i])), `${k}[${i}]: web ${v} vs node ${b[i]}`));
  }
  await s.release();
});

test('conv dX on small maps: Col2Im on the CPU target, one-hot ConvTranspose on the WebGPU target (no Col2Im there), same gradient', async () => {
  const { onnxNodes } = await import('../../src/engine/onnx/emit.js');
  const xv = ndarray('float32', [2, 3, 9, 8], Float32Array.from({ length: 432 }, (_, i) => Math.sin(i * 0.37)));
  const wv = ndarray('float32', [4, 3, 3, 3], Float32Array.from({ length: 108 }, (_, i) => Math.cos(i * 0.61)));
  const dx = async (target: 'cpu' | 'webgpu') => {
    const g = new Graph('input');
    g.target = target;
    const x = g.input('x', [2, 3, 9, 8]);
    const y = conv2d(x, g.input('w', [4, 3, 3, 3]), null, { stride: 2, padding: 1 }); // dy 5x4: GEMM + col2im
    const [d] = grad(sum(mul(y, y)), [x]);
    const m = toOnnx({ d });
    const r = await (await Session.create(m)).run({ x: xv, w: wv });
    return { ops: onnxNodes(m.bytes).map((n) => n.op_type), d: r.d.data as Float32Array };
  };
  const [cpu, gpu] = [await dx('cpu'), await dx('webgpu')];
  assert.ok(cpu.ops.includes('Col2Im') && !cpu.ops.includes('ConvTranspose'), cpu.ops.join());
  assert.ok(!gpu.ops.includes('Col2Im') && gpu.ops.includes('ConvTranspose'), gpu.ops.join());
  cpu.d.forEach((v, i) => assert.ok(Math.abs(v - gpu.d[i]) < 1e-5 * (1 + Math.abs(v)), `dx[${i}]: ${v} vs ${gpu.d[i]}`));
});

test('exportOnnx: standalone eval-mode ResNet-18 file that loads in plain onnxruntime', async () => {
  const ort = await import('onnxruntime-node');
  const model = resnet18({ numClasses: 3 });
  const bytes = exportOnnx(model, [1, 3, 32, 32]);
  assert.equal(model.training, true, 'mode restored');
  const s = await ort.InferenceSession.create(bytes);
  assert.deepEqual(s.inputNames, ['input']);
  const r = await s.run({ input: new ort.Tensor('float32', new Float32Array(3 * 32 * 32).fill(0.5), [1, 3, 32, 32]) });
  assert.deepEqual(r.output.dims, [1, 3]);
  // same as compiling the eval graph through the engine
  model.eval();
  const g = new Graph();
  const net = await compile({ y: model.forward(g.input('x', [1, 3, 32, 32])) });
  const y = (await net.run({ x: ndarray('float32', [1, 3, 32, 32], new Float32Array(3 * 32 * 32).fill(0.5)) })).y.data as Float32Array;
  (r.output.data as Float32Array).forEach((v, i) => assert.ok(Math.abs(v - y[i]) < 1e-5));
});

export type { Tensor };
