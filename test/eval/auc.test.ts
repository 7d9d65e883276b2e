import { test } from 'node:test';
import assert from 'node:assert/strict';
import { binaryAuc, rocAuc } from '../../src/eval/auc.js';

const close = (actual: number | null, expected: number, tol = 1e-9): void => {
  assert.ok(actual !== null && Math.abs(actual - expected) <= tol, `expected ${expected}, got ${actual}`);
};

test('binary AUC by hand: perfect, inverted, all tied', () => {
  close(binaryAuc([0.1, 0.2, 0.8, 0.9], [0, 0, 1, 1]), 1);
  close(binaryAuc([0.9, 0.8, 0.2, 0.1], [0, 0, 1, 1]), 0);
  close(binaryAuc([0.5, 0.5, 0.5, 0.5], [0, 1, 0, 1]), 0.5);
  // one positive tied with one of two negatives: (1 + 0.5) / 2
  close(binaryAuc([0.3, 0.6, 0.6], [0, 0, 1]), 0.75);
});

test('binary AUC with ties matches scikit-learn', () => {
  // sklearn 1.2.1: roc_auc_score(y, s) = 0.6 (ties at 0.1, 0.35 and 0.4 across classes)
  const s = new Float32Array([0.1, 0.4, 0.35, 0.8, 0.4, 0.4, 0.9, 0.1, 0.65, 0.35]);
  close(binaryAuc(s, [0, 0, 1, 1, 1, 0, 1, 1, 0, 0]), 0.6, 1e-12);
});

test('AUC is null when only one class is present', () => {
  assert.equal(binaryAuc([0.1, 0.9], [1, 1]), null);
  assert.equal(binaryAuc([], []), null);
  assert.equal(rocAuc(new Float32Array([0.2, 0.7, 0.1, 0.3, 0.6, 0.1]), new Int32Array([1, 1])), null);
});

test('multiclass macro one-vs-rest over the classes present', () => {
  // Class 3 never occurs in the labels, so the mean runs over classes 0..2. sklearn 1.2.1:
  // roc_auc_score(y == k, p[:, k]) = 1.0, 0.8333333333333334, 0.8333333333333333 → 0.888888888888889
  const probs = new Float32Array([
    0.4, 0.3, 0.2, 0.1, 0.1, 0.6, 0.2, 0.1, 0.2, 0.2, 0.5, 0.1, 0.25, 0.25, 0.25, 0.25,
    0.5, 0.1, 0.1, 0.3, 0.1, 0.1, 0.7, 0.1, 0.3, 0.4, 0.2, 0.1, 0.2, 0.2, 0.2, 0.4,
  ]);
  close(rocAuc(probs, new Int32Array([0, 1, 2, 1, 0, 2, 0, 2])), 0.888888888888889);
});

test('missing labels are left out of the AUC', () => {
  const probs = new Float32Array([0.9, 0.1, 0.2, 0.8, 0.99, 0.01, 0.4, 0.6]);
  // without the -1 row, classes separate perfectly; with it as class 1 they would not
  close(rocAuc(probs, new Int32Array([0, 1, -1, 1])), 1);
});
