/** The benchmark model: 64 → 256 → 128 ReLU trunk, four 4-class heads, summed cross-entropies. */
import type { Tensor } from '../../src/graph/index.js';
import type { BuildContext } from '../../src/nn/context.js';
import { dense } from '../../src/nn/layers.js';
import { softmaxCrossEntropy } from '../../src/nn/losses.js';
import { Random } from '../../src/util/random.js';
import { makeTensor, type RuntimeTensor } from '../../src/runtime/session.js';

export const INPUTS = 64;
export const HIDDEN = [256, 128];
export const TASKS = 4;
export const CLASSES = 4;

export function sharedBottom(ctx: BuildContext, x: Tensor): Tensor[] {
  let h = x;
  HIDDEN.forEach((units, i) => (h = dense(ctx, `trunk.${i}`, h, units, 'relu')));
  return Array.from({ length: TASKS }, (_, t) => dense(ctx, `head.${t}`, h, CLASSES));
}

export function trainingLosses(ctx: BuildContext): Tensor[] {
  const x = ctx.graph.input('x', 'float32', ['batch', INPUTS]);
  const logits = sharedBottom(ctx, x);
  return logits.map((l, t) => softmaxCrossEntropy(l, ctx.graph.input(`y${t}`, 'int64', ['batch'])));
}

export interface SyntheticData {
  rows: number;
  x: Float32Array;
  y: BigInt64Array[];
}

export function syntheticData(rows: number, seed: number): SyntheticData {
  const r = new Random(seed);
  const x = Float32Array.from({ length: rows * INPUTS }, () => r.normal());
  const y = Array.from({ length: TASKS }, () => BigInt64Array.from({ length: rows }, () => BigInt(r.int(CLASSES))));
  return { rows, x, y };
}

/** Batches as contiguous slices (the data is already random, so no shuffling cost is measured twice). */
export function batchFeeds(d: SyntheticData, start: number, size: number): Record<string, RuntimeTensor> {
  const feeds: Record<string, RuntimeTensor> = { x: makeTensor('float32', d.x.subarray(start * INPUTS, (start + size) * INPUTS), [size, INPUTS]) };
  d.y.forEach((y, t) => (feeds[`y${t}`] = makeTensor('int64', y.subarray(start, start + size), [size])));
  return feeds;
}
