/**
 * Float64 evaluation of a graph with the primitives' reference kernels. It is the oracle for tests (finite
 * differences, forward checks against onnxruntime) and works anywhere, but it is slow: use `compile` for real work.
 */
import { IqaError } from '../../tensor/errors.js';
import { toFloat64 } from '../../tensor/ndarray.js';
import { nodeError, topoSort, type RefArray, type Tensor } from '../graph/graph.js';
import type { OpDef } from './define.js';

export function evaluate(outputs: readonly Tensor[], feeds: Readonly<Record<string, RefArray>>): RefArray[] {
  const vals = new Map<Tensor, RefArray>();
  const value = (t: Tensor): RefArray => {
    const v = vals.get(t);
    if (v) return v;
    const l = t.leaf;
    if (!l) throw new IqaError(`evaluate: ${t}: no value (node not evaluated)`, 'E_GRAPH');
    let r: RefArray;
    if (l.kind === 'input') {
      const f = feeds[l.name];
      if (!f) throw new IqaError(`evaluate: input '${l.name}': expected a feed, got none`, 'E_GRAPH');
      r = f;
    } else r = { data: toFloat64(l.kind === 'const' ? l.value : l.param.value), shape: t.shape };
    vals.set(t, r);
    return r;
  };
  for (const node of topoSort(outputs)) {
    const op = node.op as OpDef<unknown>;
    if (!op.ref) throw nodeError(node, `evaluate: primitive ${op.name} has no reference kernel`);
    const out = op.ref(node.inputs.map(value), node.attrs);
    const outs = Array.isArray(out) ? out : [out];
    node.outputs.forEach((o, i) => vals.set(o, outs[i]));
  }
  return outputs.map(value);
}
