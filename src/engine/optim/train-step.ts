/**
 * The training step as one ONNX graph (engine-notes §2.1): forward, backward and optimiser update; parameters and
 * optimiser state go in as inputs and come out as `new.*` outputs, which are written back for the next step.
 * With gradient accumulation, a gradient graph runs per micro-batch and a separate update graph applies the mean.
 */
import { expected } from '../../tensor/errors.js';
import { ndarray, type NdArray } from '../../tensor/ndarray.js';
import { grad } from '../autodiff/grad.js';
import { Graph, Tensor, type Parameter } from '../graph/graph.js';
import { add, div, less, mul, reshape, sqrt, sum, where } from '../ops/index.js';
import { compile, type Compiled } from '../runtime/compile.js';
import type { SessionOptions } from '../runtime/session.js';
import type { Optimizer } from './optimizer.js';
import type { Schedule } from './schedule.js';

export interface ParamGroup {
  params: readonly Parameter[];
  /** multiplies the scheduled learning rate for this group (default 1) */
  lrMult?: number;
}

export interface TrainStepOptions {
  /** Builds the forward on a training graph (parameters as inputs) and returns the scalar loss, or the loss and extra outputs. */
  build: (g: Graph) => Tensor | { loss: Tensor; outputs?: Record<string, Tensor>; stop?: readonly Tensor[] };
  // `stop`: tensors treated as constants by the backward (stop-gradient / detach, e.g. a consistency target).
  /** Trainable parameters, or parameter groups with their own learning-rate multipliers. */
  params: readonly Parameter[] | readonly ParamGroup[];
  optimizer: Optimizer;
  /** Learning rate, or a schedule of the update count (0-based). */
  lr: number | Schedule;
  /** Clip the global L2 norm of all gradients to this value (torch.nn.utils.clip_grad_norm_). */
  clipGradNorm?: number;
  /** Micro-batches per update; the update uses their mean gradient. Default 1. */
  accumulate?: number;
  /** Seed for random inputs (dropout). */
  seed?: number;
  session?: SessionOptions;
}

/** Everything a checkpoint must hold to continue bit for bit. */
export interface TrainState {
  params: Record<string, NdArray>;
  optim: Record<string, NdArray>;
  step: number;
  rng: number[];
}

interface Slot {
  p: Parameter;
  group: number;
  state: Float32Array[];
  acc: Float32Array | null;
}

const scalar = (v: number): NdArray => ndarray('float32', [], [v]);

export class TrainStep {
  /** Number of optimiser updates applied. */
  step = 0;
  private micro = 0;
  private constructor(
    private readonly o: TrainStepOptions,
    private readonly slots: Slot[],
    private readonly buffers: Parameter[],
    private readonly main: Compiled,
    private readonly updater: Compiled | null,
    private readonly groupMult: number[],
  ) {}

