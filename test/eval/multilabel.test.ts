import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  evaluateMultilabel,
  hammingLoss,
  labelAucs,
  microF1,
  multilabelMacroF1,
  subsetAccuracy,
} from '../../src/eval/multilabel.js';
import { OptionError } from '../../src/errors.js';

const close = (actual: number | null, expected: number, tol = 1e-9): void => {
  assert.ok(actual !== null && Math.abs(actual - expected) <= tol, `expected ${expected}, got ${actual}`);
};

// 8 rows × 3 labels; rows 3 and 6 are masked (their labels would change every figure). Among the
// used rows label 2 is never true and never predicted: F1 0/0 → 0, AUC undefined.
const probs = new Float32Array([
  0.9, 0.2, 0.1,
  0.6, 0.7, 0.3,
  0.4, 0.8, 0.2,
  0.2, 0.1, 0.4,
  0.7, 0.3, 0.1,
  0.3, 0.6, 0.2,
  0.55, 0.45, 0.9,
  0.1, 0.2, 0.3,
]);
const targets = new Float32Array([
  1, 0, 0,
  1, 1, 0,
  0, 1, 0,
  1, 1, 1,
  0, 0, 0,
  1, 1, 0,
  0, 0, 1,
  0, 1, 0,
]);
const mask = new Uint8Array([1, 1, 1, 0, 1, 1, 0, 1]);

test('multi-label metrics with masked rows match scikit-learn', () => {
  // sklearn 1.2.1 on the 6 unmasked rows, predictions p > 0.5: hamming_loss 0.16666666666666666,
  // accuracy_score (subset) 0.5, f1_score micro 0.7692307692307692, macro (zero_division=0)
  // 0.5079365079365079; roc_auc_score per label 0.6666666666666667, 0.8125, undefined.
  const e = evaluateMultilabel(probs, targets, mask);
  close(e.hammingLoss, 0.16666666666666666);
  close(e.subsetAccuracy, 0.5);
  close(e.microF1, 0.7692307692307692);
  close(e.macroF1, 0.5079365079365079);
  assert.equal(e.count, 6);
  assert.equal(e.labelAuc[2], null);
  close(e.labelAuc[0]!, 0.6666666666666667);
  close(e.labelAuc[1]!, 0.8125);
  close(e.auc, 0.7395833333333334);
});

test('single-metric functions agree with evaluateMultilabel', () => {
  const e = evaluateMultilabel(probs, targets, mask);
  assert.equal(hammingLoss(probs, targets, mask), e.hammingLoss);
  assert.equal(subsetAccuracy(probs, targets, mask), e.subsetAccuracy);
  assert.equal(microF1(probs, targets, mask), e.microF1);
  assert.equal(multilabelMacroF1(probs, targets, mask), e.macroF1);
  assert.deepEqual(labelAucs(probs, targets, mask), e.labelAuc);
});

test('threshold is strict and adjustable', () => {
  const p = new Float32Array([0.5, 0.5]);
  const t = new Float32Array([1, 0]);
  const m = new Uint8Array([1]);
  close(hammingLoss(p, t, m), 0.5); // 0.5 is not above 0.5: both predicted 0
  close(hammingLoss(p, t, m, 0.4), 0.5); // both predicted 1
  close(subsetAccuracy(new Float32Array([0.6, 0.3]), t, m, 0.55), 1);
});

test('all rows masked: NaN scores, null AUC; bad targets throw', () => {
  const e = evaluateMultilabel(probs, targets, new Uint8Array(8));
  assert.equal(e.count, 0);
  assert.ok(Number.isNaN(e.hammingLoss) && Number.isNaN(e.microF1));
  assert.equal(e.auc, null);
  assert.throws(
    () => evaluateMultilabel(new Float32Array([0.2]), new Float32Array([0.5]), new Uint8Array([1])),
    (err: unknown) => err instanceof OptionError && err.code === 'eval-target-value',
  );
  // NaN targets on masked rows are fine (missing labels)
  assert.equal(evaluateMultilabel(new Float32Array([0.2, 0.9]), new Float32Array([NaN, 1]), new Uint8Array([0, 1])).count, 1);
  assert.throws(
    () => evaluateMultilabel(new Float32Array(4), new Float32Array(6), new Uint8Array(2)),
    (err: unknown) => err instanceof OptionError && err.code === 'eval-shape',
  );
});
