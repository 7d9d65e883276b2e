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

/** [inputs, outputs] of each dense layer: the trunk, then one per head. */
const DENSE: Array<[number, number]> = [
  ...HIDDEN.map((units, i): [number, number] => [i === 0 ? INPUTS : HIDDEN[i - 1]!, units]),
  ...Array.from({ length: TASKS }, (): [number, number] => [HIDDEN[HIDDEN.length - 1]!, CLASSES]),
];

/**
 * Floating-point operations of one sample's training step, counted from the layer sizes: 2 per
 * multiply-add of each dense layer's three matmuls (forward, weight gradient, input gradient), less
 * the first layer's input gradient, which nothing needs. So a little under 3 × the forward count.
 * Biases, ReLU, softmax, the loss and Adam are elementwise and left out (under 2% here).
 */
export const TRAINING_FLOPS_PER_SAMPLE = 2 * (3 * DENSE.reduce((s, [i, o]) => s + i * o, 0) - INPUTS * HIDDEN[0]!);

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
