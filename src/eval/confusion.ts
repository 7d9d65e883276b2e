/**
 * Predicted classes (argmax) and the confusion matrix of single-label probabilities.
 */
import { classCount } from './check.js';

/** Argmax of each row of `probs` ([n × C]); ties go to the lowest class index, like numpy.argmax. */
export function predictClasses(probs: Float32Array, numClasses: number): Int32Array {
  const n = probs.length / numClasses;
  const out = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    let best = 0;
    let bestP = probs[i * numClasses]!;
    for (let c = 1; c < numClasses; c++) {
      const p = probs[i * numClasses + c]!;
      if (p > bestP) {
        best = c;
        bestP = p;
      }
    }
    out[i] = best;
  }
  return out;
}

/**
 * C×C counts: `confusion[t][p]` = rows whose true class is t and predicted class (argmax) is p,
 * as sklearn's confusion_matrix(y_true, y_pred, labels=range(C)). Rows with label -1 are skipped.
 */
export function confusionMatrix(probs: Float32Array, labels: Int32Array): number[][] {
  const c = classCount(probs, labels);
  const predicted = predictClasses(probs, c);
  const matrix = Array.from({ length: c }, () => new Array<number>(c).fill(0));
  for (let i = 0; i < labels.length; i++) {
    const y = labels[i]!;
    if (y !== -1) matrix[y]![predicted[i]!]! += 1;
  }
  return matrix;
}
