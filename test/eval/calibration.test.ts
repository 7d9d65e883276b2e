import { test } from 'node:test';
import assert from 'node:assert/strict';
import { calibrationBins, calibrationPairs } from '../../src/eval/calibration.js';
import { Random } from '../../src/util/random.js';

test('bins by hand: counts, means and the expected calibration error', () => {
  const c = calibrationBins([0.05, 0.15, 0.12, 0.95, 1.0], [0, 1, 0, 1, 1], 10);
  assert.equal(c.rows, 5);
  assert.deepEqual(c.bins.map((b) => b.count), [1, 2, 0, 0, 0, 0, 0, 0, 0, 2]);
  assert.ok(Math.abs(c.bins[1]!.meanConfidence - 0.135) < 1e-12);
  assert.equal(c.bins[1]!.observed, 0.5);
  assert.ok(Number.isNaN(c.bins[2]!.observed));
  // |0 − 0.05|·1/5 + |0.5 − 0.135|·2/5 + |1 − 0.975|·2/5
  assert.ok(Math.abs(c.ece - (0.05 / 5 + (0.365 * 2) / 5 + (0.025 * 2) / 5)) < 1e-12);
});

test('outcomes drawn from the predicted probabilities give a small ECE; overconfident ones a large one', () => {
  const r = new Random(7);
  const p = Array.from({ length: 20000 }, () => r.next());
  const calibrated = p.map((q) => (r.next() < q ? 1 : 0));
  const flattened = p.map((q) => (r.next() < 0.5 + (q - 0.5) * 0.3 ? 1 : 0));
  assert.ok(calibrationBins(p, calibrated).ece < 0.02);
  assert.ok(calibrationBins(p, flattened).ece > 0.15);
});

test('pairs per kind of task: class-1 probability, top class, pooled labels; unlabelled rows left out', () => {
  const binary = calibrationPairs({ task: 'b', type: 'binary', classIndex: new Int32Array([1, -1, 0]) }, new Float32Array([0.2, 0.8, 0.5, 0.5, 0.6, 0.4]));
  assert.deepEqual([...binary.confidence].map((x) => +x.toFixed(3)), [0.8, 0.4]);
  assert.deepEqual([...binary.correct], [1, 0]);
  const multi = calibrationPairs({ task: 'm', type: 'multiclass', classIndex: new Int32Array([2, 0]) }, new Float32Array([0.1, 0.2, 0.7, 0.3, 0.6, 0.1]));
  assert.deepEqual([...multi.confidence].map((x) => +x.toFixed(3)), [0.7, 0.6]);
  assert.deepEqual([...multi.correct], [1, 0]);
  const labels = calibrationPairs({ task: 'l', type: 'multilabel', targets: new Float32Array([1, 0, 0, 1]), mask: new Uint8Array([1, 0]) }, new Float32Array([0.9, 0.3, 0.5, 0.5]));
  assert.deepEqual([...labels.confidence].map((x) => +x.toFixed(3)), [0.9, 0.3]);
  assert.deepEqual([...labels.correct], [1, 0]);
});