  /**
   * Builds and compiles the training step.
   * @example
   * const step = await TrainStep.create({
   *   build: (g) => mseLoss(net.forward(g.input('x', [16, 1, 32, 32])), g.input('t', [16, 1])),
   *   params: [{ params: head.parameters() }, { params: backbone.parameters(), lrMult: 0.1 }],
   *   optimizer: adamw({ weightDecay: 0.05 }), lr: warmup(100, cosineLr(1e-3, 10_000)), clipGradNorm: 1, accumulate: 4,
   * });
   * @throws IqaError when the loss is not a scalar or `accumulate` is not a positive integer.
   */
  static async create(o: TrainStepOptions): Promise<TrainStep> {
    const groups: ParamGroup[] = o.params.length && 'params' in (o.params[0] as object) ? [...(o.params as ParamGroup[])] : [{ params: o.params as Parameter[] }];
    const groupOf = new Map<Parameter, number>();
    groups.forEach((gr, i) => gr.params.forEach((p) => groupOf.set(p, i)));
    // Training sessions turn off onnxruntime's memory-pattern planning: peak RSS of a ResNet-18 batch-8 224 step
    // fell from 1.37 GB to 0.98-1.0 GB with no measurable slowdown (bench notes in the engine report).
    // They also stop at onnxruntime's 'extended' optimisations: the layout level ('all') only re-lays the constant
    // one-hot im2col convs into NCHWc and adds reorders around them (weights fed as inputs are never pre-packed);
    // ResNet-18 batch-8 step 1077-1142 -> 943-1056 ms on 2 threads, ResNet-50 within noise.
    o = { ...o, session: { memPattern: false, optimization: 'extended', ...o.session } };
    const acc = o.accumulate ?? 1;
    if (!Number.isInteger(acc) || acc < 1) throw expected('TrainStep', 'accumulate', 'a positive integer', String(acc));

    const g = new Graph('input');
    g.target = o.session?.executionProvider === 'webgpu' ? 'webgpu' : 'cpu';
    const built = o.build(g);
    const { loss, outputs = {}, stop = [] } = built instanceof Tensor ? { loss: built } : built;
    if (loss.size !== 1) throw expected('TrainStep', 'loss', 'a scalar', `${loss.size} elements`, 'E_SHAPE');
    const used = g.paramTensors().filter((t) => t.leaf?.kind === 'param' && t.leaf.param.requiresGrad && groupOf.has(t.leaf.param));
    const slots: Slot[] = used.map((t) => ({ p: (t.leaf as { param: Parameter }).param, group: groupOf.get((t.leaf as { param: Parameter }).param)!, state: [], acc: null }));
    const grads = grad(loss, used, { stop });
    const outs: Record<string, Tensor> = { loss, ...outputs };
    const buffers = [...g.updates.keys()];
    for (const [b, v] of g.updates) outs[`new.${b.name}`] = v;

    let updater: Compiled | null = null;
    if (acc === 1) Object.assign(outs, updateGraph(g, o, slots, used, grads));
    else {
      slots.forEach((s, i) => (outs[`grad.${s.p.name}`] = grads[i]));
      const u = new Graph('input');
      const ps = slots.map((s) => u.param(s.p));
      const gs = slots.map((s) => u.input(`grad.${s.p.name}`, s.p.shape));
      updater = await compile(updateGraph(u, o, slots, ps, gs), o.session);
    }
    const main = await compile(outs, { ...o.session, seed: o.seed });
    for (const s of slots) s.state = o.optimizer.state.map(() => new Float32Array(s.p.value.data.length));
    return new TrainStep(o, slots, buffers, main, updater, groups.map((gr) => gr.lrMult ?? 1));
  }

  private scalars(): Record<string, NdArray> {
    const lr = typeof this.o.lr === 'number' ? this.o.lr : this.o.lr(this.step);
    const f: Record<string, NdArray> = {};
    this.groupMult.forEach((m, gi) => {
      for (const [k, v] of Object.entries(this.o.optimizer.scalars(this.step + 1, lr * m))) f[`hp.${gi}.${k}`] = scalar(v);
    });
    return f;
  }

  /** Optimiser state by name: flat as the graph takes it (see updateGraph), or in the parameter's shape. */
  private stateFeeds(shaped = false): Record<string, NdArray> {
    const f: Record<string, NdArray> = {};
    for (const s of this.slots) this.o.optimizer.state.forEach((n, k) => (f[`optim.${s.p.name}.${n}`] = ndarray('float32', shaped ? s.p.shape : [s.p.value.data.length], s.state[k])));
    return f;
  }

  private writeBack(r: Record<string, NdArray>): void {
    for (const s of this.slots) {
      // the update graph returns the parameter flat (no copying Reshape on a graph output)
      s.p.value = ndarray('float32', s.p.shape, r[`new.${s.p.name}`].data as Float32Array);
      this.o.optimizer.state.forEach((n, k) => (s.state[k] = r[`new.optim.${s.p.name}.${n}`].data as Float32Array));
    }
    this.step++;
  }

  /**
   * One micro-batch: forward, backward and (every `accumulate` calls) the update. Returns the loss and extra outputs.
   * @example for (const batch of batches) console.log((await step.run({ x: batch.x, t: batch.t })).loss);
   */
  async run(feeds: Readonly<Record<string, NdArray>>): Promise<{ loss: number; outputs: Record<string, NdArray> }> {
    const extra = this.updater ? {} : { ...this.scalars(), ...this.stateFeeds() };
    const r = await this.main.run({ ...feeds, ...extra });
    for (const b of this.buffers) b.value = r[`new.${b.name}`] as NdArray<'float32'>;
    if (!this.updater) this.writeBack(r);
    else {
      for (const s of this.slots) {
        const gd = r[`grad.${s.p.name}`].data as Float32Array;
        if (!s.acc) s.acc = new Float32Array(gd.length);
        for (let i = 0; i < gd.length; i++) s.acc[i] += gd[i];
      }
      if (++this.micro === (this.o.accumulate ?? 1)) {
        const gf: Record<string, NdArray> = {};
        const k = this.micro;
        for (const s of this.slots) gf[`grad.${s.p.name}`] = ndarray('float32', s.p.shape, s.acc!.map((v) => v / k));
        this.writeBack(await this.updater.run({ ...gf, ...this.scalars(), ...this.stateFeeds() }));
        this.slots.forEach((s) => (s.acc = null));
        this.micro = 0;
      }
    }
    return { loss: Number(r.loss.data[0]), outputs: r };
  }

