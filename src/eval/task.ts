/**
 * Evaluation of one task: every single-label metric at once, and a dispatcher from the data
 * contract's `TaskLabels` to the single-label or multi-label metrics.
 */
import type { TaskLabels } from '../data/schema.js';
import { accuracyFromConfusion, balancedAccuracyFromConfusion, macroF1FromConfusion } from './classification.js';
import { confusionMatrix } from './confusion.js';
import { logLoss } from './log-loss.js';
import { rocAuc } from './auc.js';
import { DEFAULT_THRESHOLD, evaluateMultilabel, type MultilabelEvaluation } from './multilabel.js';

export interface SingleLabelEvaluation {
  accuracy: number;
  balancedAccuracy: number;
  macroF1: number;
  logLoss: number;
  /** Binary AUC, or macro one-vs-rest AUC for multiclass; null when undefined (one class present). */
  auc: number | null;
  /** `confusion[true][predicted]`, C×C. */
  confusion: number[][];
  /** Labelled rows (label ≠ -1) the metrics were computed on; with 0 every score is NaN. */
  count: number;
}

export type TaskEvaluation =
  | { task: string; type: 'binary' | 'multiclass'; metrics: SingleLabelEvaluation }
  | { task: string; type: 'multilabel'; metrics: MultilabelEvaluation };

/**
 * Single-label metrics of `probs` ([n × C] row-major probabilities) against `labels` (n class
 * indices, -1 = missing and skipped). Predictions are the argmax of each row.
 */
export function evaluateTask(probs: Float32Array, labels: Int32Array): SingleLabelEvaluation {
  const confusion = confusionMatrix(probs, labels);
  return {
    accuracy: accuracyFromConfusion(confusion),
    balancedAccuracy: balancedAccuracyFromConfusion(confusion),
    macroF1: macroF1FromConfusion(confusion),
    logLoss: logLoss(probs, labels),
    auc: rocAuc(probs, labels),
    confusion,
    count: confusion.reduce((acc, row) => acc + row.reduce((a, b) => a + b, 0), 0),
  };
}

/**
 * Evaluates one task's probabilities against its labels, whichever kind of task it is.
 * `threshold` applies to multi-label tasks only.
 */
export function evaluateLabels(labels: TaskLabels, probs: Float32Array, threshold = DEFAULT_THRESHOLD): TaskEvaluation {
  if (labels.type === 'multilabel') {
    return {
      task: labels.task,
      type: 'multilabel',
      metrics: evaluateMultilabel(probs, labels.targets, labels.mask, threshold),
    };
  }
  return { task: labels.task, type: labels.type, metrics: evaluateTask(probs, labels.classIndex) };
}
