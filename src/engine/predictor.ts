/**
 * Inference over a model for inputs of any shape: one eval-mode graph (weights as initializers) per input shape,
 * compiled once and cached by its shape signature.
 */
import type { NdArray } from '../tensor/ndarray.js';
import type { Exportable } from './export.js';
import { toOnnx } from './onnx/emit.js';
import { Graph } from './graph/graph.js';
import { SessionCache, type SessionOptions } from './runtime/session.js';

export class Predictor {
  private readonly cache = new SessionCache();
  constructor(
    private readonly model: Exportable,
    private readonly opts: SessionOptions = {},
  ) {}

  /** Number of compiled shapes so far. */
  get compiled(): number {
    return this.cache.size;
  }

  /**
   * Runs the eval-mode forward on `x` (weights are baked in when a shape is first seen; call `reset()` after
   * changing them).
   * @example const p = new Predictor(resnet18()); const y = await p.predict(ndarray('float32', [1, 3, 224, 224], px));
   */
  async predict(x: NdArray): Promise<NdArray> {
    const key = `${x.dtype}[${x.shape.join(',')}]`;
    const s = await this.cache.get(
      key,
      () => {
        this.model.namedTensors?.();
        const was = this.model.training;
        this.model.eval?.();
        try {
          const g = new Graph();
          return toOnnx({ y: this.model.forward(g.input('x', x.shape, x.dtype)) });
        } finally {
          if (was) this.model.train?.(true);
        }
      },
      this.opts,
    );
    return (await s.run({ x })).y;
  }

  /** Drops every cached session (e.g. after loading new weights). */
  reset(): Promise<void> {
    return this.cache.clear();
  }
}
