/**
 * One training step as ONNX: forward, per-task losses, backward, gradient clipping and the
 * optimizer update. Parameters are one flat vector (see nn/context.ts). Two shapes:
 *
 * - One graph (`buildStepGraph`), for methods whose coefficients do not read gradients: inputs are
 *   the batch, parameters, optimizer state, step scalars and the task coefficients; outputs the
 *   updated parameters and state and the per-task losses. One forward, one backward.
 *
 * - Two graphs (`buildGramStepGraphs`), for methods that read G = J Jᵀ. Coefficients must come
 *   from this step's G, and a method is a JS function, so the step is split where the coefficients
 *   are needed: graph A runs the forward once, the T per-task backward passes (each covers the
 *   shared part and its own task's part only), and outputs the losses, G (T×T, computed in the
 *   graph as a matmul of the per-task shared gradients, or as dot products of the per-task
 *   gradients at the shared representation) and the per-task gradients stacked [T, P]; JS computes
 *   the T coefficients; graph B takes the stacked gradients back as they are (onnxruntime tensors,
 *   never read in JS), forms Σ c_t g_t with one matmul and applies clipping and the optimizer.
 *   No second forward pass and no JS loop over parameter elements; the price is T backward passes
 *   of the shared part instead of one, which is what the per-task gradients cost anyway.
 */
import {
  add, concat, div, emitOnnx, grad, Graph, greater, matmul, mul, reshape, sqrt, sumAll, transpose, unsqueeze, where,
  type EmittedModel, type Tensor,
} from '../graph/index.js';
import { BuildContext, FLAT_PARAMS, ParamLayout, type NoiseInput } from '../nn/context.js';
import type { Optimizer } from './optimizers/index.js';
import { servesSeveral, sharedRepresentation, taskMasks } from './sharing.js';
import { splitAt } from './split-step.js';

export type GramOn = 'params' | 'representation';
export const GRAM_ON: readonly GramOn[] = ['params', 'representation'];

export interface StepGraphSpec {
  /** Builds the network in training mode and returns one scalar loss per task. */
  build(ctx: BuildContext): Tensor[];
  optimizer: Optimizer;
  /** Clip gradients to this global L2 norm (off when absent). */
  clipNorm?: number;
  /** Compute G over the shared parameters or the shared representation (two graphs); absent: one graph, no G. */
  gramOn?: GramOn;
}

export interface StepGraph {
  /** The whole step, or (with a Gram) graph A: losses, G and per-task gradients. */
  model: EmittedModel;
  /** Graph B (with a Gram): Σ c_t g_t, clipping and the optimizer update. */
  update?: EmittedModel;
  layout: ParamLayout;
  noise: NoiseInput[];
  slots: readonly string[];
  taskCount: number;
}

export const LOSS_WEIGHTS = 'lossWeights';
export const LOSSES = 'losses';
export const GRAD_NORM = 'gradNorm';
export const GRAM = 'gram';
export const TASK_GRADS = 'taskGradients';
export const newName = (name: string): string => `${name}:new`;
export const slotName = (slot: string): string => `${FLAT_PARAMS}:${slot}`;

/** Parameter definitions of a network, from a build in 'inputs' mode. */
export function paramLayout(build: (ctx: BuildContext) => unknown, training = true): ParamLayout {
  const ctx = new BuildContext(new Graph(), training);
  build(ctx);
  return new ParamLayout(ctx.params);
}

const flatten = (t: Tensor): Tensor => reshape(t, [t.shape.reduce<number>((a, b) => a * (b as number), 1)]);
const flatGradient = (grads: Tensor[]): Tensor => concat(grads.map(flatten), 0);
const lossVectorOf = (losses: Tensor[]): Tensor => concat(losses.map((l) => reshape(l, [1])), 0);

/**
 * Clipping and the optimizer update of `flat` by `gradient`: declares the state and scalar inputs
 * (returned as `late`, known only once the coefficients are) and returns the step's outputs.
 */
function update(g: Graph, spec: StepGraphSpec, layout: ParamLayout, flat: Tensor, gradient: Tensor): { outputs: Record<string, Tensor>; late: Tensor[] } {
  let flatGrad = gradient;
  const norm = sqrt(sumAll(mul(flatGrad, flatGrad)));
  if (spec.clipNorm !== undefined) {
    flatGrad = mul(flatGrad, where(greater(norm, spec.clipNorm), div(spec.clipNorm, add(norm, 1e-12)), 1));
  }
  const scalars = Object.fromEntries(spec.optimizer.scalarNames.map((n) => [n, g.input(n, 'float32', [])]));
  const state = Object.fromEntries(spec.optimizer.slots.map((s) => [s, g.input(slotName(s), 'float32', [layout.total])]));
  const next = spec.optimizer.update(flat, flatGrad, state, scalars);
  const outputs: Record<string, Tensor> = { [newName(FLAT_PARAMS)]: next.param, [GRAD_NORM]: norm };
  for (const s of spec.optimizer.slots) outputs[newName(slotName(s))] = next.state[s]!;
  return { outputs, late: [...Object.values(scalars), ...Object.values(state)] };
}

