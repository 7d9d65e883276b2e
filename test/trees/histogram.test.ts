import { test } from 'node:test';
import assert from 'node:assert/strict';
import { applyBins, fitBins } from '../../src/trees/binning.js';
import { buildHistogram, strideOf, subtractHistogram } from '../../src/trees/histogram.js';
import { Random } from '../../src/util/random.js';
import { problem } from './synthetic.js';

for (const outputs of [1, 3]) {
  test(`histogram subtraction equals a direct build of the sibling (${outputs} outputs)`, () => {
    const p = problem(400, 1);
    const data = applyBins(fitBins(p.inputs, 255), p.inputs);
    const r = new Random(2);
    const gh = Float32Array.from({ length: 400 * 2 * outputs }, (_, i) => (i % 2 ? r.next() : r.normal()));
    const search = { gh, stride: outputs, offset: 0 };
    const features = Int32Array.of(0, 1, 2);
    const rows = Int32Array.from({ length: 400 }, (_, i) => i);
    const size = data.totalBins * strideOf(outputs);
    const ordered = new Float32Array(400 * 2 * outputs);
    const parent = new Float64Array(size);
    buildHistogram(parent, data, features, rows, 0, 400, search, outputs, ordered);
    // Split at row 150 of a shuffled order: build the left part, subtract, compare with the right built directly.
    r.shuffle(rows);
    const left = new Float64Array(size);
    buildHistogram(left, data, features, rows, 0, 150, search, outputs, ordered);
    const right = new Float64Array(size);
    buildHistogram(right, data, features, rows, 150, 400, search, outputs, ordered);
    subtractHistogram(parent, left, data, features, outputs);
    for (let i = 0; i < size; i++) assert.ok(Math.abs(parent[i]! - right[i]!) < 1e-9, `slot ${i}: ${parent[i]} vs ${right[i]}`);
    // Counts sum to the rows of each feature.
    let count = 0;
    for (let b = 0; b <= data.features[0]!.valueBins; b++) count += right[b * strideOf(outputs)]!;
    assert.equal(count, 250);
  });
}

test('packed gradients (outputs sharing one Hessian value) give the histogram of their unpacked pairs, to the bit', () => {
  const n = 300;
  const p = problem(n, 3);
  const data = applyBins(fitBins(p.inputs, 255), p.inputs);
  const r = new Random(4);
  // Per row: an own (g, h) pair, then two gradients sharing one Hessian: positions [g0 h0 g1 h1 g2 h2] from values [a b c d e].
  const of = Int32Array.of(0, 1, 2, 4, 3, 4);
  const packed = Float32Array.from({ length: n * 5 }, (_, i) => (i % 5 === 1 || i % 5 === 4 ? r.next() : r.normal()));
  const pairs = Float32Array.from({ length: n * 6 }, (_, i) => packed[Math.floor(i / 6) * 5 + of[i % 6]!]!);
  // Five entries over the three features: the four-feature pass and the remainder both run (a repeat adds twice on both sides).
  const features = Int32Array.of(0, 1, 2, 0, 1);
  const rows = Int32Array.from({ length: n }, (_, i) => i);
  r.shuffle(rows);
  const size = data.totalBins * strideOf(3);
  for (const [start, end] of [[0, n], [40, 210]] as const) {
    const a = new Float64Array(size);
    const b = new Float64Array(size);
    const sorted = start === 0 ? Int32Array.from({ length: n }, (_, i) => i) : rows;
    buildHistogram(a, data, features, sorted, start, end, { gh: pairs, stride: 3, offset: 0 }, 3, new Float32Array(n * 6));
    buildHistogram(b, data, features, sorted, start, end, { gh: packed, stride: 0, offset: 0, packed: { width: 5, of } }, 3, new Float32Array(n * 6));
    assert.deepEqual(b, a);
  }
});
