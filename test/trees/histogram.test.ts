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
    const gh = Float64Array.from({ length: 400 * 2 * outputs }, (_, i) => (i % 2 ? r.next() : r.normal()));
    const search = { gh, stride: outputs, offset: 0 };
    const features = Int32Array.of(0, 1, 2);
    const rows = Int32Array.from({ length: 400 }, (_, i) => i);
    const size = data.totalBins * strideOf(outputs);
    const ordered = new Float64Array(400 * 2 * outputs);
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
