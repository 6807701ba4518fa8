/**
 * Reverse-mode autodiff over the graph, in the manner of micrograd's `Value.backward`: order the nodes
 * topologically, seed dL/dL = 1, walk the order backwards calling each primitive's VJP, and accumulate with `add`
 * where a tensor feeds several consumers. The backward is itself a graph of primitives, so it compiles to plain ONNX.
 */
import { IqaError } from '../../tensor/errors.js';
import { ndarray } from '../../tensor/ndarray.js';
import { nodeError, topoSort, type Tensor } from '../graph/graph.js';
import { sameShape, shapeStr } from '../graph/shape.js';
import type { OpDef } from '../ops/define.js';
import { add, expand, sumTo } from '../ops/index.js';

export interface GradOptions {
  /** dL/dy; defaults to ones (so the result is the gradient of sum(y)). */
  seed?: Tensor;
  /** Tensors treated as constants: no gradient flows through them (stop-gradient / detach). */
  stop?: readonly Tensor[];
}

/**
 * Gradients of `y` with respect to each tensor of `wrt`, as new tensors in the same graph.
 * @example const [dw] = grad(loss, [g.param(w)]); // then compile({ loss, dw })
 * @throws IqaError E_GRAPH when a primitive on the path has no gradient rule (naming the op and its creation site).
 */
export function grad(y: Tensor, wrt: readonly Tensor[], opts: GradOptions = {}): Tensor[] {
  const stop = new Set(opts.stop ?? []);
  const order = topoSort([y]);
  // Tensors that depend on some `wrt`: only these receive gradients.
  const live = new Set<Tensor>(wrt.filter((t) => !stop.has(t)));
  for (const node of order) if (node.inputs.some((t) => live.has(t))) for (const o of node.outputs) if (!stop.has(o)) live.add(o);

  const grads = new Map<Tensor, Tensor>();
  const seed = opts.seed ?? expand(y.graph.constant(ndarray(y.dtype, [], [1])), y.shape);
  if (!sameShape(seed.shape, y.shape)) throw new IqaError(`grad: seed shape: expected ${shapeStr(y.shape)}, got ${shapeStr(seed.shape)}`, 'E_SHAPE');
  grads.set(y, seed);

  for (let i = order.length - 1; i >= 0; i--) {
    const node = order[i];
    const gs = node.outputs.map((o) => grads.get(o) ?? null);
    if (gs.every((g) => g === null) || !node.inputs.some((t) => live.has(t))) continue;
    const op = node.op as OpDef<unknown>;
    if (!op.vjp) throw nodeError(node, `grad: no gradient rule for primitive ${op.name}`);
    const gin = op.vjp(gs, { inputs: node.inputs, outputs: node.outputs, attrs: node.attrs });
    node.inputs.forEach((x, k) => {
      const g = gin[k];
      if (!g || !live.has(x)) return;
      const gx = sumTo(g, x.shape); // broadcasting is undone here, not in each rule
      const prev = grads.get(x);
      grads.set(x, prev ? add(prev, gx) : gx);
    });
  }
  // Inputs that do not influence y get an explicit zero gradient.
  return wrt.map((x) => grads.get(x) ?? expand(x.graph.constant(ndarray(x.dtype, [], [0])), x.shape));
}
