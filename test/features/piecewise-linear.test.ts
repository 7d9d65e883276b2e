import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Schema } from '../../src/data/schema.js';
import type { Column, Table } from '../../src/data/table.js';
import { OptionError } from '../../src/errors.js';
import { applyFeaturePlan, fitFeaturePlan, parsePlan, resolveFeatureOptions, savePlan, type FeatureOptions } from '../../src/features/index.js';
import { autoNumericBins } from '../../src/features/options.js';
import { fitEdges } from '../../src/features/piecewise-linear.js';

const num = (name: string, values: (number | null)[]): Column => ({ type: 'number', name, values: Float64Array.from(values, (v) => v ?? NaN) });
const tableOf = (...columns: Column[]): Table => ({ source: 'test.csv', rowCount: (columns[0] as { values: Float64Array }).values.length, columns });
const schemaOf = (...names: string[]): Schema => ({ features: names.map((name) => ({ name, kind: 'numeric', missingRate: 0 })), excluded: [], tasks: [], warnings: [] });
const PLE: FeatureOptions = { numericEncoding: 'piecewise-linear' };

function fit(values: (number | null)[], options: FeatureOptions = PLE) {
  const table = tableOf(num('x', values));
  return fitFeaturePlan(table, schemaOf('x'), Int32Array.from({ length: values.length }, (_, i) => i), options);
}
function encode(plan: ReturnType<typeof fit>, values: number[]): number[][] {
  const out = applyFeaturePlan(plan, tableOf(num('x', values)));
  return Array.from({ length: out.rowCount }, (_, r) => Array.from(out.numeric.subarray(r * out.numericWidth, (r + 1) * out.numericWidth)));
}
const edgesOf = (values: number[], bins: number) => fitEdges(Float32Array.from(values), bins);

describe('piecewise-linear edges', () => {
  it('few distinct values: one edge per value; -0 and 0 are one edge, stored as 0', () => {
    assert.deepEqual(edgesOf([3, 1, 2, 2, 1, -0, 0], 16), [0, 1, 2, 3]);
    assert.ok(Object.is(edgesOf([-0, 1], 16)![0], 0));
  });

  it('equal-count bins, never more than asked', () => {
    const values = Array.from({ length: 1000 }, (_, i) => i);
    const edges = edgesOf(values, 4)!;
    assert.equal(edges.length, 5);
    assert.equal(edges[0], 0);
    assert.equal(edges[4], 999);
    for (let t = 1; t < 4; t++) assert.ok(Math.abs(edges[t]! - 250 * t) <= 1, `edge ${t} = ${edges[t]}`);
  });

  it('a zero-inflated column keeps its bins for the non-zero values (plain quantiles would give one bin)', () => {
    const values = [...new Array<number>(920).fill(0), ...Array.from({ length: 80 }, (_, i) => 100 * (i + 1))];
    const edges = edgesOf(values, 8)!;
    assert.equal(edges.length, 9);
    assert.equal(edges[0], 0);
    assert.ok(edges[1]! <= 1000, `first cut ${edges[1]} leaves the zeros alone`);
  });

  it('a heavy value in the middle is its own edge and the other bins share the rest', () => {
    const values = [...Array.from({ length: 300 }, (_, i) => i / 10), ...new Array<number>(400).fill(40), ...Array.from({ length: 300 }, (_, i) => 41 + i / 10)];
    const edges = edgesOf(values, 8)!;
    assert.ok(edges.includes(40));
    assert.equal(edges.length, 9);
  });

  it('non-finite values take no part; fewer than two distinct values give no edges', () => {
    assert.deepEqual(edgesOf([1, NaN, Infinity, -Infinity, 2], 4), [1, 2]);
    assert.equal(edgesOf([7, 7, NaN, Infinity], 4), null);
  });
});

