/**
 * F1 of each label of a multi-label task on its own, with the same decision rule and conventions
 * as the averaged figures of multilabel.ts (probability strictly above the threshold; 0/0 = 0).
 */
import { DEFAULT_THRESHOLD } from './multilabel.js';

export interface LabelF1 {
  f1: number;
  /** Rows where the label is on, among the rows used. */
  support: number;
}

export function labelF1(probs: Float32Array, targets: Float32Array, mask: Uint8Array, threshold = DEFAULT_THRESHOLD): LabelF1[] {
  const k = mask.length ? probs.length / mask.length : 0;
  const tp = new Array<number>(k).fill(0);
  const fp = new Array<number>(k).fill(0);
  const fn = new Array<number>(k).fill(0);
  for (let i = 0; i < mask.length; i++) {
    if (mask[i] !== 1) continue;
    for (let j = 0; j < k; j++) {
      const predicted = probs[i * k + j]! > threshold;
      const actual = targets[i * k + j] === 1;
      if (predicted && actual) tp[j]! += 1;
      else if (predicted) fp[j]! += 1;
      else if (actual) fn[j]! += 1;
    }
  }
  return tp.map((t, j) => {
    const denominator = 2 * t + fp[j]! + fn[j]!;
    return { f1: denominator === 0 ? 0 : (2 * t) / denominator, support: t + fn[j]! };
  });
}
