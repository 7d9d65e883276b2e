import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { TaskLabels } from '../../src/data/schema.js';
import { kFolds } from '../../src/data/split.js';
import { OptionError } from '../../src/errors.js';
import { labelsAt, outOfFold } from '../../src/fusion/index.js';

const rows = Int32Array.from({ length: 40 }, (_, i) => 2 * i + 1);
const labels: TaskLabels[] = [{ task: 'y', type: 'binary', classIndex: Int32Array.from({ length: 81 }, (_, i) => i % 3 === 0 ? 1 : 0) }];
const folds = kFolds(rows, 4, 7, labels);

/** A fold's "model" predicts, for each row, [row, fold] (task 0) and [row] (task 1), so placement is checkable. */
const predictions = folds.map((fold, f) => [Float32Array.from([...fold.valid].flatMap((r) => [r, f])), Float32Array.from(fold.valid)]);

test('out-of-fold predictions put every row’s prediction, from the fold that held it out, at its place', () => {
  const oof = outOfFold(folds, predictions, [2, 1]);
  assert.deepEqual([...oof.rows], [...rows]);
  rows.forEach((r, i) => {
    const f = folds.findIndex((fold) => fold.valid.includes(r));
    assert.deepEqual([...oof.probs[0]!.subarray(2 * i, 2 * i + 2)], [r, f]);
    assert.ok(!folds[f]!.train.includes(r), `row ${r} was in the training rows of the fold that predicted it`);
    assert.equal(oof.probs[1]![i], r);
  });
});

test('overlapping folds and predictions of the wrong size are refused', () => {
  const overlapping = [folds[0]!, { ...folds[1]!, valid: Int32Array.from([...folds[1]!.valid, folds[0]!.valid[0]!]).sort() }];
  assert.throws(() => outOfFold(overlapping, predictions.slice(0, 2), [2, 1]), (e: unknown) => e instanceof OptionError && e.code === 'oof-overlap');
  assert.throws(() => outOfFold(folds, predictions.slice(1), [2, 1]), (e: unknown) => e instanceof OptionError && e.code === 'oof-shape');
  assert.throws(() => outOfFold(folds, predictions, [2, 2]), (e: unknown) => e instanceof OptionError && e.code === 'oof-shape' && /task 1/.test(e.message));
});

test('labelsAt takes the labels of the given rows, in their order, for single- and multi-label tasks', () => {
  const single = labelsAt(labels[0]!, Int32Array.from([3, 1, 4]));
  assert.ok(single.type === 'binary');
  assert.deepEqual([...single.classIndex], [1, 0, 0]);
  const multi = labelsAt({ task: 't', type: 'multilabel', targets: Float32Array.from([1, 0, 0, 1, 1, 1]), mask: Uint8Array.from([1, 0, 1]) }, Int32Array.from([2, 0]));
  assert.ok(multi.type === 'multilabel');
  assert.deepEqual([...multi.targets], [1, 1, 1, 0]);
  assert.deepEqual([...multi.mask], [1, 1]);
});
