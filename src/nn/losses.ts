/**
 * Per-task losses. Labels are int64 class indices with -1 for a missing label: such a row adds
 * nothing to its task's loss (the per-row mask is derived from the label itself).
 */
import {
  abs, add, cast, clip, div, equal, exp, log, logSoftmax, mul, neg, reduceSum, relu, sub, sumAll, unsqueeze,
  type Tensor,
} from '../graph/index.js';

export interface CrossEntropyOptions {
  /** One weight per class (e.g. 'balanced' weights); rows are weighted by their class. */
  classWeights?: number[];
  /** ε in (1-ε)·onehot + ε/C. */
  labelSmoothing?: number;
}

/**
 * Mean softmax cross-entropy over labelled rows (weighted mean with class weights, as PyTorch's
 * CrossEntropyLoss). logits [B, C], labels int64 [B]. A batch with no labelled row gives 0.
 * The one-hot of a missing label (-1) is all zeros, so it masks its row by itself; with class
 * weights the one-hot is scaled by its class's weight, and every sum below is then weighted.
 */
export function softmaxCrossEntropy(logits: Tensor, labels: Tensor, options: CrossEntropyOptions = {}): Tensor {
  const g = logits.graph;
  const classes = logits.shape[1] as number;
  const arange = g.constant(Array.from({ length: classes }, (_, i) => i), 'int64', [classes]);
  const onehot = cast(equal(unsqueeze(labels, 1), arange), logits.dtype);
  const weighted = options.classWeights ? mul(onehot, g.constant(options.classWeights, logits.dtype, [classes])) : onehot;
  const eps = options.labelSmoothing ?? 0;
  const target = eps > 0 ? add(mul(weighted, 1 - eps), mul(reduceSum(weighted, [1], true), eps / classes)) : weighted;
  const total = sumAll(mul(target, logSoftmax(logits, 1)));
  return div(neg(total), clip(sumAll(weighted), 1e-12, Infinity));
}

/**
 * Mean binary cross-entropy with logits over the labels of rows whose mask is 1, written in the
 * stable form max(z,0) − z·y + log(1 + e^−|z|). logits and targets [B, K], mask [B].
 */
export function binaryCrossEntropy(logits: Tensor, targets: Tensor, mask: Tensor): Tensor {
  const perLabel = add(sub(relu(logits), mul(logits, targets)), log(add(1, exp(neg(abs(logits))))));
  const m = unsqueeze(mask, 1);
  const count = mul(sumAll(mask), logits.shape[1] as number);
  return div(sumAll(mul(perLabel, m)), clip(count, 1e-12, Infinity));
}
