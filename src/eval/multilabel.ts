/**
 * Metrics of multi-label predictions: K sigmoid probabilities per row, 0/1 targets, and a row mask
 * (1 = labels known). A label is predicted when its probability is strictly above the threshold
 * (0.5 by default), as sklearn's `predict` of a logistic model. Conventions follow sklearn: macro
 * averages run over all K labels and a 0/0 F1 counts as 0 (zero_division=0).
 */
import { binaryAuc } from './auc.js';
import { labelCount } from './check.js';

export const DEFAULT_THRESHOLD = 0.5;

export interface MultilabelEvaluation {
  /** Share of wrong (row, label) decisions over used rows. */
  hammingLoss: number;
  /** Share of used rows with every label right (exact match). */
  subsetAccuracy: number;
  /** F1 of the pooled true/false positives and negatives of all labels. */
  microF1: number;
  /** Unweighted mean of per-label F1 over all K labels. */
  macroF1: number;
  /** Mean ROC AUC over the labels where it is defined (both 0 and 1 present); null if none is. */
  auc: number | null;
  /** Per-label AUC, null where undefined. */
  labelAuc: (number | null)[];
  /** Rows used (mask = 1). */
  count: number;
}

/** Per-label counts of true positives, false positives and false negatives, plus row tallies. */
interface Counts {
  tp: number[];
  fp: number[];
  fn: number[];
  rows: number;
  exactRows: number;
  wrong: number;
}

function count(probs: Float32Array, targets: Float32Array, mask: Uint8Array, threshold: number): Counts {
  const k = labelCount(probs, targets, mask);
  const counts: Counts = { tp: zeros(k), fp: zeros(k), fn: zeros(k), rows: 0, exactRows: 0, wrong: 0 };
  for (let i = 0; i < mask.length; i++) {
    if (mask[i] !== 1) continue;
    let rowWrong = 0;
    for (let j = 0; j < k; j++) {
      const predicted = probs[i * k + j]! > threshold;
      const actual = targets[i * k + j] === 1;
      if (predicted && actual) counts.tp[j]! += 1;
      else if (predicted) counts.fp[j]! += 1;
      else if (actual) counts.fn[j]! += 1;
      if (predicted !== actual) rowWrong += 1;
    }
    counts.rows += 1;
    counts.wrong += rowWrong;
    if (rowWrong === 0) counts.exactRows += 1;
  }
  return counts;
}

export function hammingLoss(probs: Float32Array, targets: Float32Array, mask: Uint8Array, threshold = DEFAULT_THRESHOLD): number {
  const c = count(probs, targets, mask, threshold);
  return c.rows === 0 ? NaN : c.wrong / (c.rows * c.tp.length);
}

export function subsetAccuracy(probs: Float32Array, targets: Float32Array, mask: Uint8Array, threshold = DEFAULT_THRESHOLD): number {
  const c = count(probs, targets, mask, threshold);
  return c.rows === 0 ? NaN : c.exactRows / c.rows;
}

export function microF1(probs: Float32Array, targets: Float32Array, mask: Uint8Array, threshold = DEFAULT_THRESHOLD): number {
  return microF1FromCounts(count(probs, targets, mask, threshold));
}

export function multilabelMacroF1(
  probs: Float32Array,
  targets: Float32Array,
  mask: Uint8Array,
  threshold = DEFAULT_THRESHOLD,
): number {
  return macroF1FromCounts(count(probs, targets, mask, threshold));
}

/** AUC of each label over the used rows; null where a label has only one class among them. */
export function labelAucs(probs: Float32Array, targets: Float32Array, mask: Uint8Array): (number | null)[] {
  const k = labelCount(probs, targets, mask);
  const rows: number[] = [];
  for (let i = 0; i < mask.length; i++) if (mask[i] === 1) rows.push(i);
  return Array.from({ length: k }, (_, j) =>
    binaryAuc(
      Float64Array.from(rows, (i) => probs[i * k + j]!),
      Uint8Array.from(rows, (i) => targets[i * k + j]!),
    ),
  );
}

/** Every multi-label metric at once. */
export function evaluateMultilabel(
  probs: Float32Array,
  targets: Float32Array,
  mask: Uint8Array,
  threshold = DEFAULT_THRESHOLD,
): MultilabelEvaluation {
  const c = count(probs, targets, mask, threshold);
  const labelAuc = labelAucs(probs, targets, mask);
  const defined = labelAuc.filter((a): a is number => a !== null);
  return {
    hammingLoss: c.rows === 0 ? NaN : c.wrong / (c.rows * c.tp.length),
    subsetAccuracy: c.rows === 0 ? NaN : c.exactRows / c.rows,
    microF1: microF1FromCounts(c),
    macroF1: macroF1FromCounts(c),
    auc: defined.length === 0 ? null : defined.reduce((a, b) => a + b, 0) / defined.length,
    labelAuc,
    count: c.rows,
  };
}

function microF1FromCounts(c: Counts): number {
  if (c.rows === 0) return NaN;
  return f1(sumOf(c.tp), sumOf(c.fp), sumOf(c.fn));
}

function macroF1FromCounts(c: Counts): number {
  if (c.rows === 0) return NaN;
  return sumOf(c.tp.map((tp, j) => f1(tp, c.fp[j]!, c.fn[j]!))) / c.tp.length;
}

function f1(tp: number, fp: number, fn: number): number {
  const denominator = 2 * tp + fp + fn;
  return denominator === 0 ? 0 : (2 * tp) / denominator;
}

function zeros(k: number): number[] {
  return new Array<number>(k).fill(0);
}

function sumOf(values: number[]): number {
  return values.reduce((a, b) => a + b, 0);
}
