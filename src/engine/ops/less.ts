import type { Tensor } from '../graph/graph.js';
import { compareOp } from './compare.js';
import { apply1 } from './define.js';
import { pair, type TensorLike } from './util.js';

/** a < b (bool). ONNX: Less. */
export const Less = compareOp('Less', (a, b) => a < b);
export const less = (a: TensorLike, b: TensorLike): Tensor => apply1(Less, pair('less', a, b), {});
