/**
 * The least data a run can learn from and be judged on.
 *
 * - A task needs two classes: with one there is nothing to learn, and no metric is defined.
 * - The training rows must hold at least MIN_TRAINING_ROWS labelled rows.
 * - Every class of every task needs a training row (else it is never learned) and, when the run
 *   validates, a validation row (else early stopping is blind to it, and a binary task's AUC, its
 *   main metric, cannot be computed). A stratified split gives a class a validation row for sure
 *   once it has 1 / validation share rows (10 at the default 0.1).
 *
 * Below the last two a run is refused unless forced (the caller decides; these functions only say
 * what is short). Test rows that miss a class or a task's labels cost only those test metrics, so
 * they are warnings.
 */
import { DataError } from '../errors.js';
import type { Schema, Task, TaskLabels } from './schema.js';
import type { Split } from './split.js';

export const MIN_TRAINING_ROWS = 20;

/** What a split lacks, or what held-out rows cannot measure; `message` names the task and class. */
export interface DataWarning {
  code: 'too-few-rows' | 'class-not-trained' | 'class-not-validated' | 'class-not-tested' | 'no-test-labels' | 'join-unmatched';
  message: string;
  task?: string;
}

/** Refuses a single-column task with one class: it cannot be trained or scored. */
export function checkTaskClasses(schema: Schema, source: string): void {
  for (const task of schema.tasks) {
    if (task.type === 'multilabel' || task.classes.length >= 2) continue;
    throw new DataError(
      'single-class',
      `task '${task.name}' has a single class ('${task.classes[0]}' in every labelled row): there is nothing to learn; ` +
        `drop it from --tasks, or give it rows of another class`,
      { file: source, column: task.columns[0]! },
      { task: task.name, classes: task.classes },
    );
  }
}

/**
 * Per class (multi-label: per label, positives), how many of `rows` have it, and how many rows are
 * labelled at all. `rows` null: every row.
 */
function classCounts(labels: TaskLabels, k: number, rows: Int32Array | null): { counts: Int32Array; labelled: number } {
  const counts = new Int32Array(k);
  let labelled = 0;
  const n = rows ? rows.length : labels.type === 'multilabel' ? labels.mask.length : labels.classIndex.length;
  for (let i = 0; i < n; i++) {
    const r = rows ? rows[i]! : i;
    if (labels.type !== 'multilabel') {
      const c = labels.classIndex[r]!;
      if (c >= 0) {
        counts[c]!++;
        labelled++;
      }
    } else if (labels.mask[r]) {
      labelled++;
      for (let j = 0; j < k; j++) counts[j]! += labels.targets[r * k + j]!;
    }
  }
  return { counts, labelled };
}

function labelledRows(labels: TaskLabels[], rows: Int32Array): number {
  let n = 0;
  for (const r of rows) {
    if (labels.some((l) => (l.type === 'multilabel' ? l.mask[r] === 1 : l.classIndex[r]! >= 0))) n++;
  }
  return n;
}

/** `class 'a' (3 labelled rows)` or `classes 'a' (..), 'b' (..)`, and the pronoun that goes with it. */
function classPhrase(named: string[]): { phrase: string; it: string } {
  return { phrase: `class${named.length > 1 ? 'es' : ''} ${named.join(', ')}`, it: named.length > 1 ? 'them' : 'it' };
}

/** Classes of `task` with rows in DATA but none among `rows`, as `'b' (3 rows)`. */
function missingClasses(task: Task, labels: TaskLabels, rows: Int32Array): string[] {
  if (task.type === 'multilabel') return [];
  const all = classCounts(labels, task.classes.length, null).counts;
  const part = classCounts(labels, task.classes.length, rows).counts;
  return task.classes.flatMap((name, c) => (all[c]! > 0 && part[c] === 0 ? [`'${name}' (${all[c]} labelled row${all[c] === 1 ? '' : 's'})`] : []));
}

/**
 * What `split` of DATA lacks for training (see the file comment). `validFraction` is the share the
 * split gave validation when it was drawn at random; absent, the split came from a split column.
 */
export function splitShortfalls(schema: Schema, labels: TaskLabels[], split: Split, validFraction?: number): DataWarning[] {
  const out: DataWarning[] = [];
  const trained = labelledRows(labels, split.train);
  if (trained < MIN_TRAINING_ROWS) {
    out.push({
      code: 'too-few-rows',
      message: `the training rows hold ${trained} labelled rows; training needs at least ${MIN_TRAINING_ROWS}`,
    });
  }
  let validates = validFraction !== undefined ? validFraction > 0 : split.valid.length > 0;
  if (validates && split.valid.length === 0) {
    const rows = split.train.length + split.test.length;
    out.push({
      code: 'too-few-rows',
      message: `the validation share (--valid-fraction ${validFraction} of ${rows} rows) holds no row, so nothing tells when to stop`,
    });
    validates = false;
  }
  const need = validFraction ? Math.ceil(1 / validFraction - 1e-9) : 0;
  schema.tasks.forEach((task, t) => {
    const l = labels[t]!;
    const k = task.classes.length;
    if (classCounts(l, k, split.train).labelled === 0) {
      out.push({ code: 'class-not-trained', task: task.name, message: `task '${task.name}' has no labelled training row` });
    } else {
      const lost = missingClasses(task, l, split.train);
      if (lost.length) {
        const { phrase, it } = classPhrase(lost);
        out.push({ code: 'class-not-trained', task: task.name, message: `task '${task.name}': no training row has ${phrase}, so the model never learns ${it}` });
      }
    }
    if (!validates) return;
    if (classCounts(l, k, split.valid).labelled === 0) {
      out.push({ code: 'class-not-validated', task: task.name, message: `task '${task.name}' has no labelled validation row` });
      return;
    }
    const unvalidated = missingClasses(task, l, split.valid);
    if (unvalidated.length) {
      const { phrase, it } = classPhrase(unvalidated);
      const why = need ? `; a stratified split gives a class a validation row once it has ${need} rows (1 / --valid-fraction ${validFraction})` : '';
      out.push({
        code: 'class-not-validated',
        task: task.name,
        message: `task '${task.name}': no validation row has ${phrase}, so early stopping is blind to ${it}${why}`,
      });
    }
  });
  return out;
}

/** Warnings for held-out rows (`rows` of a table, or all of it) that cannot measure a task or a class. */
export function heldOutWarnings(schema: Schema, labels: TaskLabels[], rows: Int32Array | null, where: string): DataWarning[] {
  if (rows?.length === 0) return [{ code: 'no-test-labels', message: `no row in ${where}, so nothing is tested` }];
  const out: DataWarning[] = [];
  schema.tasks.forEach((task, t) => {
    const { counts, labelled } = classCounts(labels[t]!, task.classes.length, rows);
    if (labelled === 0) {
      out.push({ code: 'no-test-labels', task: task.name, message: `task '${task.name}': no labelled row in ${where}, so the task is not tested` });
      return;
    }
    if (task.type === 'multilabel') return;
    const absent = task.classes.flatMap((name, c) => (counts[c] === 0 ? [`'${name}'`] : []));
    if (absent.length) {
      const { phrase, it } = classPhrase(absent);
      out.push({
        code: 'class-not-tested',
        task: task.name,
        message: `task '${task.name}': no row of ${phrase} in ${where}, so the test metrics do not measure ${it}`,
      });
    }
  });
  return out;
}
