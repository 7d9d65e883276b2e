/**
 * Cross-validated predictions of a fusion on its own rows: the rows cut into k folds stratified by
 * the task's labels, the fusion fitted on k − 1 of them and applied to the one left out, gathered
 * over the folds. A fitted method (select's weights, stack's meta-learner, the decision rule) is
 * then scored on rows it was not fitted on, as mean always is, so methods compare fairly (the
 * nested cross-validation of Varma & Simon, "Bias in error estimation when using cross-validation
 * for model selection", 2006: the inner fit never sees the rows it is scored on).
 */
import { kFolds } from '../data/split.js';
import { TrainingError } from '../errors.js';
import type { Passthrough, TaskInput } from './fusion.js';
import { labelsAt } from './out-of-fold.js';
import type { TaskFusion } from './spec.js';
import { applyTask } from './task-fusion.js';

function rowsOf(values: Float32Array, width: number, rows: Int32Array): Float32Array {
  const out = new Float32Array(rows.length * width);
  rows.forEach((r, i) => out.set(values.subarray(r * width, (r + 1) * width), i * width));
  return out;
}

function passthroughAt(p: Passthrough | undefined, rows: Int32Array): Passthrough | undefined {
  return p ? { values: rowsOf(p.values, p.width, rows), width: p.width } : undefined;
}

/** `input` restricted to `rows` (positions in its rows), in that order. */
export function inputAt(input: TaskInput, rows: Int32Array): TaskInput {
  const passthrough = passthroughAt(input.passthrough, rows);
  return {
    task: input.task,
    labels: labelsAt(input.labels, rows),
    members: input.members.map((p) => rowsOf(p, input.width, rows)),
    rows: rows.length,
    width: input.width,
    ...(passthrough ? { passthrough } : {}),
  };
}

/**
 * The folds of a task's labelled rows, stratified by its labels, that every candidate of one choice
 * is cross-validated on. Unlabelled rows are in none: no fit reads them and no score counts them.
 */
export function taskFolds(input: TaskInput, k: number, seed: number): { train: Int32Array; valid: Int32Array }[] {
  const l = input.labels;
  const labelled = Int32Array.from({ length: input.rows }, (_, i) => i).filter((i) => (l.type === 'multilabel' ? l.mask[i] === 1 : l.classIndex[i]! >= 0));
  if (labelled.length < k) {
    throw new TrainingError('fusion-few-rows', `fusion 'auto' cross-validates on ${k} folds of task '${input.task.name}', but only ${labelled.length} of the ${input.rows} fusion rows have its label; give more labelled rows, or use 'select' or 'mean'`, { task: input.task.name, rows: labelled.length, folds: k });
  }
  return kFolds(labelled, k, seed, [input.labels]);
}

/**
 * Per row, the predictions of the fusions `fit` returns when fitted on the other folds: one
 * [rows × width] array per fusion returned (variants of one fit, such as with and without a
 * decision rule, share it).
 */
export function crossValidated(input: TaskInput, folds: readonly { train: Int32Array; valid: Int32Array }[], fit: (part: TaskInput) => TaskFusion[]): Float32Array[] {
  let out: Float32Array[] = [];
  for (const fold of folds) {
    const fitted = fit(inputAt(input, fold.train));
    if (out.length === 0) out = fitted.map(() => new Float32Array(input.rows * input.width));
    const held = inputAt(input, fold.valid);
    fitted.forEach((f, v) => {
      const probs = applyTask(f, held.members, held.rows, held.passthrough);
      fold.valid.forEach((r, i) => out[v]!.set(probs.subarray(i * input.width, (i + 1) * input.width), r * input.width));
    });
  }
  return out;
}
