import { test } from 'node:test';
import assert from 'node:assert/strict';
import { labelF1 } from '../../src/eval/label-f1.js';
import { multilabelMacroF1 } from '../../src/eval/multilabel.js';
import { Random } from '../../src/util/random.js';

test('per-label F1 by hand, masked rows left out, 0/0 counts 0', () => {
  // label 0: tp 1, fp 1, fn 0 → 2/3; label 1: never on, never predicted → 0; row 2 masked
  const probs = new Float32Array([0.9, 0.1, 0.8, 0.2, 0.9, 0.9]);
  const targets = new Float32Array([1, 0, 0, 0, 0, 1]);
  const f1 = labelF1(probs, targets, new Uint8Array([1, 1, 0]));
  assert.ok(Math.abs(f1[0]!.f1 - 2 / 3) < 1e-12);
  assert.equal(f1[0]!.support, 1);
  assert.deepEqual(f1[1], { f1: 0, support: 0 });
});

test('the mean of the per-label F1 is the macro-F1 of multilabel.ts', () => {
  const r = new Random(5);
  const n = 300;
  const k = 6;
  const probs = Float32Array.from({ length: n * k }, () => r.next());
  const targets = Float32Array.from(probs, (p) => (r.next() < p ? 1 : 0));
  const mask = Uint8Array.from({ length: n }, () => (r.next() < 0.9 ? 1 : 0));
  const f1 = labelF1(probs, targets, mask);
  const mean = f1.reduce((a, b) => a + b.f1, 0) / k;
  assert.ok(Math.abs(mean - multilabelMacroF1(probs, targets, mask)) < 1e-12);
});
