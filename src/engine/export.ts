/**
 * `exportOnnx`: a model's eval-mode forward as a standalone inference ONNX file (weights as initializers, one
 * BatchNormalization node per BN so onnxruntime folds it into the conv). It runs in onnxruntime (Python, C++, web)
 * without this toolkit: inputs and outputs are plain named float32 tensors.
 */
import type { DType } from '../tensor/ndarray.js';
import { Graph, type Tensor } from './graph/graph.js';
import { toOnnx } from './onnx/emit.js';

/** Anything with a forward over one tensor and an eval switch (an `nn.Module`). */
export interface Exportable {
  forward(x: Tensor): Tensor;
  eval?(): unknown;
  train?(on?: boolean): unknown;
  training?: boolean;
  namedTensors?(): unknown;
}

export interface ExportOptions {
  /** input name (default 'input') and output name (default 'output') */
  inputName?: string;
  outputName?: string;
  dtype?: DType;
}

/**
 * @example
 * const bytes = exportOnnx(resnet18(), [1, 3, 224, 224]);
 * writeFileSync('resnet18.onnx', bytes); // python: ort.InferenceSession('resnet18.onnx').run(None, {'input': x})
 */
export function exportOnnx(model: Exportable, inputShape: readonly number[], opts: ExportOptions = {}): Uint8Array {
  const wasTraining = model.training;
  model.namedTensors?.();
  model.eval?.();
  try {
    const g = new Graph('initializer');
    const y = model.forward(g.input(opts.inputName ?? 'input', inputShape, opts.dtype ?? 'float32'));
    if (g.random.size) throw new Error('exportOnnx: graph: expected no random inputs in eval mode, got dropout masks');
    return toOnnx({ [opts.outputName ?? 'output']: y }, 'iqa-export').bytes;
  } finally {
    if (wasTraining) model.train?.(true);
  }
}
