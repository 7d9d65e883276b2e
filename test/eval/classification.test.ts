import { test } from 'node:test';
import assert from 'node:assert/strict';
import { accuracy, balancedAccuracy, macroF1 } from '../../src/eval/classification.js';
import { confusionMatrix, predictClasses } from '../../src/eval/confusion.js';
import { logLoss } from '../../src/eval/log-loss.js';
import { evaluateLabels, evaluateTask } from '../../src/eval/task.js';
import { OptionError } from '../../src/errors.js';

const close = (actual: number | null, expected: number, tol = 1e-6): void => {
  assert.ok(actual !== null && Math.abs(actual - expected) <= tol, `expected ${expected}, got ${actual}`);
};

// Three classes; row 8 is missing (-1, and would be the only row predicting class 2), row 7 ties
// classes 0 and 1 (argmax takes 0), class 2 is never predicted (its F1 is 0/0 precision → 0).
const probsA = new Float32Array([
  0.7, 0.2, 0.1,
  0.2, 0.5, 0.3,
  0.6, 0.3, 0.1,
  0.1, 0.6, 0.3,
  0.3, 0.4, 0.3,
  0.5, 0.2, 0.3,
  0.2, 0.5, 0.3,
  0.4, 0.4, 0.2,
  0.3, 0.3, 0.4,
  0.1, 0.8, 0.1,
]);
const labelsA = new Int32Array([0, 1, 0, 2, 2, 1, 1, 0, -1, 1]);

test('argmax breaks ties towards the lowest class', () => {
  assert.deepEqual([...predictClasses(probsA, 3)], [0, 1, 0, 1, 1, 0, 1, 0, 2, 1]);
});

test('confusion matrix skips missing labels (rows true, columns predicted)', () => {
  // sklearn 1.2.1: confusion_matrix(y, pred, labels=[0,1,2]) on the labelled rows
  assert.deepEqual(confusionMatrix(probsA, labelsA), [
    [3, 0, 0],
    [1, 3, 0],
    [0, 2, 0],
  ]);
});

test('single-label metrics match scikit-learn, with a class never predicted and a missing label', () => {
  // Reference values: sklearn 1.2.1 on this input with the -1 row dropped.
  close(accuracy(probsA, labelsA), 0.6666666666666666); // accuracy_score
  close(balancedAccuracy(probsA, labelsA), 0.5833333333333334); // balanced_accuracy_score
  close(macroF1(probsA, labelsA), 0.5079365079365079); // f1_score(average='macro', zero_division=0)
  close(logLoss(probsA, labelsA), 0.8234014175088256); // log_loss(labels=[0,1,2])
  const e = evaluateTask(probsA, labelsA);
  close(e.auc, 0.8017195767195767); // roc_auc_score(multi_class='ovr', average='macro')
  assert.equal(e.count, 9);
  close(e.accuracy, 0.6666666666666666);
  close(e.macroF1, 0.5079365079365079);
});

test('macro-F1 and balanced accuracy count only classes that occur (sklearn default labels)', () => {
  // Four classes, class 3 never true but predicted once (last row), so it counts in macro-F1 with
  // F1 0 and is left out of balanced accuracy. sklearn 1.2.1: f1_score(average='macro') =
  // 0.49166666666666664, balanced_accuracy_score = 0.611111111111111.
  const probs = new Float32Array([
    0.4, 0.3, 0.2, 0.1, 0.1, 0.6, 0.2, 0.1, 0.2, 0.2, 0.5, 0.1, 0.25, 0.25, 0.25, 0.25,
    0.5, 0.1, 0.1, 0.3, 0.1, 0.1, 0.7, 0.1, 0.3, 0.4, 0.2, 0.1, 0.2, 0.2, 0.2, 0.4,
  ]);
  const labels = new Int32Array([0, 1, 2, 1, 0, 2, 0, 2]);
  close(macroF1(probs, labels), 0.49166666666666664);
  close(balancedAccuracy(probs, labels), 0.611111111111111);
});

test('binary task: metrics and AUC from column 1', () => {
  // sklearn 1.2.1 on scores s, probs [1-s, s]: accuracy 0.6, macro-F1 0.5833333333333333,
  // balanced accuracy 0.6, log_loss 0.7204818763171587, roc_auc_score 0.6.
  const s = [0.1, 0.4, 0.35, 0.8, 0.4, 0.4, 0.9, 0.1, 0.65, 0.35];
  const probs = new Float32Array(s.flatMap((p) => [1 - p, p]));
  const labels = new Int32Array([0, 0, 1, 1, 1, 0, 1, 1, 0, 0]);
  const e = evaluateTask(probs, labels);
  close(e.accuracy, 0.6);
  close(e.macroF1, 0.5833333333333333);
  close(e.balancedAccuracy, 0.6);
  close(e.logLoss, 0.7204818763171587);
  close(e.auc, 0.6);
});

test('log loss clips probabilities at 1e-15', () => {
  const probs = new Float32Array([1, 0, 0, 1]);
  const labels = new Int32Array([1, 1]);
  close(logLoss(probs, labels), (-Math.log(1e-15) - Math.log(1 - 1e-15)) / 2, 1e-9);
});

test('one class present: AUC is null; no labelled rows: scores are NaN and count 0', () => {
  const probs = new Float32Array([0.8, 0.2, 0.3, 0.7]);
  assert.equal(evaluateTask(probs, new Int32Array([0, 0])).auc, null);
  const empty = evaluateTask(probs, new Int32Array([-1, -1]));
  assert.equal(empty.count, 0);
  assert.ok(Number.isNaN(empty.accuracy) && Number.isNaN(empty.macroF1) && Number.isNaN(empty.logLoss));
  assert.equal(empty.auc, null);
  assert.deepEqual(empty.confusion, [
    [0, 0],
    [0, 0],
  ]);
});

test('evaluateLabels dispatches on the task type', () => {
  const single = evaluateLabels({ task: 't', type: 'multiclass', classIndex: labelsA }, probsA);
  assert.equal(single.type, 'multiclass');
  assert.equal(single.task, 't');
  const multi = evaluateLabels(
    { task: 'm', type: 'multilabel', targets: new Float32Array([1, 0]), mask: new Uint8Array([1]) },
    new Float32Array([0.9, 0.1]),
  );
  assert.equal(multi.type, 'multilabel');
  assert.equal(multi.type === 'multilabel' && multi.metrics.subsetAccuracy, 1);
});

test('bad inputs throw OptionError with a code', () => {
  const code = (fn: () => unknown, expected: string): void =>
    assert.throws(fn, (e: unknown) => e instanceof OptionError && e.code === expected);
  code(() => evaluateTask(new Float32Array(5), new Int32Array(2)), 'eval-shape');
  code(() => evaluateTask(new Float32Array(2), new Int32Array(2)), 'eval-shape'); // C = 1
  code(() => evaluateTask(new Float32Array(4), new Int32Array([0, 2])), 'eval-label-range');
  code(() => evaluateTask(new Float32Array([NaN, 1]), new Int32Array([0])), 'eval-non-finite');
  code(() => evaluateTask(new Float32Array(0), new Int32Array(0)), 'eval-empty');
  // a NaN probability on a missing row is ignored
  assert.equal(evaluateTask(new Float32Array([NaN, 1, 0.2, 0.8]), new Int32Array([-1, 1])).accuracy, 1);
});
