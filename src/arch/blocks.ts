/**
 * Blocks the architectures share: a fully connected layer that can hold a whole bank of experts
 * (weights [E, in, out], so E experts are one batched matmul), an MLP of such layers, softmax
 * gates, the gated mixture of experts, and a task's tower and head.
 */
import { add, matmul, mul, reduceSum, softmax, transpose, unsqueeze, type Tensor } from '../graph/index.js';
import type { BuildContext } from '../nn/context.js';
import { activate, dense, layerNorm } from '../nn/layers.js';
import type { ArchOptions, TaskHead } from './architecture.js';

export type LayerOptions = Pick<ArchOptions, 'dropout' | 'layerNorm' | 'activation'>;

/**
 * x·W + b, then layer norm (optional), activation and dropout. With `experts` = E the layer is a
 * bank: W [E, in, out], b [E, 1, out]; x [batch, in] (shared input) or [E, batch, in] → [E, batch, out].
 */
export function layer(ctx: BuildContext, name: string, x: Tensor, units: number, o: LayerOptions, experts?: number): Tensor {
  const inDim = x.shape[x.rank - 1] as number;
  const lead = experts === undefined ? [] : [experts];
  const init = o.activation === 'relu' || o.activation === 'gelu' ? { kind: 'he-uniform' as const } : { kind: 'glorot-uniform' as const };
  const w = ctx.param(`${name}.w`, [...lead, inDim, units], init);
  const b = ctx.param(`${name}.b`, experts === undefined ? [units] : [experts, 1, units], { kind: 'constant', value: 0 });
  let h = add(matmul(x, w), b);
  if (o.layerNorm) h = layerNorm(ctx, `${name}.norm`, h, experts);
  return ctx.dropout(activate(h, o.activation), o.dropout);
}

/** Layers `${name}.0`, `${name}.1`, … of the given widths. */
export function mlp(ctx: BuildContext, name: string, x: Tensor, widths: readonly number[], o: LayerOptions, experts?: number): Tensor {
  let h = x;
  widths.forEach((units, i) => (h = layer(ctx, `${name}.${i}`, h, units, o, experts)));
  return h;
}

/** A bank of `count` expert MLPs on one input [batch, in]: [count, batch, widths.at(-1)]. */
export function expertBank(ctx: BuildContext, name: string, x: Tensor, count: number, widths: readonly number[], o: LayerOptions): Tensor {
  return mlp(ctx, name, x, widths, o, count);
}

/** Softmax gate Linear(x → count): mixture weights [batch, count]. */
export function gate(ctx: BuildContext, name: string, x: Tensor, count: number): Tensor {
  return softmax(dense(ctx, name, x, count), -1);
}

/** Σ_e weights[b, e] · experts[e, b, :] → [batch, width]. */
export function mix(experts: Tensor, weights: Tensor): Tensor {
  return reduceSum(mul(experts, unsqueeze(transpose(weights, [1, 0]), 2)), [0]);
}

/** The task's tower (towerHidden) and its linear head: logits [batch, outputs]. */
export function towerAndHead(ctx: BuildContext, name: string, x: Tensor, task: TaskHead, o: ArchOptions): Tensor {
  return dense(ctx, `${name}.head`, mlp(ctx, `${name}.tower`, x, o.towerHidden, o), task.outputs);
}

/** The prefix of a task's own parameters. */
export const taskPrefix = (task: TaskHead): string => `task:${task.name}`;
