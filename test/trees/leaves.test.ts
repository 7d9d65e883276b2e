import { test } from 'node:test';
import assert from 'node:assert/strict';
import { addRowValues } from '../../src/trees/leaves.js';
import { exponentials } from '../../src/trees/loss.js';
import { Random } from '../../src/util/random.js';

test('kept exponentials follow their scores through many trees: e^raw to 1e-12 after 2,000 rounds of leaf values', () => {
  const r = new Random(2);
  const [rows, n, leaves] = [50, 4, 6];
  const raw = Float64Array.from({ length: rows * n }, () => r.normal());
  const ex = exponentials(raw, new Float64Array(rows * n));
  const outputs = Int32Array.from({ length: n }, (_, o) => o);
  const one = Int32Array.of(2);
  for (let round = 0; round < 2000; round++) {
    const leafOfRow = Int32Array.from({ length: rows }, () => (r.next() < 0.1 ? -1 : Math.floor(r.next() * leaves)));
    const leafNode = Int32Array.from({ length: leaves }, (_, j) => j);
    // A shared tree over every output, then a per-task tree of output 2 alone (its own loop).
    addRowValues(leafOfRow, leafNode, Float32Array.from({ length: leaves * n }, () => 0.1 * r.normal()), outputs, raw, n, 0, rows, ex);
    addRowValues(leafOfRow, leafNode, Float32Array.from({ length: leaves }, () => 0.1 * r.normal()), one, raw, n, 0, rows, ex);
  }
  raw.forEach((z, i) => assert.ok(Math.abs(ex[i]! / Math.exp(z) - 1) < 1e-12, `score ${i}: e^${z} = ${Math.exp(z)}, kept ${ex[i]}`));
});

test('leaf values added to output-major scores land where row-major ones do, for shared and per-task trees', () => {
  const r = new Random(3);
  const [rows, n, leaves] = [40, 3, 5];
  const byRow = Float64Array.from({ length: rows * n }, () => r.normal());
  const byOutput = new Float64Array(rows * n);
  for (let i = 0; i < rows; i++) for (let o = 0; o < n; o++) byOutput[o * rows + i] = byRow[i * n + o]!;
  const [exRow, exOutput] = [exponentials(byRow, new Float64Array(rows * n)), exponentials(byOutput, new Float64Array(rows * n))];
  const leafOfRow = Int32Array.from({ length: rows }, () => (r.next() < 0.2 ? -1 : Math.floor(r.next() * leaves)));
  const leafNode = Int32Array.from({ length: leaves }, (_, j) => 2 * j);
  for (const outputs of [Int32Array.of(0, 1, 2), Int32Array.of(2, 0), Int32Array.of(1)]) {
    const values = Float32Array.from({ length: 2 * leaves * outputs.length }, () => r.normal());
    addRowValues(leafOfRow, leafNode, values, outputs, byRow, n, 0, rows, exRow);
    addRowValues(leafOfRow, leafNode, values, outputs, byOutput, n, 0, rows, exOutput, true);
  }
  for (let i = 0; i < rows; i++) {
    for (let o = 0; o < n; o++) {
      assert.equal(byOutput[o * rows + i], byRow[i * n + o], `row ${i} output ${o}`);
      assert.equal(exOutput[o * rows + i], exRow[i * n + o], `row ${i} output ${o}: e^score`);
    }
  }
});
