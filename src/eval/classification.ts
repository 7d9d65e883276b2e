/**
 * Accuracy, balanced accuracy and macro-F1 of single-label predictions (argmax of the
 * probabilities), each from the confusion matrix so `evaluateTask` counts once. Rows with label -1
 * are skipped; with no labelled row every score is NaN.
 */
import { confusionMatrix } from './confusion.js';

/** Share of labelled rows whose argmax is the true class. */
export function accuracy(probs: Float32Array, labels: Int32Array): number {
  return accuracyFromConfusion(confusionMatrix(probs, labels));
}

/**
 * Mean recall over the classes present in the labels (sklearn's balanced_accuracy_score, which
 * drops classes with no true rows).
 */
export function balancedAccuracy(probs: Float32Array, labels: Int32Array): number {
  return balancedAccuracyFromConfusion(confusionMatrix(probs, labels));
}

/**
 * Unweighted mean of per-class F1 over the classes that occur in the labels or the predictions
 * (sklearn's f1_score(average='macro') without `labels`). A class that is present but never
 * predicted correctly scores 0 (sklearn's zero_division=0).
 */
export function macroF1(probs: Float32Array, labels: Int32Array): number {
  return macroF1FromConfusion(confusionMatrix(probs, labels));
}

export function accuracyFromConfusion(confusion: number[][]): number {
  let right = 0;
  let total = 0;
  confusion.forEach((row, t) => {
    right += row[t]!;
    total += sum(row);
  });
  return total === 0 ? NaN : right / total;
}

export function balancedAccuracyFromConfusion(confusion: number[][]): number {
  let recalls = 0;
  let present = 0;
  confusion.forEach((row, t) => {
    const support = sum(row);
    if (support === 0) return;
    recalls += row[t]! / support;
    present += 1;
  });
  return present === 0 ? NaN : recalls / present;
}

export function macroF1FromConfusion(confusion: number[][]): number {
  let f1s = 0;
  let seen = 0;
  confusion.forEach((row, c) => {
    const tp = row[c]!;
    const fn = sum(row) - tp;
    const fp = confusion.reduce((acc, other) => acc + other[c]!, 0) - tp;
    if (tp + fn + fp === 0) return; // class neither true nor predicted: not counted
    f1s += (2 * tp) / (2 * tp + fp + fn);
    seen += 1;
  });
  return seen === 0 ? NaN : f1s / seen;
}

function sum(values: number[]): number {
  return values.reduce((a, b) => a + b, 0);
}
