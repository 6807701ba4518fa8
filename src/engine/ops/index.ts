/**
 * The closed set of primitives. Each has one `defineOp` record in its own file: shape and dtype rule, ONNX emission,
 * saved values, VJP and float64 reference. Everything else (mean, layer norm, attention, losses...) is a composite
 * in `src/nn` with no gradient code. Adding a primitive needs a reason; the list below is the whole engine.
 */
import { Abs } from './abs.js';
import { Add } from './add.js';
import { AvgPool2d } from './avg-pool2d.js';
import { BatchNorm } from './batch-norm.js';
import { BatchNormTrain } from './batch-norm-train.js';
import { Cast } from './cast.js';
import { Col2Im } from './col2im.js';
import { Concat } from './concat.js';
import { Conv2d, Conv2dCols } from './conv2d.js';
import { ConvTranspose2d } from './conv-transpose2d.js';
import { Div } from './div.js';
import { Equal } from './equal.js';
import { Erf } from './erf.js';
import { Exp } from './exp.js';
import { Expand } from './expand.js';
import { Gather } from './gather.js';
import { Gelu } from './gelu.js';
import { Greater } from './greater.js';
import { Less } from './less.js';
import { Log } from './log.js';
import { LogSoftmax } from './log-softmax.js';
import { MatMul } from './matmul.js';
import { MaxPool2d } from './max-pool2d.js';
import { Mul } from './mul.js';
import { Neg } from './neg.js';
import { Pad } from './pad.js';
import { Pow } from './pow.js';
import { ReduceMax } from './reduce-max.js';
import { ReduceSum } from './reduce-sum.js';
import { Relu } from './relu.js';
import { Reshape } from './reshape.js';
import { ScatterAdd } from './scatter-add.js';
import { Sigmoid } from './sigmoid.js';
import { Sign } from './sign.js';
import { Slice } from './slice.js';
import { Softmax } from './softmax.js';
import { Softplus } from './softplus.js';
import { Sqrt } from './sqrt.js';
import { Sub } from './sub.js';
import { Tanh } from './tanh.js';
import { Transpose } from './transpose.js';
import { Where } from './where.js';

export const PRIMITIVES = [
  Add, Sub, Mul, Div, Pow, Neg, Exp, Log, Sqrt, Abs, Sign, Relu, Sigmoid, Tanh, Erf, Gelu, Softplus,
  Less, Greater, Equal, Where, Cast,
  ReduceSum, ReduceMax, Softmax, LogSoftmax, MatMul,
  Conv2d, Conv2dCols, ConvTranspose2d, Col2Im, MaxPool2d, AvgPool2d, BatchNorm, BatchNormTrain,
  Reshape, Transpose, Slice, Concat, Expand, Pad, Gather, ScatterAdd,
] as const;

export type OpName = (typeof PRIMITIVES)[number]['name'];

export { abs } from './abs.js';
export { add } from './add.js';
export { avgPool2d } from './avg-pool2d.js';
export { batchNorm } from './batch-norm.js';
export { batchNormTrain } from './batch-norm-train.js';
export { cast } from './cast.js';
export { col2im } from './col2im.js';
export { concat } from './concat.js';
export { conv2d } from './conv2d.js';
export { convTranspose2d } from './conv-transpose2d.js';
export { div } from './div.js';
export { equal } from './equal.js';
export { erf } from './erf.js';
export { exp } from './exp.js';
export { expand } from './expand.js';
export { gather } from './gather.js';
export { gelu } from './gelu.js';
export { greater } from './greater.js';
export { less } from './less.js';
export { log } from './log.js';
export { logSoftmax } from './log-softmax.js';
export { matmul } from './matmul.js';
export { maxPool2d, type PoolOptions } from './max-pool2d.js';
export { mul } from './mul.js';
export { neg } from './neg.js';
export { pad } from './pad.js';
export { pow } from './pow.js';
export { max } from './reduce-max.js';
export { sum, sumTo } from './reduce-sum.js';
export { relu } from './relu.js';
export { reshape } from './reshape.js';
export { scatterAdd } from './scatter-add.js';
export { sigmoid } from './sigmoid.js';
export { sign } from './sign.js';
export { slice, type SliceSpec } from './slice.js';
export { softmax } from './softmax.js';
export { softplus } from './softplus.js';
export { sqrt } from './sqrt.js';
export { sub } from './sub.js';
export { tanh } from './tanh.js';
export { transpose } from './transpose.js';
export { where } from './where.js';
export type { Conv2dOptions } from './conv-util.js';
export { apply, apply1, constant, defineOp, type Emitter, type OpDef, type AttrValue } from './define.js';
export type { TensorLike } from './util.js';
