/**
 * Runs a compiled step graph: the flat parameter vector and optimizer state stay onnxruntime
 * tensors between steps (outputs of one run are the inputs of the next), so JS never loops over
 * their elements. With a Gram (see step-graph.ts) a step is two runs: the gradients graph, the
 * caller's choice of coefficients from the losses and G, then the update graph.
 */
import { TrainingError } from '../errors.js';
import { FLAT_PARAMS } from '../nn/context.js';
import { CompiledModel, makeTensor, tensorData, type RuntimeTensor, type SessionOptions } from '../runtime/session.js';
import type { Random } from '../util/random.js';
import type { Optimizer } from './optimizers/index.js';
import { buildStepGraph, GRAD_NORM, GRAM, LOSS_WEIGHTS, LOSSES, newName, slotName, type StepGraph, type StepGraphSpec } from './step-graph.js';

export interface StepResult {
  /** Unweighted loss per task. */
  losses: Float32Array;
  gradNorm: number;
  /** G = J Jᵀ (T×T, row-major) when the step computes it. */
  gram?: Float64Array;
}

/** Coefficients for this step from its losses and Gram matrix. */
export type ChooseCoefficients = (losses: Float32Array, gram: Float64Array) => Float32Array;

/** Everything that changes during training, as plain arrays, for checkpoints. */
export interface TrainableState {
  step: number;
  tensors: Record<string, Float32Array>;
}

export class Trainable {
  private readonly values = new Map<string, RuntimeTensor>();
  step = 0;

  private constructor(
    readonly graph: StepGraph,
    private readonly optimizer: Optimizer,
    private readonly session: CompiledModel,
    private readonly updateSession: CompiledModel | null,
  ) {}

  static async create(spec: StepGraphSpec, init: ReadonlyMap<string, Float32Array>, options: SessionOptions = {}): Promise<Trainable> {
    const graph = buildStepGraph(spec);
    const session = await CompiledModel.create(graph.model.bytes, graph.model.inputs, options);
    const update = graph.update ? await CompiledModel.create(graph.update.bytes, graph.update.inputs, options) : null;
    const t = new Trainable(graph, spec.optimizer, session, update);
    const dims = [graph.layout.total];
    t.values.set(FLAT_PARAMS, makeTensor('float32', graph.layout.join(init), dims));
    for (const s of graph.slots) t.values.set(slotName(s), makeTensor('float32', new Float32Array(graph.layout.total), dims));
    return t;
  }

  get computesGram(): boolean {
    return this.updateSession !== null;
  }

  /**
   * One step on a batch with fixed coefficients (a graph without a Gram). `noise` draws the
   * dropout masks (the batch size is read from the first batch tensor's first dimension).
   */
  async run(batch: Record<string, RuntimeTensor>, lr: number, lossWeights: Float32Array, noise?: Random): Promise<StepResult> {
    if (this.updateSession) throw new TrainingError('gram-step', 'this step graph computes a Gram matrix; call runWithGram');
    this.step += 1;
    const feeds: Record<string, RuntimeTensor> = { ...batch, ...this.noiseFeeds(batch, noise), ...this.updateFeeds(lr, lossWeights) };
    for (const [k, v] of this.values) feeds[k] = v;
    const out = await this.session.run(feeds);
    this.keep(out);
    return { losses: tensorData(out[LOSSES]!) as Float32Array, gradNorm: (tensorData(out[GRAD_NORM]!) as Float32Array)[0]! };
  }

  /**
   * One step whose coefficients `choose` picks from this step's losses and G, with no second
   * forward pass. Each graph is fed, by name, what it declares among the batch, the noise, the
   * parameters and state, the step scalars and the first graph's outputs.
   */
  async runWithGram(batch: Record<string, RuntimeTensor>, lr: number, choose: ChooseCoefficients, noise?: Random): Promise<StepResult> {
    if (!this.updateSession || !this.graph.update) throw new TrainingError('no-gram-step', 'this step graph computes no Gram matrix; build it with gramOn');
    this.step += 1;
    const pool: Record<string, RuntimeTensor> = { ...batch, ...this.noiseFeeds(batch, noise), ...Object.fromEntries(this.values) };
    const pick = (names: { name: string }[]) => Object.fromEntries(names.map(({ name }) => [name, pool[name]!]));
    const first = await this.session.run(pick(this.graph.model.inputs));
    const losses = tensorData(first[LOSSES]!) as Float32Array;
    const gram = Float64Array.from(tensorData(first[GRAM]!) as Float32Array);
    Object.assign(pool, first, this.updateFeeds(lr, choose(losses, gram)));
    const out = await this.updateSession.run(pick(this.graph.update.inputs));
    this.keep(out);
    return { losses, gram, gradNorm: (tensorData(out[GRAD_NORM]!) as Float32Array)[0]! };
  }

  private updateFeeds(lr: number, lossWeights: Float32Array): Record<string, RuntimeTensor> {
    const feeds: Record<string, RuntimeTensor> = { [LOSS_WEIGHTS]: makeTensor('float32', lossWeights, [lossWeights.length]) };
    for (const [name, value] of Object.entries(this.optimizer.scalars(this.step, lr))) feeds[name] = makeTensor('float32', Float32Array.of(value), []);
    return feeds;
  }

  private noiseFeeds(batch: Record<string, RuntimeTensor>, noise?: Random): Record<string, RuntimeTensor> {
    const feeds: Record<string, RuntimeTensor> = {};
    if (this.graph.noise.length === 0) return feeds;
    const rows = Object.values(batch)[0]!.dims[0]!;
    for (const n of this.graph.noise) {
      const dims = n.shape.map((d) => (typeof d === 'number' ? d : rows));
      const data = new Float32Array(dims.reduce((a, b) => a * b, 1));
      for (let i = 0; i < data.length; i++) data[i] = noise ? noise.next() : 1;
      feeds[n.name] = makeTensor('float32', data, dims);
    }
    return feeds;
  }

  private keep(out: Record<string, RuntimeTensor>): void {
    for (const key of this.values.keys()) this.values.set(key, out[newName(key)]!);
  }

  /** The flat parameter vector as a runtime tensor, to feed an evaluation graph without copying. */
  parameterTensors(): Record<string, RuntimeTensor> {
    return { [FLAT_PARAMS]: this.values.get(FLAT_PARAMS)! };
  }

  /** Current parameter values, copied out, by name. */
  parameters(): Map<string, Float32Array> {
    return this.graph.layout.split(Float32Array.from(tensorData(this.values.get(FLAT_PARAMS)!) as Float32Array));
  }

  state(): TrainableState {
    const tensors: Record<string, Float32Array> = {};
    for (const [k, v] of this.values) tensors[k] = Float32Array.from(tensorData(v) as Float32Array);
    return { step: this.step, tensors };
  }

  restore(state: TrainableState): void {
    for (const [k, v] of this.values) {
      const data = state.tensors[k];
      if (!data || data.length !== (tensorData(v) as Float32Array).length) {
        throw new TrainingError('bad-checkpoint', `checkpoint has no matching value for '${k}'`);
      }
      this.values.set(k, makeTensor('float32', Float32Array.from(data), v.dims));
    }
    this.step = state.step;
  }

  async release(): Promise<void> {
    await this.session.release();
    await this.updateSession?.release();
  }
}
