/**
 * Reliability of predicted probabilities: rows are put into equal-width confidence bins, and each
 * bin's mean confidence is set against how often the prediction was right there. The expected
 * calibration error (ECE) is the row-weighted mean gap (Guo et al., 2017).
 *
 * What "confidence" and "right" mean per kind of task (`calibrationPairs`):
 * - binary: the probability of class 1, and whether the row is class 1;
 * - multiclass: the top-class probability, and whether the top class is the true one;
 * - multi-label: every label's probability, and whether the label is on (pooled over labels).
 */
import type { TaskLabels } from '../data/schema.js';

export interface CalibrationBin {
  lower: number;
  upper: number;
  /** Rows in the bin; the two means are NaN when it is 0. */
  count: number;
  meanConfidence: number;
  observed: number;
}

export interface Calibration {
  bins: CalibrationBin[];
  /** Σ count/total · |observed − meanConfidence| over non-empty bins; NaN with no rows. */
  ece: number;
  rows: number;
}

/** Bins `confidence` (values in [0, 1]) against `correct` (1 = right, 0 = wrong); 1.0 falls in the last bin. */
export function calibrationBins(confidence: ArrayLike<number>, correct: ArrayLike<number>, bins = 10): Calibration {
  const count = new Array<number>(bins).fill(0);
  const sumConfidence = new Array<number>(bins).fill(0);
  const sumCorrect = new Array<number>(bins).fill(0);
  for (let i = 0; i < confidence.length; i++) {
    const p = confidence[i]!;
    const b = Math.min(bins - 1, Math.max(0, Math.floor(p * bins)));
    count[b]! += 1;
    sumConfidence[b]! += p;
    sumCorrect[b]! += correct[i]!;
  }
  const rows = confidence.length;
  let ece = 0;
  const out = count.map((k, b) => {
    const meanConfidence = sumConfidence[b]! / k;
    const observed = sumCorrect[b]! / k;
    if (k > 0) ece += (k / rows) * Math.abs(observed - meanConfidence);
    return { lower: b / bins, upper: (b + 1) / bins, count: k, meanConfidence, observed };
  });
  return { bins: out, ece: rows === 0 ? NaN : ece, rows };
}

/** The (confidence, correct) pairs of a task's labelled rows; `probs` is [rows × classes or labels]. */
export function calibrationPairs(labels: TaskLabels, probs: Float32Array): { confidence: Float64Array; correct: Uint8Array } {
  const confidence: number[] = [];
  const correct: number[] = [];
  if (labels.type === 'multilabel') {
    const k = labels.mask.length ? probs.length / labels.mask.length : 0;
    for (let i = 0; i < labels.mask.length; i++) {
      if (labels.mask[i] !== 1) continue;
      for (let j = 0; j < k; j++) {
        confidence.push(probs[i * k + j]!);
        correct.push(labels.targets[i * k + j] === 1 ? 1 : 0);
      }
    }
  } else {
    const y = labels.classIndex;
    const c = y.length ? probs.length / y.length : 0;
    for (let i = 0; i < y.length; i++) {
      if (y[i]! < 0) continue;
      if (labels.type === 'binary') {
        confidence.push(probs[i * c + 1]!);
        correct.push(y[i] === 1 ? 1 : 0);
        continue;
      }
      let top = 0;
      for (let j = 1; j < c; j++) if (probs[i * c + j]! > probs[i * c + top]!) top = j;
      confidence.push(probs[i * c + top]!);
      correct.push(top === y[i] ? 1 : 0);
    }
  }
  return { confidence: Float64Array.from(confidence), correct: Uint8Array.from(correct) };
}
