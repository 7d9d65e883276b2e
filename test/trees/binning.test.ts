import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { applyBins, BIN_SAMPLE_ROWS, binColumns, fitBins, numericEdges } from '../../src/trees/binning.js';
import type { TreeInputs } from '../../src/trees/index.js';
import { Random } from '../../src/util/random.js';

const numeric = (values: number[]): TreeInputs => ({ rowCount: values.length, features: [{ name: 'x', kind: 'numeric' }], columns: [Float32Array.from(values)] });

test('few distinct values: one bin each, float32 edges between neighbours', () => {
  const inputs = numeric([3, 1, 2, 2, NaN, 1, 3]);
  const bins = fitBins(inputs, 255);
  assert.deepEqual(Array.from(bins[0]!.edges), [1.5, 2.5]);
  assert.equal(bins[0]!.valueBins, 3);
  assert.equal(bins[0]!.hasMissing, true);
  // The missing value has its own bin right after the value bins.
  assert.deepEqual(Array.from(applyBins(bins, inputs).columns[0]!), [2, 0, 1, 1, 3, 0, 2]);
});

test('adjacent float32 values: the edge keeps the lower one left and the upper one right', () => {
  const a = Math.fround(1.1);
  const b = new Float32Array(new Uint32Array([new Uint32Array(Float32Array.of(a).buffer)[0]! + 1]).buffer)[0]!;
  const edges = numericEdges(Float32Array.of(a, b), 255);
  assert.equal(edges.length, 1);
  assert.ok(a <= edges[0]! && b > edges[0]!, `edge ${edges[0]} between ${a} and ${b}`);
});

test('many distinct values: at most maxBins quantile bins, each training value <= its bin edge', () => {
  const r = new Random(3);
  const values = Array.from({ length: 5000 }, () => (r.next() < 0.3 ? Math.round(r.normal() * 3) : r.normal() * 100));
  const inputs = numeric(values);
  const bins = fitBins(inputs, 16);
  const b = bins[0]!;
  assert.ok(b.valueBins <= 16 && b.valueBins >= 8, `${b.valueBins} bins`);
  const column = applyBins(bins, inputs).columns[0]!;
  const counts = new Array<number>(b.valueBins).fill(0);
  values.forEach((x, i) => {
    const bin = column[i]!;
    counts[bin]++;
    if (bin < b.valueBins - 1) assert.ok(Math.fround(x) <= b.edges[bin]!);
    if (bin > 0) assert.ok(Math.fround(x) > b.edges[bin - 1]!);
  });
  // Quantile cuts: no bin holds much more than its share, except where one value is heavily tied.
  assert.ok(Math.max(...counts) < 5000 / 4, `bin counts ${counts.join(',')}`);
});

test('categorical cap: the most frequent codes keep a bin, the rest share the other bin', () => {
  const codes = [0, 0, 0, 1, 1, 2, 3, 3, 3, 3, 4, NaN];
  const inputs: TreeInputs = { rowCount: codes.length, features: [{ name: 'c', kind: 'categorical', cardinality: 5 }], columns: [Float32Array.from(codes)] };
  const bins = fitBins(inputs, 3);
  const b = bins[0]!;
  assert.equal(b.valueBins, 3);
  // By frequency: 3 (4 rows), 0 (3 rows), then 1, 2, 4 in the other bin.
  assert.deepEqual(Array.from(b.codeBin), [1, 2, 2, 0, 2]);
  assert.deepEqual(b.binCodes.map((c) => Array.from(c)), [[3], [0], [1, 2, 4]]);
  assert.equal(applyBins(bins, inputs).columns[0]![11], 3);
});

test('a categorical code outside 0 .. cardinality - 1 is refused with the feature named', () => {
  const inputs: TreeInputs = { rowCount: 2, features: [{ name: 'colour', kind: 'categorical', cardinality: 2 }], columns: [Float32Array.of(0, 2)] };
  assert.throws(() => fitBins(inputs, 255), (e: Error & { code?: string }) => e.code === 'bad-category-code' && /colour/.test(e.message));
});

test('more rows than BIN_SAMPLE_ROWS: edges from a seeded sample, the same for the same seed, every row in the bin its edges bound', () => {
  const r = new Random(8);
  const rows = BIN_SAMPLE_ROWS + 50_000;
  const column = Float32Array.from({ length: rows }, () => (r.next() < 0.05 ? NaN : r.normal()));
  const inputs: TreeInputs = { rowCount: rows, features: [{ name: 'x', kind: 'numeric' }], columns: [column] };
  const [a, b, other] = [fitBins(inputs, 255, 1)[0]!, fitBins(inputs, 255, 1)[0]!, fitBins(inputs, 255, 2)[0]!];
  assert.deepEqual(a.edges, b.edges);
  assert.notDeepEqual(a.edges, other.edges, 'another seed, another sample');
  assert.ok(a.valueBins <= 255 && a.valueBins > 200, `${a.valueBins} bins`);
  assert.equal(a.hasMissing, true);
  const binned = applyBins([a], inputs).columns[0]!;
  for (let i = 0; i < rows; i++) {
    const x = column[i]!;
    const bin = binned[i]!;
    if (x !== x) assert.equal(bin, a.valueBins);
    else {
      if (bin < a.valueBins - 1) assert.ok(x <= a.edges[bin]!);
      if (bin > 0) assert.ok(x > a.edges[bin - 1]!);
    }
  }
});

test('property: every value lands in the bin its edges say (the count of edges below it), for any column and bin cap', () => {
  fc.assert(
    fc.property(
      fc.array(fc.oneof(fc.float({ noNaN: true }), fc.constant(Number.NaN), fc.integer({ min: -5, max: 5 })), { minLength: 1, maxLength: 400 }),
      fc.integer({ min: 2, max: 255 }),
      (values, maxBins) => {
        const column = Float32Array.from(values);
        const inputs: TreeInputs = { rowCount: column.length, features: [{ name: 'x', kind: 'numeric' }], columns: [column] };
        const [bins] = fitBins(inputs, maxBins);
        const [binned] = binColumns([bins!], inputs)!;
        assert.ok(bins!.edges.length <= maxBins - 1);
        column.forEach((x, i) => {
          const expected = x !== x ? bins!.valueBins : bins!.edges.filter((e) => e < x).length;
          assert.equal(binned![i], expected, `value ${x} at row ${i}`);
        });
      },
    ),
    { numRuns: 200, seed: 7 },
  );
});
