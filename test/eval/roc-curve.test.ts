import { test } from 'node:test';
import assert from 'node:assert/strict';
import { binaryAuc } from '../../src/eval/auc.js';
import { areaUnder, rocCurve, thinCurve } from '../../src/eval/roc-curve.js';
import { Random } from '../../src/util/random.js';

test('ROC points by hand: one point per distinct threshold, from (0,0) to (1,1)', () => {
  const points = rocCurve([0.9, 0.8, 0.8, 0.3], [1, 0, 1, 0]);
  assert.deepEqual(
    points.map((p) => [p.fpr, p.tpr, p.threshold]),
    [[0, 0, Infinity], [0, 0.5, 0.9], [0.5, 1, 0.8], [1, 1, 0.3]],
  );
});

test('the trapezoid area under the curve equals the rank AUC, ties included', () => {
  const r = new Random(3);
  for (let trial = 0; trial < 20; trial++) {
    const n = 50 + r.int(200);
    // Scores rounded to two digits so that ties across classes occur.
    const positive = Array.from({ length: n }, () => (r.next() < 0.3 ? 1 : 0));
    const scores = positive.map((y) => Math.round((r.next() + 0.4 * y) * 100) / 100);
    const curve = rocCurve(scores, positive);
    assert.ok(Math.abs(areaUnder(curve) - binaryAuc(scores, positive)!) < 1e-12);
    for (let i = 1; i < curve.length; i++) assert.ok(curve[i]!.fpr >= curve[i - 1]!.fpr && curve[i]!.tpr >= curve[i - 1]!.tpr);
  }
});

test('no curve when one side is empty; thinning keeps the ends and the count', () => {
  assert.deepEqual(rocCurve([0.1, 0.2], [1, 1]), []);
  const scores = Array.from({ length: 1000 }, (_, i) => i / 1000);
  const curve = rocCurve(scores, scores.map((_, i) => i % 2));
  const thin = thinCurve(curve, 50);
  assert.equal(thin.length, 50);
  assert.deepEqual(thin[0], curve[0]);
  assert.deepEqual(thin.at(-1), curve.at(-1));
  assert.equal(thinCurve(curve.slice(0, 10), 50).length, 10);
});
