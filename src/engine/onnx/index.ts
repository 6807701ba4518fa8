export { toOnnx, OPSET, type OnnxModel, type ValueSpec } from './emit.js';
