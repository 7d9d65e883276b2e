/**
 * One training step as one ONNX graph: forward, per-task losses, their weighted sum, backward,
 * gradient clipping and the optimizer update. Parameters are one flat vector (see nn/context.ts).
 * Inputs: the batch, the parameters, optimizer state, per-step scalars and the task loss weights;
 * outputs: updated parameters and state, and the unweighted per-task losses.
 */
import {
  add, concat, div, emitOnnx, grad, Graph, greater, mul, reshape, sqrt, sumAll, where,
  type EmittedModel, type Tensor,
} from '../graph/index.js';
import { BuildContext, FLAT_PARAMS, ParamLayout, type NoiseInput } from '../nn/context.js';
import type { Optimizer } from './optimizers/index.js';

export interface StepGraphSpec {
  /** Builds the network in training mode and returns one scalar loss per task. */
  build(ctx: BuildContext): Tensor[];
  optimizer: Optimizer;
  /** Clip gradients to this global L2 norm (off when absent). */
  clipNorm?: number;
}

export interface StepGraph {
  model: EmittedModel;
  layout: ParamLayout;
  noise: NoiseInput[];
  slots: readonly string[];
  taskCount: number;
}

export const LOSS_WEIGHTS = 'lossWeights';
export const LOSSES = 'losses';
export const GRAD_NORM = 'gradNorm';
export const newName = (name: string): string => `${name}:new`;
export const slotName = (slot: string): string => `${FLAT_PARAMS}:${slot}`;

/** Parameter definitions of a network, from a build in 'inputs' mode. */
export function paramLayout(build: (ctx: BuildContext) => unknown, training = true): ParamLayout {
  const ctx = new BuildContext(new Graph(), training);
  build(ctx);
  return new ParamLayout(ctx.params);
}

export function buildStepGraph(spec: StepGraphSpec): StepGraph {
  const layout = paramLayout(spec.build);
  const g = new Graph();
  const ctx = new BuildContext(g, true, { kind: 'flat', layout });
  const losses = spec.build(ctx);
  const taskCount = losses.length;
  const weights = g.input(LOSS_WEIGHTS, 'float32', [taskCount]);
  const lossVector = concat(losses.map((l) => reshape(l, [1])), 0);
  const total = sumAll(mul(lossVector, weights));

  const pieces = [...ctx.paramTensors.values()];
  let flatGrad = concat(grad(total, pieces).map((gr) => reshape(gr, [gr.shape.reduce((a, b) => (a as number) * (b as number), 1) as number])), 0);
  const norm = sqrt(sumAll(mul(flatGrad, flatGrad)));
  if (spec.clipNorm !== undefined) {
    flatGrad = mul(flatGrad, where(greater(norm, spec.clipNorm), div(spec.clipNorm, add(norm, 1e-12)), 1));
  }

  const scalars = Object.fromEntries(spec.optimizer.scalarNames.map((n) => [n, g.input(n, 'float32', [])]));
  const state = Object.fromEntries(spec.optimizer.slots.map((s) => [s, g.input(slotName(s), 'float32', [layout.total])]));
  const next = spec.optimizer.update(ctx.flat, flatGrad, state, scalars);
  g.output(newName(FLAT_PARAMS), next.param);
  for (const s of spec.optimizer.slots) g.output(newName(slotName(s)), next.state[s]!);
  g.output(LOSSES, lossVector);
  g.output(GRAD_NORM, norm);

  return { model: emitOnnx(g, 'train-step'), layout, noise: ctx.noiseInputs, slots: spec.optimizer.slots, taskCount };
}
