/**
 * Cross-validated fusion predictions: the folds split a task's labelled rows (stratified), none of
 * its unlabelled ones; each row's prediction is the fusion fitted without its fold, applied to it.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { crossValidated, inputAt, taskFolds } from '../../src/fusion/cross-validate.js';
import { getFusionMethod, parseFusionOptions, type TaskInput } from '../../src/fusion/index.js';
import { applyTask, fitTask } from '../../src/fusion/task-fusion.js';
import { TrainingError } from '../../src/errors.js';
import { problem, TASKS } from './helpers.js';

const data = problem(300, 7);
const input = (t: number, rows = data.rows): TaskInput => ({ task: TASKS[t]!, labels: data.labels[t]!, members: data.members.map((m) => m[t]!), rows, width: TASKS[t]!.classes.length });
const options = parseFusionOptions({ fittedOn: 'out-of-fold' });

test('the folds cover each labelled row once, no unlabelled row, and hold each class in about equal shares', () => {
  const kind = input(0);
  const folds = taskFolds(kind, 5, 0);
  const l = data.labels[0]!;
  if (l.type === 'multilabel') throw new Error('kind is multiclass');
  const seen = folds.flatMap((f) => [...f.valid]).sort((a, b) => a - b);
  assert.deepEqual(seen, [...Array(data.rows).keys()].filter((i) => l.classIndex[i]! >= 0));
  for (const f of folds) {
    assert.equal(f.train.length + f.valid.length, seen.length);
    assert.ok(f.train.every((r) => !f.valid.includes(r)));
  }
  for (let c = 0; c < 3; c++) {
    const counts = folds.map((f) => [...f.valid].filter((r) => l.classIndex[r] === c).length);
    assert.ok(Math.max(...counts) - Math.min(...counts) <= 1, `class ${c} per fold: ${counts}`);
  }
});

test('each row is predicted by the fusion fitted on the other folds', () => {
  for (const t of [0, 2]) {
    const whole = input(t);
    const folds = taskFolds(whole, 4, 1);
    const method = getFusionMethod('stack');
    const [cv] = crossValidated(whole, folds, (part) => [fitTask(method, part, options)]);
    const fold = folds[2]!;
    const f = fitTask(method, inputAt(whole, fold.train), options);
    const held = inputAt(whole, fold.valid);
    const expected = applyTask(f, held.members, held.rows, undefined);
    const k = whole.width;
    fold.valid.forEach((r, i) => assert.deepEqual(cv!.subarray(r * k, (r + 1) * k), expected.subarray(i * k, (i + 1) * k), `${TASKS[t]!.name} row ${r}`));
  }
});

test('fewer labelled rows than folds: a TrainingError naming the task and the count', () => {
  const few = inputAt(input(1), Int32Array.from([0, 1, 2]));
  assert.throws(() => taskFolds(few, 5, 0), (e: unknown) => e instanceof TrainingError && e.code === 'fusion-few-rows' && /'flag'/.test(e.message) && /only 3 of the 3/.test(e.message));
});