const addOutputs = (g: Graph, outputs: Record<string, Tensor>): void => Object.entries(outputs).forEach(([name, t]) => g.output(name, t));

export function buildStepGraph(spec: StepGraphSpec): StepGraph {
  if (spec.gramOn) return buildGramStepGraphs(spec, spec.gramOn);
  const layout = paramLayout(spec.build);
  const g = new Graph();
  const ctx = new BuildContext(g, true, { kind: 'flat', layout });
  const losses = spec.build(ctx);
  const weights = g.input(LOSS_WEIGHTS, 'float32', [losses.length]);
  const lossVector = lossVectorOf(losses);
  const total = sumAll(mul(lossVector, weights));
  addOutputs(g, update(g, spec, layout, ctx.flat, flatGradient(grad(total, [...ctx.paramTensors.values()]))).outputs);
  g.output(LOSSES, lossVector);
  return { model: emitOnnx(g, 'train-step'), layout, noise: ctx.noiseInputs, slots: spec.optimizer.slots, taskCount: losses.length };
}

/** G = S Sᵀ of per-task rows S [T, n]. */
const gramOfRows = (rows: Tensor[]): Tensor => {
  const s = concat(rows.map((r) => unsqueeze(r, 0)), 0);
  return matmul(s, transpose(s, [1, 0]));
};

function buildGramStepGraphs(spec: StepGraphSpec, gramOn: GramOn): StepGraph {
  const layout = paramLayout(spec.build);
  const g = new Graph();
  const ctx = new BuildContext(g, true, { kind: 'flat', layout });
  const losses = spec.build(ctx);
  const T = losses.length;
  const masks = taskMasks(g, losses);
  const pieces = [...ctx.paramTensors.values()];
  const representation = gramOn === 'representation' ? sharedRepresentation(g, masks, ctx.flat) : [];
  const common = { layout, noise: ctx.noiseInputs, slots: spec.optimizer.slots, taskCount: T };
  if (representation.length > 0) return { ...representationSplit(spec, layout, g, ctx.flat, losses, pieces, representation), ...common };

  const shared = pieces.filter((p) => servesSeveral(masks, p));
  // Tasks that share nothing have orthogonal gradients: G over all parameters is then diagonal.
  const gramOver = shared.length > 0 ? shared : pieces;
  const index = new Map(pieces.map((p, i) => [p.id, i]));
  const perTask = losses.map((l) => grad(l, pieces));
  g.output(LOSSES, lossVectorOf(losses));
  g.output(GRAM, gramOfRows(perTask.map((gr) => flatGradient(gramOver.map((p) => gr[index.get(p.id)!]!)))));
  g.output(TASK_GRADS, concat(perTask.map((gr) => unsqueeze(flatGradient(gr), 0)), 0));

  const b = new Graph();
  const stacked = b.input(TASK_GRADS, 'float32', [T, layout.total]);
  const coefficients = b.input(LOSS_WEIGHTS, 'float32', [T]);
  const flat = b.input(FLAT_PARAMS, 'float32', [layout.total]);
  addOutputs(b, update(b, spec, layout, flat, reshape(matmul(reshape(coefficients, [1, T]), stacked), [layout.total])).outputs);
  return { model: emitOnnx(g, 'train-gradients'), update: emitOnnx(b, 'train-update'), ...common };
}

/**
 * G at the shared representation needs only each task's backward down to it (its own part), so
 * the shared part is differentiated once: the graph of the whole step, with G from the per-task
 * gradients at the representation and the update from the gradient of Σ c_t l_t, is cut where
 * the coefficients enter (split-step.ts). A runs the forward and the task parts' backward passes;
 * B continues from A's activations with one backward pass and the optimizer.
 */
function representationSplit(spec: StepGraphSpec, layout: ParamLayout, g: Graph, flat: Tensor, losses: Tensor[], pieces: Tensor[], at: Tensor[]): { model: EmittedModel; update: EmittedModel } {
  const T = losses.length;
  const perTask = losses.map((l) => grad(l, at));
  const entries: Tensor[] = [];
  for (let t = 0; t < T; t++) {
    for (let s = 0; s < T; s++) entries.push(reshape(perTask[t]!.map((x, k) => sumAll(mul(x, perTask[s]![k]!))).reduce((a, b) => add(a, b)), [1]));
  }
  const lossVector = lossVectorOf(losses);
  const coefficients = g.input(LOSS_WEIGHTS, 'float32', [T]);
  const step = update(g, spec, layout, flat, flatGradient(grad(sumAll(mul(lossVector, coefficients)), pieces)));
  const { a, b } = splitAt(g, [coefficients, ...step.late], { [LOSSES]: lossVector, [GRAM]: reshape(concat(entries, 0), [T, T]) }, step.outputs);
  return { model: emitOnnx(a, 'train-gradients'), update: emitOnnx(b, 'train-update') };
}
