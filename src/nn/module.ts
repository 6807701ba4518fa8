/**
 * A small PyTorch-like module system: parameters and buffers with state-dict names, sub-modules, train/eval mode
 * and frozen parameters. `forward` builds graph nodes; the same module builds inference graphs (weights as
 * initializers) and training graphs (weights as inputs), depending on the graph it is called on.
 */
import { expected } from '../tensor/errors.js';
import { ndarray, type NdArray } from '../tensor/ndarray.js';
import { Parameter, type Tensor } from '../engine/graph/graph.js';
import { Rng } from '../engine/rng.js';

/** The generator used when a module is given none: deterministic in construction order. */
export const defaultRng = new Rng(0);

/** U(-bound, bound) values. */
export function uniform(rng: Rng, n: number, bound: number): Float32Array {
  const a = new Float32Array(n);
  for (let i = 0; i < n; i++) a[i] = (2 * rng.uniform() - 1) * bound;
  return a;
}

export abstract class Module {
  training = true;
  private readonly ownParams = new Map<string, Parameter>();
  private readonly children = new Map<string, Module>();

  /** Registers a trainable parameter (PyTorch: nn.Parameter attribute). */
  protected param(name: string, shape: readonly number[], data: Float32Array): Parameter {
    const p = new Parameter(name, ndarray('float32', shape, data));
    this.ownParams.set(name, p);
    return p;
  }

  /** Registers a buffer (PyTorch: register_buffer), e.g. running statistics. */
  protected buffer(name: string, shape: readonly number[], data: Float32Array): Parameter {
    const p = new Parameter(name, ndarray('float32', shape, data), false, true);
    this.ownParams.set(name, p);
    return p;
  }

  /** Registers a sub-module under `name` (its parameters become `name.*`). */
  protected child<M extends Module>(name: string, m: M): M {
    this.children.set(name, m);
    return m;
  }

  /** All parameters and buffers with their state-dict names (also written into each `Parameter.name`). */
  namedTensors(prefix = ''): [string, Parameter][] {
    const out: [string, Parameter][] = [];
    for (const [n, p] of this.ownParams) {
      p.name = prefix + n;
      out.push([p.name, p]);
    }
    for (const [n, c] of this.children) out.push(...c.namedTensors(`${prefix}${n}.`));
    return out;
  }

  /** Trainable (non-buffer) parameters, named. */
  parameters(): Parameter[] {
    return this.namedTensors().map(([, p]) => p).filter((p) => !p.isBuffer);
  }

  /** Parameters that are not frozen. */
  trainableParameters(): Parameter[] {
    return this.parameters().filter((p) => p.requiresGrad);
  }

  modules(): Module[] {
    return [this, ...[...this.children.values()].flatMap((c) => c.modules())];
  }

  /** Sets train (true) or eval (false) mode on this module and its children. */
  train(on = true): this {
    for (const m of this.modules()) m.training = on;
    return this;
  }

  eval(): this {
    return this.train(false);
  }

  /** Freezes (or unfreezes) every parameter: frozen ones are constants of the training graph. */
  freeze(frozen = true): this {
    for (const p of this.parameters()) p.requiresGrad = !frozen;
    return this;
  }

  /** name -> value, PyTorch state_dict names. */
  stateDict(): Record<string, NdArray> {
    return Object.fromEntries(this.namedTensors().map(([n, p]) => [n, p.value]));
  }

  /** Loads values by name; with `strict`, missing or unexpected keys are errors. Shapes must match. */
  loadStateDict(sd: Readonly<Record<string, NdArray>>, strict = true): void {
    const own = new Map(this.namedTensors());
    for (const [n, p] of own) {
      const v = sd[n];
      if (!v) {
        if (strict) throw expected('loadStateDict', `key '${n}'`, 'present', 'missing');
        continue;
      }
      if (v.data.length !== p.value.data.length) throw expected('loadStateDict', `'${n}' size`, `${p.value.data.length} values [${p.shape.join(', ')}]`, `${v.data.length} [${v.shape.join(', ')}]`);
      p.value = ndarray('float32', p.shape, Float32Array.from(v.data as ArrayLike<number>));
    }
    if (strict) for (const k of Object.keys(sd)) if (!own.has(k)) throw expected('loadStateDict', `key '${k}'`, 'a parameter of this module', 'unexpected');
  }

  abstract forward(x: Tensor): Tensor;
}

/** Modules applied in order, named '0', '1', ... (nn.Sequential). */
export class Sequential extends Module {
  readonly layers: Module[];
  constructor(...layers: Module[]) {
    super();
    this.layers = layers.map((m, i) => this.child(String(i), m));
  }
  forward(x: Tensor): Tensor {
    return this.layers.reduce((h, m) => m.forward(h), x);
  }
}

/** A function as a module (activations in a Sequential). */
export class Lambda extends Module {
  constructor(private readonly f: (x: Tensor) => Tensor) {
    super();
  }
  forward(x: Tensor): Tensor {
    return this.f(x);
  }
}
