/**
 * The macro-F1 decision rule: on rows where the probabilities under-predict a rare class it picks a
 * prior power α > 0 that raises macro-F1 there without losing accuracy there; where one class is
 * under-predicted out of line with the priors its per-class offsets beat every prior power; it never
 * loses accuracy on its own rows.
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
  }
});

/** Three classes with priors about .6/.3/.1; the probabilities are the true posteriors with class 1 alone scaled by a fifth. */
function midClassUnder(rows: number, seed: number): { probs: Float32Array; y: Int32Array } {
  const r = new Random(seed);
  const probs = new Float32Array(rows * 3);
  const y = new Int32Array(rows);
  for (let i = 0; i < rows; i++) {
    const x = r.normal();
    const p = softmaxRow([0, -0.7 + x, -1.8 - x]);
    const u = r.next();
    y[i] = u < p[0]! ? 0 : u < p[0]! + p[1]! ? 1 : 2;
    const q = [p[0]!, p[1]! * 0.2, p[2]!];
    const s = q[0]! + q[1]! + q[2]!;
    probs.set(q.map((v) => v / s), i * 3);
  }
  return { probs, y };
}

test('a class under-predicted out of line with the priors: per-class offsets beat every prior power at no accuracy loss', () => {
  const { probs, y } = midClassUnder(3000, 6);
  const counts = [0, 1, 2].map((c) => y.filter((v) => v === c).length);
  const logPrior = counts.map((n) => Math.log(n / y.length));
  const argmaxAccuracy = accuracy(probs, y);
  let bestPower = macroF1(probs, y);
  for (let a = 0.01; a <= 1.0001; a += 0.01) {
    const q = applyOffsets(probs, logPrior.map((l) => -a * l));
    if (accuracy(q, y) >= argmaxAccuracy) bestPower = Math.max(bestPower, macroF1(q, y));
  }
  const d = fitDecision(probs, y, 3);
  const q = applyOffsets(probs, d.offsets);
  assert.ok(macroF1(q, y) > bestPower, `offsets ${d.offsets}: macro-F1 ${macroF1(q, y)}, best prior power ${bestPower}`);
  assert.ok(accuracy(q, y) >= argmaxAccuracy);
  assert.ok(d.offsets[1]! > d.offsets[2]!, `the under-predicted class 1 is raised above the rarer class 2: ${d.offsets}`);
});