describe('automatic bin count', () => {
  it('is about one bin per 200 training rows, a power of two from 8 to 128', () => {
    assert.deepEqual([10, 352, 1600, 3000, 6400, 29_000, 1e6].map(autoNumericBins), [8, 8, 8, 16, 32, 128, 128]);
  });

  it('is what a plan fitted with the default options uses', () => {
    const values = Array.from({ length: 6400 }, (_, i) => i);
    const plan = fit(values);
    assert.equal(plan.options.numericBins, 'auto');
    assert.equal(encode(plan, [0])[0]!.length, 32);
  });
});

describe('piecewise-linear encoding', () => {
  const plan = fit([0, 1, 2, 3, 4, null], { ...PLE, numericBins: 4, clip: 5 });

  it('one column per bin, named x:ple#t, after which the missing indicator', () => {
    assert.deepEqual(plan.numeric[0]!.edges, [0, 1, 2, 3, 4]);
    assert.deepEqual(plan.numericNames, ['x:ple#0', 'x:ple#1', 'x:ple#2', 'x:ple#3', 'x:missing']);
  });

  it('bins below the value are 1, its own bin the fraction, bins above 0', () => {
    assert.deepEqual(encode(plan, [0, 2.5, 4]), [
      [0, 0, 0, 0, 0],
      [1, 1, 0.5, 0, 0],
      [1, 1, 1, 1, 0],
    ]);
  });

  it('outside the training range the outer columns go on, up to ±clip; ±Infinity end there', () => {
    assert.deepEqual(encode(plan, [-2, 6.5, 1e300, Infinity, -Infinity]), [
      [-2, 0, 0, 0, 0],
      [1, 1, 1, 3.5, 0],
      [1, 1, 1, 5, 0],
      [1, 1, 1, 5, 0],
      [-5, 0, 0, 0, 0],
    ]);
  });

  it('a missing value is the training median, flagged', () => {
    assert.deepEqual(encode(plan, [NaN]), [[1, 1, 0, 0, 1]]);
  });

  it('a column with one distinct value stays scaled; the others are piecewise', () => {
    const table = tableOf(num('c', [7, 7, 7, 7]), num('y', [1, 2, 3, 4]));
    const mixed = fitFeaturePlan(table, schemaOf('c', 'y'), Int32Array.from([0, 1, 2, 3]), PLE);
    assert.equal(mixed.numeric[0]!.edges, undefined);
    assert.deepEqual(mixed.numericNames, ['c', 'y:ple#0', 'y:ple#1', 'y:ple#2']);
    assert.deepEqual(Array.from(applyFeaturePlan(mixed, table, Int32Array.of(2)).numeric), [0, 1, 1, 0]);
  });

  it('the plan round-trips through JSON; scaled plans carry no edges', () => {
    assert.deepEqual(parsePlan(savePlan(plan)), plan);
    const scaled = fit([1, 2, 3], { numericEncoding: 'scaled' });
    assert.equal('edges' in scaled.numeric[0]!, false);
    const older = JSON.parse(savePlan(scaled)) as { options: Record<string, unknown> };
    delete older.options['numericEncoding'];
    delete older.options['numericBins'];
    assert.deepEqual(parsePlan(older), scaled, 'a plan saved before the option existed reads as scaled');
  });

  it('bad options and bad edges are refused', () => {
    const isOption = (name: string) => (e: unknown) => e instanceof OptionError && e.message.includes(`'${name}'`);
    assert.throws(() => resolveFeatureOptions({ numericEncoding: 'splines' as 'scaled' }), isOption('numericEncoding'));
    assert.throws(() => resolveFeatureOptions({ numericBins: 0 }), isOption('numericBins'));
    assert.throws(() => resolveFeatureOptions({ numericBins: 1000 }), isOption('numericBins'));
    const json = JSON.parse(savePlan(plan)) as { numeric: Record<string, unknown>[] };
    const step = json.numeric[0]!;
    assert.throws(() => parsePlan({ ...json, numeric: [{ ...step, edges: [0, 2, 1, 3, 4] }] }), /strictly increasing/);
    assert.throws(() => parsePlan({ ...json, numeric: [{ ...step, edges: [0, 1, 2, 3] }] }), /numericNames do not match/);
  });
});
