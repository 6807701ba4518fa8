export { toOnnx, onnxNodes, OPSET, type OnnxModel, type ValueSpec } from './emit.js';
