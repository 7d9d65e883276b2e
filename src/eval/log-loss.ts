/**
 * Cross-entropy of single-label probabilities against the true classes.
 */
import { classCount } from './check.js';

/** Probabilities are clipped to [EPS, 1 − EPS] before the log, as sklearn's log_loss(eps=1e-15). */
export const LOG_LOSS_EPS = 1e-15;

/**
 * Mean of −log p(true class) over labelled rows (label -1 skipped); NaN with no labelled row.
 * Rows are not renormalised after clipping (sklearn ≤ 1.4 does; softmax outputs make this moot).
 */
export function logLoss(probs: Float32Array, labels: Int32Array): number {
  const c = classCount(probs, labels);
  let total = 0;
  let count = 0;
  for (let i = 0; i < labels.length; i++) {
    const y = labels[i]!;
    if (y === -1) continue;
    const p = Math.min(Math.max(probs[i * c + y]!, LOG_LOSS_EPS), 1 - LOG_LOSS_EPS);
    total -= Math.log(p);
    count += 1;
  }
  return count === 0 ? NaN : total / count;
}
