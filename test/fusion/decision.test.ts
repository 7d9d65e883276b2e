/**
 * The macro-F1 decision rule: on rows where the probabilities under-predict a rare class it picks a
 * prior power α > 0 that raises macro-F1 there without losing accuracy there; it never loses accuracy
 * on its own rows; α = 0 (no rule) where nothing helps.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { accuracy, macroF1 } from '../../src/eval/classification.js';
import { applyOffsets, fitDecision } from '../../src/fusion/decision.js';
import { Random } from '../../src/util/random.js';
import { softmaxRow } from './helpers.js';

/** Three classes with priors about .7/.25/.05; the probabilities are the true posteriors with class 2 scaled by `rare`. */
function skewedRows(rows: number, seed: number, rare: number): { probs: Float32Array; y: Int32Array } {
  const r = new Random(seed);
  const probs = new Float32Array(rows * 3);
  const y = new Int32Array(rows);
  for (let i = 0; i < rows; i++) {
    const x = r.normal();
    const p = softmaxRow([0, -1 + x, -3 + 2 * x]);
    const u = r.next();
    y[i] = u < p[0]! ? 0 : u < p[0]! + p[1]! ? 1 : 2;
    const q = [p[0]!, p[1]!, p[2]! * rare];
    const s = q[0]! + q[1]! + q[2]!;
    probs.set(q.map((v) => v / s), i * 3);
  }
  return { probs, y };
}

test('under-predicted rare class: α > 0, macro-F1 up and accuracy not down on the fitting rows', () => {
  const { probs, y } = skewedRows(3000, 1, 0.1);
  const d = fitDecision(probs, y, 3);
  assert.ok(d.alpha > 0, `alpha ${d.alpha}`);
  assert.equal(d.offsets.length, 3);
  const q = applyOffsets(probs, d.offsets);
  assert.ok(macroF1(q, y) > macroF1(probs, y), `macro-F1 ${macroF1(q, y)} vs ${macroF1(probs, y)}`);
  assert.ok(accuracy(q, y) >= accuracy(probs, y), `accuracy ${accuracy(q, y)} vs ${accuracy(probs, y)}`);
  const rows = Array.from({ length: 3000 }, (_, i) => i);
  rows.forEach((i) => assert.ok(Math.abs(q[i * 3]! + q[i * 3 + 1]! + q[i * 3 + 2]! - 1) < 1e-6, `row ${i} sums to 1`));
});

test('whatever the skew and seed, the rule never loses accuracy on its own rows, and unlabelled rows are ignored', () => {
  for (const [seed, rare] of [[2, 1], [3, 0.5], [4, 2], [5, 0.05]] as const) {
    const { probs, y } = skewedRows(800, seed, rare);
    y[0] = -1;
    y[5] = -1;
    const d = fitDecision(probs, y, 3);
    const q = applyOffsets(probs, d.offsets);
    assert.ok(accuracy(q, y) >= accuracy(probs, y), `seed ${seed}, rare ${rare}: ${accuracy(q, y)} < ${accuracy(probs, y)}`);
    if (d.alpha === 0) assert.deepEqual(d.offsets, [0, 0, 0]);
  }
});
