import type { Tensor } from '../graph/graph.js';
import { compareOp } from './compare.js';
import { apply1 } from './define.js';
import { pair, type TensorLike } from './util.js';

/** a > b (bool). ONNX: Greater. */
export const Greater = compareOp('Greater', (a, b) => a > b);
export const greater = (a: TensorLike, b: TensorLike): Tensor => apply1(Greater, pair('greater', a, b), {});
