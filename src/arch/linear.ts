/**
 * Linear: a logistic regression per task on the encoded features — multinomial (softmax) for
 * single-label tasks, one logistic per label for multi-label ones, as the trainer's losses make it.
 * Categorical fields are one-hot in effect: each task looks up one weight row per category from its
 * own table (the same values as a one-hot block times a weight matrix, without the wide block).
 * An image input goes through its own image trunk per task, whose vector the task weighs linearly
 * (those weights alone start random, so the trunk learns).
 * Hidden widths, towers, dropout, layer norm and experts do not apply and are ignored. Weights start
 * at zero: the loss is convex, so the start changes only the path, not the optimum.
 */
import { add, gather, matmul, reduceSum, type Tensor } from '../graph/index.js';
import type { BuildContext } from '../nn/context.js';
import type { ArchInput, ArchOptions, Architecture, TaskHead } from './architecture.js';
import { taskPrefix } from './blocks.js';
import { fieldOffsets, imageParts } from './input-layer.js';

const ZERO = { kind: 'constant', value: 0 } as const;

function linearLogits(ctx: BuildContext, input: ArchInput, task: TaskHead, o: ArchOptions): Tensor {
  const name = `${taskPrefix(task)}.linear`;
  let logits = ctx.param(`${name}.b`, [task.outputs], ZERO);
  const width = (input.numeric?.shape[1] as number | undefined) ?? 0;
  if (input.numeric && width > 0) {
    logits = add(matmul(input.numeric, ctx.param(`${name}.w`, [width, task.outputs], ZERO)), logits);
  }
  if (input.categorical && input.fields.length > 0) {
    const offsets = fieldOffsets(input.fields);
    const rows = input.fields.reduce((s, f) => s + f.cardinality, 0);
    const table = ctx.param(`${name}.categories`, [rows, task.outputs], ZERO);
    const shifted = add(input.categorical, ctx.graph.constant(offsets, 'int64', [offsets.length]));
    logits = add(reduceSum(gather(table, shifted), [1]), logits);
  }
  for (const [i, features] of imageParts(ctx, name, input, o).entries()) {
    // Not zero: a zero weight would pass the trunk no gradient, and the trunk makes the loss non-convex anyway.
    logits = add(matmul(features, ctx.param(`${name}.image${i}.w`, [features.shape[1] as number, task.outputs], { kind: 'glorot-uniform' })), logits);
  }
  return logits;
}

export const linear: Architecture = {
  name: 'linear',
  description: 'a logistic regression per task on the encoded features (categories one-hot): the linear baseline',
  build(ctx, input, tasks, o) {
    return tasks.map((task) => linearLogits(ctx, input, task, o));
  },
};
