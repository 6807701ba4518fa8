/**
 * `compile`: graph outputs -> a runnable onnxruntime session. Parameters fed as inputs (training graphs) are filled
 * from their current values, random inputs (dropout masks) from a seeded generator, the rest from `feeds`.
 */
import type { NdArray } from '../../tensor/ndarray.js';
import type { Tensor } from '../graph/graph.js';
import { toOnnx, type OnnxModel } from '../onnx/emit.js';
import { Rng } from '../rng.js';
import { Session, type SessionOptions } from './session.js';

export interface CompileOptions extends SessionOptions {
  /** Seed of the generator that fills random inputs (dropout masks). Default 0. */
  seed?: number;
}

export class Compiled {
  /** The generator for random inputs; its state is part of a checkpoint. */
  readonly rng: Rng;
  constructor(
    readonly model: OnnxModel,
    readonly session: Session,
    private readonly random: ReadonlyMap<string, (rng: Rng) => NdArray>,
    seed: number,
  ) {
    this.rng = new Rng(seed);
  }

  /** Feeds for parameters and random inputs, merged under the caller's feeds. */
  feeds(feeds: Readonly<Record<string, NdArray>>): Record<string, NdArray> {
    const all: Record<string, NdArray> = {};
    for (const [name, p] of this.model.paramInputs) all[name] = p.value;
    for (const spec of this.model.inputs) {
      const fill = this.random.get(spec.name);
      if (fill && !(spec.name in feeds)) all[spec.name] = fill(this.rng);
    }
    return Object.assign(all, feeds);
  }

  /**
   * Runs the graph.
   * @example const { y } = await net.run({ x: ndarray('float32', [1, 3, 32, 32], pixels) });
   */
  run(feeds: Readonly<Record<string, NdArray>> = {}, fetch?: readonly string[]): Promise<Record<string, NdArray>> {
    return this.session.run(this.feeds(feeds), fetch);
  }

  release(): Promise<void> {
    return this.session.release();
  }
}

/**
 * Compiles graph outputs (name -> tensor) to ONNX and loads them in onnxruntime.
 * @example
 * const g = new Graph();
 * const x = g.input('x', [2, 3]);
 * const net = await compile({ y: relu(x) });
 * const { y } = await net.run({ x: ndarray('float32', [2, 3], [1, -2, 3, -4, 5, -6]) });
 */
export async function compile(outputs: Readonly<Record<string, Tensor>>, opts: CompileOptions = {}): Promise<Compiled> {
  const first = Object.values(outputs)[0];
  const model = toOnnx(outputs);
  const session = await Session.create(model, opts);
  return new Compiled(model, session, first.graph.random, opts.seed ?? 0);
}

export type { OnnxModel };
