/**
 * The engine: TypeScript graphs of a closed set of primitives, reverse-mode autodiff emitting standard-ONNX
 * backward graphs, compiled to ONNX and run (and trained) on onnxruntime.
 *
 * @example Inference
 * ```ts
 * import { Graph, compile, relu, conv2d, ndarray } from './engine/index.js';
 * const g = new Graph();
 * const x = g.input('x', [1, 3, 8, 8]);
 * const w = g.constant(ndarray('float32', [4, 3, 3, 3], weights));
 * const net = await compile({ y: relu(conv2d(x, w, null, { padding: 1 })) });
 * const { y } = await net.run({ x: ndarray('float32', [1, 3, 8, 8], pixels) });
 * ```
 * @example Training
 * ```ts
 * const step = await TrainStep.create({
 *   build: (g) => mseLoss(model.forward(g.input('x', [8, 3, 32, 32])), g.input('t', [8, 1])),
 *   params: model.parameters(), optimizer: adam(), lr: cosineLr(1e-3, 1000), clipGradNorm: 1,
 * });
 * const { loss } = await step.run({ x, t });
 * saveCheckpoint('ck.safetensors', step.state()); // later: step.load(loadCheckpoint('ck.safetensors'))
 * ```
 */
export { Graph, Parameter, Tensor, topoSort, type Leaf, type Node } from './graph/graph.js';
export { broadcastShapes, type Shape } from './graph/shape.js';
export * from './ops/index.js';
export { evaluate } from './ops/evaluate.js';
export { grad, type GradOptions } from './autodiff/index.js';
export { toOnnx, OPSET, type OnnxModel, type ValueSpec } from './onnx/index.js';
export { compile, Compiled, Session, SessionCache, type CompileOptions, type ExecutionProvider, type SessionOptions } from './runtime/index.js';
export * from './optim/index.js';
export { exportOnnx, type Exportable, type ExportOptions } from './export.js';
export { Rng } from './rng.js';
export { ndarray, type NdArray, type DType } from '../tensor/ndarray.js';
export { saveCheckpoint, loadCheckpoint } from '../train/checkpoint.js';
