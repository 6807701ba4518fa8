/**
 * Every primitive: gradient vs float64 central differences (relL2 <= 1e-6), forward and gradient on onnxruntime
 * (float32) vs the float64 reference kernels. Inputs are reused in several cases (a*a, x used twice) as in micrograd.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkOp } from './gradcheck.js';
import * as E from '../../src/engine/ops/index.js';
import { PRIMITIVES } from '../../src/engine/ops/index.js';
import { constant } from '../../src/engine/ops/index.js';
import { ndarray } from '../../src/tensor/ndarray.js';

const covered = new Set<string>();
const t = (name: string, prims: string[], fn: () => Promise<void>) => {
  prims.forEach((p) => covered.add(p));
  test(name, fn);
};

t('add/sub/mul/div with broadcasting and reuse', ['Add', 'Sub', 'Mul', 'Div', 'Neg'], () =>
  checkOp([{ shape: [2, 3, 4] }, { shape: [3, 1] }, { shape: [4], gen: 'pos' }], (a, b, c) => E.div(E.sub(E.add(E.mul(a, b), E.mul(a, a)), b), E.add(c, E.neg(E.mul(b, 0.1))))),
);
t('pow (base and exponent)', ['Pow'], () => checkOp([{ shape: [3, 4], gen: 'pos' }, { shape: [4] }], (a, b) => E.pow(a, b)));
t('exp/log/sqrt', ['Exp', 'Log', 'Sqrt'], () => checkOp([{ shape: [5, 3], gen: 'pos' }], (a) => E.add(E.exp(E.mul(a, 0.3)), E.mul(E.log(a), E.sqrt(a)))));
t('abs/sign (off the kink)', ['Abs', 'Sign'], () => checkOp([{ shape: [4, 5], gen: 'away' }], (a) => E.add(E.abs(a), E.mul(E.sign(a), a))));
t('relu (off the kink)', ['Relu'], () => checkOp([{ shape: [3, 7], gen: 'away' }], (a) => E.mul(E.relu(a), a)));
t('sigmoid/tanh/softplus', ['Sigmoid', 'Tanh', 'Softplus'], () => checkOp([{ shape: [4, 6] }], (a) => E.add(E.mul(E.sigmoid(a), E.tanh(a)), E.softplus(E.mul(a, 3)))));
t('erf/gelu', ['Erf', 'Gelu'], () => checkOp([{ shape: [4, 6] }], (a) => E.add(E.erf(a), E.gelu(E.mul(a, 2)))));
t('comparisons and where', ['Less', 'Greater', 'Equal', 'Where', 'Cast'], () =>
  checkOp([{ shape: [3, 4], gen: 'away' }, { shape: [4] }], (a, b) => {
    const m = E.where(E.less(a, 0), E.mul(a, b), E.mul(a, a));
    const n = E.cast(E.greater(a, 0.5), 'float64' === a.dtype ? 'float64' : 'float32');
    return E.add(E.add(m, E.mul(n, b)), E.where(E.equal(a, a), b, 0));
  }),
);
t('reduce sum / max (keepdims and not)', ['ReduceSum', 'ReduceMax'], () =>
  checkOp([{ shape: [3, 4, 5] }], (a) => E.add(E.sum(E.mul(a, a), [1], true), E.max(a, [0, 2], true))),
);
t('softmax / log-softmax', ['Softmax', 'LogSoftmax'], () => checkOp([{ shape: [3, 5] }], (a) => E.add(E.softmax(a, 1), E.logSoftmax(E.mul(a, 2), 0))));
t('matmul batched with broadcast', ['MatMul', 'Transpose'], () =>
  checkOp([{ shape: [2, 3, 4] }, { shape: [4, 5] }], (a, b) => E.transpose(E.matmul(a, b), [0, 2, 1])),
);
t('reshape / slice (step 1, -1) / concat / pad / expand', ['Reshape', 'Slice', 'Concat', 'Pad', 'Expand'], () =>
  checkOp([{ shape: [2, 3, 4] }, { shape: [3, 1] }], (a, b) => {
    const s = E.slice(a, [{ axis: 1, start: 1 }, { axis: 2, step: -1 }]);
    const c = E.concat([s, E.reshape(E.expand(b, [2, 3, 4]), [2, 3, 4])], 1);
    return E.pad(c, [0, 1, 2, 0, 0, 1], 0.5);
  }),
);
t('gather (embedding lookup, repeated indices)', ['Gather', 'ScatterAdd'], () =>
  checkOp([{ shape: [5, 3] }], (w) => E.gather(w, constant(w.graph, [4], [1, 3, 1, 0], 'int64'), 0)),
);
for (const [name, x, w, opts] of [
  ['3x3 pad 1 (flipped-conv dX)', [2, 3, 28, 28], [4, 3, 3, 3], { padding: 1 }],
  ['3x3 stride 2, small output (GEMM + Col2Im dX)', [2, 3, 9, 8], [4, 3, 3, 3], { stride: 2, padding: 1 }],
  ['3x3 stride 2, 10x10 output (ConvTranspose dX)', [1, 2, 20, 19], [3, 2, 3, 3], { stride: 2, padding: 1 }],
  ['3x3 stride 2, groups 2 (ConvTranspose dX)', [2, 4, 9, 8], [6, 2, 3, 3], { stride: 2, padding: 1, groups: 2 }],
  ['1x1 (MatMul dW)', [2, 4, 5, 5], [3, 4, 1, 1], {}],
  ['1x1 stride 2', [1, 4, 6, 7], [3, 4, 1, 1], { stride: 2 }],
  ['1x1 stride 2, weight > dy (1x1 conv + zero interleave dX, crops)', [1, 8, 3, 5], [6, 8, 1, 1], { stride: 2 }],
  ['1x1 stride [3, 2], groups 2, weight > dy', [1, 8, 2, 3], [6, 4, 1, 1], { stride: [3, 2], groups: 2 }],
  ['dilation 2, asymmetric pads', [1, 2, 8, 9], [3, 2, 3, 2], { dilation: 2, padding: [1, 0, 2, 1] }],
  ['groups 2', [2, 4, 6, 6], [6, 2, 3, 3], { groups: 2, padding: 1 }],
  ['depthwise', [2, 3, 7, 7], [3, 1, 3, 3], { groups: 3, padding: 1 }],
  ['depthwise stride 1 on 28 px (flipped)', [1, 2, 28, 28], [2, 1, 5, 5], { groups: 2, padding: 2 }],
  ['7x7 stride 2 pad 3 (stem)', [1, 3, 11, 11], [2, 3, 7, 7], { stride: 2, padding: 3 }],
  ['weight > dy, asymmetric pads (flipped-dy dX)', [1, 4, 2, 3], [16, 4, 3, 2], { padding: [1, 0, 2, 1] }],
  ['weight > dy, Og > L (flipped-dy dX, batch-folded dW)', [2, 8, 2, 3], [16, 8, 3, 2], { padding: [1, 0, 2, 1] }],
  ['9x9, weight > 2 dy (flipped-dy dX as im2col + MatMul)', [1, 24, 9, 9], [4, 24, 3, 3], { padding: [1, 2, 1, 0] }],
  ['groups 2, Og > L (batch-folded dW)', [2, 8, 3, 3], [16, 4, 3, 3], { groups: 2 }],
  ['1x1 Og > L (batch-folded MatMul dW)', [3, 4, 2, 2], [6, 4, 1, 1], {}],
] as const) {
  t(`conv2d ${name}`, ['Conv2d'], () =>
    checkOp([{ shape: [...x] }, { shape: [...w] }, { shape: [w[0]] }], (a, k, b) => E.conv2d(a, k, b, opts), { ortTol: 2e-5 }),
  );
}
t('conv2d as im2col + MatMul (training graphs on small maps), stride 2, groups 2', ['Conv2dCols'], async () => {
  const { apply1 } = await import('../../src/engine/ops/define.js');
  const { Conv2dCols, im2col } = await import('../../src/engine/ops/conv2d.js');
  const { convAttrs } = await import('../../src/engine/ops/conv-util.js');
  const a = convAttrs('t', { stride: 2, padding: [1, 0, 1, 1], groups: 2 });
  return checkOp([{ shape: [2, 4, 6, 5] }, { shape: [6, 2, 3, 3] }], (x, w) => apply1(Conv2dCols, [x, w, im2col(x, 3, 3, a, 2)], a));
});
t('convTranspose2d stride 2, output padding, groups', ['ConvTranspose2d'], () =>
  checkOp([{ shape: [2, 4, 4, 5] }, { shape: [4, 3, 3, 3] }, { shape: [6] }], (a, k, b) =>
    E.convTranspose2d(a, k, b, { stride: 2, padding: 1, outputPadding: [1, 0], groups: 2 }),
  ),
);
t('convTranspose2d dilation', ['ConvTranspose2d'], () =>
  checkOp([{ shape: [1, 2, 5, 4] }, { shape: [2, 3, 2, 3] }], (a, k) => E.convTranspose2d(a, k, null, { dilation: 2, padding: [1, 0] })),
);
t('maxPool2d 3x3/2 pad 1 (indices + scatter-add backward)', ['MaxPool2d'], () =>
  checkOp([{ shape: [2, 3, 9, 8] }], (a) => E.maxPool2d(a, { kernel: 3, stride: 2, padding: 1 })),
);
t('maxPool2d 2x2 overlapping windows stride 1', ['MaxPool2d'], () => checkOp([{ shape: [1, 2, 5, 5] }], (a) => E.maxPool2d(a, { kernel: 2, stride: 1 })));
t('avgPool2d count_include_pad true/false', ['AvgPool2d'], () =>
  checkOp([{ shape: [2, 3, 7, 6] }], (a) =>
    E.add(E.avgPool2d(a, { kernel: 3, stride: 2, padding: 1 }), E.avgPool2d(a, { kernel: 3, stride: 2, padding: 1, countIncludePad: false })),
  ),
);
t('col2im: stride 2, asymmetric pads, dilation (overlapping windows; VJP is im2col)', ['Col2Im'], () =>
  checkOp([{ shape: [2, 3 * 6, 12] }], (c) => E.col2im(c, [7, 6], [2, 3], { stride: [2, 1], pads: [1, 0, 0, 1], dilation: [1, 2] })),
);
t('col2im: 3x3 stride 1 pad 1 (conv dX on small maps)', ['Col2Im'], () =>
  checkOp([{ shape: [1, 2 * 9, 20] }], (c) => E.col2im(c, [4, 5], [3, 3], { stride: [1, 1], pads: [1, 1, 1, 1], dilation: [1, 1] })),
);
t('batchNormTrain: y, batch mean and variance all feed the loss (closed-form backward)', ['BatchNormTrain'], () =>
  checkOp([{ shape: [3, 2, 3, 3] }, { shape: [2] }, { shape: [2] }], (x, w, b) => {
    const r = E.batchNormTrain(x, w, b, 1e-3);
    return E.add(E.mul(r.y, r.y), E.reshape(E.add(E.mul(r.mean, 3), E.mul(r.variance, r.variance)), [1, 2, 1, 1]));
  }),
);
t('batchNormTrain: gradient of y only (the training path)', ['BatchNormTrain'], () =>
  checkOp([{ shape: [4, 3, 2, 2] }, { shape: [3] }, { shape: [3] }], (x, w, b) => E.batchNormTrain(x, w, b).y),
);
t('batchNorm (eval) in all five inputs', ['BatchNorm'], () =>
  checkOp([{ shape: [2, 3, 4, 4] }, { shape: [3] }, { shape: [3] }, { shape: [3] }, { shape: [3], gen: 'pos' }], (x, s, b, m, v) => E.batchNorm(x, s, b, m, v, 1e-3)),
);

test('every primitive has a gradient/forward case', () => {
  // runs after the registrations above (node:test runs top-level tests in order)
  const missing = PRIMITIVES.map((p) => p.name).filter((n) => !covered.has(n));
  assert.deepEqual(missing, []);
});

test('NaN propagates through forward and backward', async () => {
  const { Graph } = await import('../../src/engine/graph/graph.js');
  const { evaluate } = await import('../../src/engine/ops/evaluate.js');
  const { grad } = await import('../../src/engine/autodiff/grad.js');
  const { toOnnx } = await import('../../src/engine/onnx/emit.js');
  const { Session } = await import('../../src/engine/runtime/session.js');
  const g = new Graph();
  const x = g.input('x', [1, 1, 2, 2]);
  const y = E.sum(E.relu(E.conv2d(E.sigmoid(x), constant(g, [1, 1, 1, 1], [2]))));
  const [dx] = grad(y, [x]);
  const data = Float32Array.from([1, NaN, 0.5, -1]);
  const [yr] = evaluate([y], { x: { data: Float64Array.from(data), shape: [1, 1, 2, 2] } });
  assert.ok(Number.isNaN(yr.data[0]));
  const s = await Session.create(toOnnx({ y, dx }));
  const r = await s.run({ x: ndarray('float32', [1, 1, 2, 2], data) });
  assert.ok(Number.isNaN(r.y.data[0] as number));
  assert.ok(Number.isNaN(r.dx.data[1] as number));
});
