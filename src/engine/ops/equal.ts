import type { Tensor } from '../graph/graph.js';
import { compareOp } from './compare.js';
import { apply1 } from './define.js';
import { pair, type TensorLike } from './util.js';

/** a == b (bool). ONNX: Equal. */
export const Equal = compareOp('Equal', (a, b) => a === b);
export const equal = (a: TensorLike, b: TensorLike): Tensor => apply1(Equal, pair('equal', a, b), {});
