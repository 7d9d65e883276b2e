import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Schema } from '../../src/data/schema.js';
import type { Column, Table } from '../../src/data/table.js';
import { applyFeaturePlan, fitFeaturePlan, type FeatureOptions } from '../../src/features/index.js';

const num = (name: string, values: (number | null)[]): Column => ({ type: 'number', name, values: Float64Array.from(values, (v) => v ?? NaN) });
const str = (name: string, values: (string | null)[]): Column => {
  const dictionary = [...new Set(values.filter((v): v is string => v !== null))];
  return { type: 'string', name, dictionary, codes: Int32Array.from(values, (v) => (v === null ? -1 : dictionary.indexOf(v))) };
};
const tableOf = (column: Column): Table => ({ source: 'test.csv', rowCount: column.type === 'number' ? column.values.length : column.codes.length, columns: [column] });
const schema: Schema = { features: [{ name: 'x', kind: 'numeric', missingRate: 0 }], excluded: [], tasks: [], warnings: [] };
const allRows = (t: Table) => Int32Array.from({ length: t.rowCount }, (_, i) => i);

/** Fits the scaled encoding (piecewise-linear has its own tests) with `options`. */
function fit(values: (number | null)[], options: FeatureOptions = {}, rows?: number[]) {
  const table = tableOf(num('x', values));
  return fitFeaturePlan(table, schema, rows ? Int32Array.from(rows) : allRows(table), { numericEncoding: 'scaled', ...options });
}
/** Encodes values of column x with a plan; returns the float rows. */
function encode(plan: ReturnType<typeof fit>, column: Column): number[][] {
  const out = applyFeaturePlan(plan, tableOf(column));
  return Array.from({ length: out.rowCount }, (_, r) => Array.from(out.numeric.subarray(r * out.numericWidth, (r + 1) * out.numericWidth)));
}

describe('numeric features', () => {
  it('imputes the training median and flags missing values', () => {
    const plan = fit([5, 1, null, 3, 100, 2]);
    const step = plan.numeric[0]!;
    assert.equal(step.fill, 3);
    assert.deepEqual(plan.numericNames, ['x', 'x:missing']);
    const [missing, three] = encode(plan, num('x', [null, 3]));
    assert.deepEqual(missing, three!.slice(0, 1).concat([1]));
    assert.equal(three![1], 0);
  });

  it('median of an even count is the mean of the middle two', () => {
    assert.equal(fit([4, 1, 3, 2]).numeric[0]!.fill, 2.5);
  });

  it('standard scaling gives mean 0 and std 1 on the training rows', () => {
    const values = [2, 4, 4, 4, 5, 5, 7, 9];
    const plan = fit(values);
    assert.equal(plan.numeric[0]!.center, 5);
    assert.equal(plan.numeric[0]!.scale, 0.5);
    const encoded = encode(plan, num('x', values)).map((r) => r[0]!);
    const mean = encoded.reduce((a, b) => a + b) / encoded.length;
    const variance = encoded.reduce((a, b) => a + (b - mean) ** 2, 0) / encoded.length;
    assert.ok(Math.abs(mean) < 1e-7 && Math.abs(variance - 1) < 1e-6, `mean ${mean}, variance ${variance}`);
  });

  it('robust scaling uses the median and the interquartile range', () => {
    const plan = fit([1, 2, 3, 4, 5, 1000], { scaling: 'robust' });
    const step = plan.numeric[0]!;
    assert.equal(step.center, 3.5);
    assert.equal(step.scale, Math.fround(1 / (4.75 - 2.25)));
  });

  it('no scaling leaves values alone but still clips', () => {
    const plan = fit([1, 2, 3], { scaling: 'none', clip: 2.5 });
    assert.deepEqual(encode(plan, num('x', [1, 2, 3, -7])).map((r) => r[0]), [1, 2, 2.5, -2.5]);
  });

  it('a constant column gets scale 1 instead of dividing by zero', () => {
    const plan = fit([7, 7, 7]);
    assert.equal(plan.numeric[0]!.scale, 1);
    assert.deepEqual(encode(plan, num('x', [7, 8])).map((r) => r[0]), [0, 1]);
  });

  it('clips huge values and ±Infinity; NaN is imputed, not clipped', () => {
    const plan = fit([0, 1, 2, 3, 4], { clip: 5, missingIndicator: 'always' });
    const rows = encode(plan, num('x', [1e300, -1e300, Infinity, -Infinity, NaN, 2]));
    assert.deepEqual(rows.map((r) => r[0]), [5, -5, 5, -5, 0, 0]);
    assert.deepEqual(rows.map((r) => r[1]), [0, 0, 0, 0, 1, 0]);
  });

  it('missing indicator: auto only when training had missing values; always; never', () => {
    assert.deepEqual(fit([1, 2, 3]).numericNames, ['x']);
    assert.deepEqual(fit([1, 2, 3], { missingIndicator: 'always' }).numericNames, ['x', 'x:missing']);
    assert.deepEqual(fit([1, null, 3], { missingIndicator: 'never' }).numericNames, ['x']);
  });

  it('fitting uses only the given rows', () => {
    const plan = fit([1, 2, 3, 1000, null], {}, [0, 1, 2]);
    const step = plan.numeric[0]!;
    assert.equal(step.fill, 2);
    assert.equal(step.center, 2);
    assert.equal(step.missingIndicator, false);
    assert.equal(plan.trainingRows, 3);
  });

  it('non-finite training values take no part in the statistics', () => {
    const step = fit([1, 2, 3, Infinity, -Infinity]).numeric[0]!;
    assert.equal(step.fill, 2);
    assert.equal(step.center, 2);
  });

  it('a column read as strings at apply time is parsed as the readers parse numbers; junk is missing', () => {
    const plan = fit([10, 20, 30, null]);
    const asStrings = encode(plan, str('x', ['20', '30', 'n/a', '', null, '1e1', '7 hours', '0x10', 'Infinity', '-2.5']));
    const asNumbers = encode(plan, num('x', [20, 30, null, null, null, 10, null, null, null, -2.5]));
    assert.deepEqual(asStrings, asNumbers);
  });

  it('a column with no finite training value is dropped with a reason', () => {
    const plan = fit([null, null, Infinity]);
    assert.equal(plan.numeric.length, 0);
    assert.deepEqual(plan.dropped.map((d) => d.column), ['x']);
    assert.match(plan.dropped[0]!.reason, /no finite value/);
  });
});
