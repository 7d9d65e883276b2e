/**
 * Out-of-fold predictions for honest fusion: with k-fold bagging each member is fitted k times,
 * each time without one fold, and predicts that fold; gathered, every row is predicted by a model
 * that never saw it (the stacking setup of Wolpert 1992 and AutoGluon's bagging).
 */
import type { Fold } from '../data/split.js';
import type { TaskLabels } from '../data/schema.js';
import { OptionError } from '../errors.js';

export interface OutOfFold {
  /** The rows predicted, ascending: the union of the folds' validation rows. */
  rows: Int32Array;
  /** Per task, [rows × width], row r of `rows` at position r. */
  probs: Float32Array[];
}

/**
 * `predictions[f][t]`: the model fitted without fold f, on `folds[f].valid` in that order, task t,
 * [valid rows × widths[t]]. Each row must be in exactly one fold's validation rows.
 */
export function outOfFold(folds: readonly Fold[], predictions: readonly Float32Array[][], widths: readonly number[]): OutOfFold {
  if (predictions.length !== folds.length) {
    throw new OptionError('oof-shape', `${predictions.length} folds of predictions for ${folds.length} folds`, { folds: folds.length, predictions: predictions.length });
  }
  const rows = Int32Array.from(folds.flatMap((f) => [...f.valid])).sort();
  for (let i = 1; i < rows.length; i++) {
    if (rows[i] === rows[i - 1]) throw new OptionError('oof-overlap', `row ${rows[i]} is in the validation rows of two folds; folds must not overlap`, { row: rows[i] });
  }
  const position = new Map<number, number>();
  rows.forEach((r, i) => position.set(r, i));
  const probs = widths.map((w) => new Float32Array(rows.length * w));
  folds.forEach((fold, f) =>
    widths.forEach((w, t) => {
      const p = predictions[f]![t];
      if (p?.length !== fold.valid.length * w) {
        throw new OptionError('oof-shape', `fold ${f} has ${p?.length ?? 0} predictions for task ${t}; expected ${fold.valid.length} rows × ${w}`, { fold: f, task: t });
      }
      fold.valid.forEach((r, i) => probs[t]!.set(p.subarray(i * w, (i + 1) * w), position.get(r)! * w));
    }),
  );
  return { rows, probs };
}

/** The labels of `rows` (indices into `labels`' rows), in that order. */
export function labelsAt(labels: TaskLabels, rows: Int32Array): TaskLabels {
  if (labels.type !== 'multilabel') return { ...labels, classIndex: Int32Array.from(rows, (r) => labels.classIndex[r]!) };
  const k = labels.targets.length / labels.mask.length;
  const targets = new Float32Array(rows.length * k);
  rows.forEach((r, i) => targets.set(labels.targets.subarray(r * k, (r + 1) * k), i * k));
  return { ...labels, targets, mask: Uint8Array.from(rows, (r) => labels.mask[r]!) };
}