  /** The execution provider the step graph runs on ('cpu' after a fallback). */
  get executionProvider(): string {
    return this.main.session.executionProvider;
  }

  /** Parameters, buffers, optimiser state, update count and generator state (for checkpoints). */
  state(): TrainState {
    const params: Record<string, NdArray> = {};
    for (const s of this.slots) params[s.p.name] = s.p.value;
    for (const b of this.buffers) params[b.name] = b.value;
    const optim: Record<string, NdArray> = this.stateFeeds(true);
    return { params, optim, step: this.step, rng: this.main.rng.getState() };
  }

  /** Restores a `state()` (parameters are matched by name; shapes must agree). */
  load(st: TrainState): void {
    for (const p of [...this.slots.map((s) => s.p), ...this.buffers]) {
      const v = st.params[p.name];
      if (!v || v.data.length !== p.value.data.length) throw expected('TrainStep.load', `parameter '${p.name}'`, `${p.value.data.length} values`, v ? String(v.data.length) : 'missing');
      p.value = ndarray('float32', p.shape, Float32Array.from(v.data as Float32Array));
    }
    for (const s of this.slots) s.state = this.o.optimizer.state.map((n) => this.loadState(st, s.p.name, n));
    this.step = st.step;
    this.main.rng.setState(st.rng);
  }

  /** One state tensor of `st`: ours by name, else PyTorch's form (optimizer.fromTorch, e.g. Adam's exp_avg) converted. */
  private loadState(st: TrainState, param: string, n: string): Float32Array {
    const own = st.optim[`optim.${param}.${n}`];
    if (own) return Float32Array.from(own.data as Float32Array);
    const alt = this.o.optimizer.fromTorch?.[n];
    const torch = alt && st.optim[`optim.${param}.${alt[0]}`];
    if (!alt || !torch) throw expected('TrainStep.load', `optimiser state 'optim.${param}.${n}'`, `present (${this.o.optimizer.name})`, 'missing');
    return Float32Array.from(torch.data as Float32Array, (v) => v * alt[1]);
  }

  async release(): Promise<void> {
    await this.main.release();
    await this.updater?.release();
  }
}

/**
 * Clipping and the optimiser rule for every slot, on graph `g`: returns the `new.*` outputs.
 * The update runs on flattened tensors: onnxruntime 1.30's CPU kernels for a tensor with trailing 1-dims and a
 * scalar (a 1x1 conv weight [O, C, 1, 1] times the learning rate) run 10-15x slower than on the same data as 1-D
 * (1M floats: 11.6 vs 1.3 ms per Mul), which made Adam a third of a ResNet-50 step. The optimiser state goes in and
 * out flat, and so does the new parameter value (TrainStep.writeBack restores its shape), so no graph output needs a
 * copying Reshape.
 */
function updateGraph(g: Graph, o: TrainStepOptions, slots: Slot[], ps0: Tensor[], grads0: Tensor[]): Record<string, Tensor> {
  const flat = (t: Tensor): Tensor => (t.rank === 1 ? t : reshape(t, [t.size]));
  const ps = ps0.map(flat);
  let grads = grads0.map(flat);
  if (o.clipGradNorm !== undefined && grads.length) {
    // coef = max_norm / (total_norm + 1e-6), clamped to 1 (PyTorch clip_grad_norm_)
    const total = sqrt(grads.map((t) => sum(mul(t, t))).reduce((a, b) => add(a, b)));
    const raw = div(o.clipGradNorm, add(total, 1e-6));
    const coef = where(less(raw, 1), raw, 1);
    grads = grads.map((t) => mul(t, coef));
  }
  const groups = new Set(slots.map((s) => s.group));
  const hp = new Map<number, Record<string, Tensor>>();
  for (const gi of groups) {
    const names = Object.keys(o.optimizer.scalars(1, 1));
    hp.set(gi, Object.fromEntries(names.map((n) => [n, g.input(`hp.${gi}.${n}`, [])])));
  }
  const outs: Record<string, Tensor> = {};
  slots.forEach((s, i) => {
    const st = o.optimizer.state.map((n) => g.input(`optim.${s.p.name}.${n}`, [s.p.value.data.length]));
    const r = o.optimizer.update(ps[i], grads[i], st, hp.get(s.group)!);
    outs[`new.${s.p.name}`] = r.param;
    o.optimizer.state.forEach((n, k) => (outs[`new.optim.${s.p.name}.${n}`] = r.state[k]));
  });
  return outs;
}
