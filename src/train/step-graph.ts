/**
 * One training step as one ONNX graph: forward, per-task losses, their weighted sum, backward,
 * gradient clipping and the optimizer update. Inputs: the batch, parameters, optimizer state,
 * per-step scalars and the task loss weights; outputs: updated parameters and state, and the
 * unweighted per-task losses.
 */
import {
  concat, emitOnnx, grad, Graph, greater, mul, reshape, sqrt, sumAll, where, add, div,
  type EmittedModel, type Tensor,
} from '../graph/index.js';
import { BuildContext, type NoiseInput, type ParamDef } from '../nn/context.js';
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
  params: ParamDef[];
  noise: NoiseInput[];
  slots: readonly string[];
  scalarNames: readonly string[];
  taskCount: number;
}

export const LOSS_WEIGHTS = 'lossWeights';
export const LOSSES = 'losses';
export const GRAD_NORM = 'gradNorm';
export const newName = (name: string): string => `${name}:new`;
export const slotName = (param: string, slot: string): string => `${param}:${slot}`;

function globalNorm(grads: Tensor[]): Tensor {
  return sqrt(grads.map((g) => sumAll(mul(g, g))).reduce((a, b) => add(a, b)));
}

export function buildStepGraph(spec: StepGraphSpec): StepGraph {
  const g = new Graph();
  const ctx = new BuildContext(g, true);
  const losses = spec.build(ctx);
  const taskCount = losses.length;
  const weights = g.input(LOSS_WEIGHTS, 'float32', [taskCount]);
  const lossVector = concat(losses.map((l) => reshape(l, [1])), 0);
  const total = sumAll(mul(lossVector, weights));

  const params = [...ctx.paramTensors.values()];
  let grads = grad(total, params);
  const norm = globalNorm(grads);
  if (spec.clipNorm !== undefined) {
    const scale = where(greater(norm, spec.clipNorm), div(spec.clipNorm, norm), 1);
    grads = grads.map((gr) => mul(gr, scale));
  }

  const scalars = Object.fromEntries(spec.optimizer.scalarNames.map((n) => [n, g.input(n, 'float32', [])]));
  ctx.params.forEach((def, i) => {
    const p = params[i]!;
    const state = Object.fromEntries(spec.optimizer.slots.map((s) => [s, g.input(slotName(def.name, s), 'float32', def.shape)]));
    const next = spec.optimizer.update(p, grads[i]!, state, scalars);
    g.output(newName(def.name), next.param);
    for (const s of spec.optimizer.slots) g.output(newName(slotName(def.name, s)), next.state[s]!);
  });
  g.output(LOSSES, lossVector);
  g.output(GRAD_NORM, norm);

  return {
    model: emitOnnx(g, 'train-step'),
    params: ctx.params,
    noise: ctx.noiseInputs,
    slots: spec.optimizer.slots,
    scalarNames: spec.optimizer.scalarNames,
    taskCount,
  };
}
