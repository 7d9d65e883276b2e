import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { FeatureKind, Schema } from '../../src/data/schema.js';
import type { Column, Table } from '../../src/data/table.js';
import { applyFeaturePlan, fitFeaturePlan, type FeatureOptions } from '../../src/features/index.js';

const num = (name: string, values: (number | null)[]): Column => ({ type: 'number', name, values: Float64Array.from(values, (v) => v ?? NaN) });
const str = (name: string, values: (string | null)[]): Column => {
  const dictionary = [...new Set(values.filter((v): v is string => v !== null))];
  return { type: 'string', name, dictionary, codes: Int32Array.from(values, (v) => (v === null ? -1 : dictionary.indexOf(v))) };
};
const tableOf = (column: Column): Table => ({ source: 'test.csv', rowCount: column.type === 'number' ? column.values.length : column.codes.length, columns: [column] });
const schemaOf = (kind: FeatureKind): Schema => ({ features: [{ name: 'c', kind, missingRate: 0 }], excluded: [], tasks: [], warnings: [] });
const allRows = (t: Table) => Int32Array.from({ length: t.rowCount }, (_, i) => i);
const repeat = (counts: Record<string, number>) => Object.entries(counts).flatMap(([v, n]) => Array<string>(n).fill(v));

function fit(column: Column, options: FeatureOptions = {}, kind: FeatureKind = 'categorical', rows?: number[]) {
  const table = tableOf(column);
  return fitFeaturePlan(table, schemaOf(kind), rows ? Int32Array.from(rows) : allRows(table), options);
}
/** Index per row: decoded from the one-hot block, or read from the int block. */
function indices(plan: ReturnType<typeof fit>, column: Column): number[] {
  const out = applyFeaturePlan(plan, tableOf(column));
  if (plan.categoricalFields.length > 0) return Array.from(out.categorical);
  return Array.from({ length: out.rowCount }, (_, r) => {
    const row = Array.from(out.numeric.subarray(r * out.numericWidth, (r + 1) * out.numericWidth));
    assert.equal(row.reduce((a, b) => a + b), 1, 'one-hot rows sum to 1');
    return row.indexOf(1);
  });
}

describe('categorical features', () => {
  it('keeps categories with at least minFrequency rows, most frequent first', () => {
    const plan = fit(str('c', repeat({ a: 5, b: 3, c: 2, d: 1 })), { minFrequency: 2 });
    assert.deepEqual(plan.categorical[0]!.vocabulary, ['a', 'b', 'c']);
    assert.deepEqual(plan.numericNames, ['c=<unknown>', 'c=a', 'c=b', 'c=c']);
    assert.deepEqual(indices(plan, str('c', ['a', 'c', 'd', 'zzz', null, ''])), [1, 3, 0, 0, 0, 0]);
  });

  it('ties in frequency are ordered by string, so vocabularies are reproducible', () => {
    const plan = fit(str('c', ['y', 'x', 'z', 'x', 'y', 'z']), { minFrequency: 1 });
    assert.deepEqual(plan.categorical[0]!.vocabulary, ['x', 'y', 'z']);
  });

  it('one-hot up to oneHotMaxCardinality (unknown included), embedding above', () => {
    const nine = str('c', repeat(Object.fromEntries(Array.from({ length: 9 }, (_, i) => [`v${i}`, 3]))));
    assert.equal(fit(nine).categorical[0]!.encoding, 'one-hot');
    const ten = str('c', repeat(Object.fromEntries(Array.from({ length: 10 }, (_, i) => [`v${i}`, 3]))));
    const plan = fit(ten);
    assert.equal(plan.categorical[0]!.encoding, 'embedding');
    assert.deepEqual(plan.categoricalFields, [{ name: 'c', cardinality: 11 }]);
    assert.deepEqual(plan.numericNames, []);
    assert.deepEqual(indices(plan, str('c', ['v0', 'v9', 'new'])), [1, 10, 0]);
  });

  it('maxCategories keeps only the most frequent', () => {
    const plan = fit(str('c', repeat({ a: 9, b: 8, c: 7 })), { maxCategories: 2 });
    assert.deepEqual(plan.categorical[0]!.vocabulary, ['a', 'b']);
  });

  it('most-frequent imputation sends missing values to the top category, unseen ones to unknown', () => {
    const plan = fit(str('c', repeat({ a: 2, b: 5 })), { categoricalImpute: 'most-frequent', minFrequency: 1 });
    assert.deepEqual(indices(plan, str('c', [null, '', 'a', 'unseen'])), [1, 1, 2, 0]);
  });

  it('fitting uses only the given rows', () => {
    const plan = fit(str('c', ['a', 'a', 'a', 'b', 'b', 'b']), { minFrequency: 1 }, 'categorical', [0, 1, 2]);
    assert.deepEqual(plan.categorical[0]!.vocabulary, ['a']);
  });

  it('a numeric column used as a category matches the same values read as strings', () => {
    const plan = fit(num('c', [10115, 10115, 80331, 80331, 1.5, 1.5]), { minFrequency: 2 });
    assert.deepEqual(plan.categorical[0]!.vocabulary, ['1.5', '10115', '80331']);
    assert.deepEqual(indices(plan, str('c', ['80331', '1.5', '99999'])), [3, 1, 0]);
    assert.deepEqual(indices(plan, num('c', [80331, 1.5, NaN])), [3, 1, 0]);
  });

  it('boolean columns are small vocabularies, one-hot', () => {
    const plan = fit(str('c', repeat({ yes: 4, no: 3 })), {}, 'boolean');
    assert.equal(plan.categorical[0]!.kind, 'boolean');
    assert.deepEqual(plan.numericNames, ['c=<unknown>', 'c=yes', 'c=no']);
  });

  it('a column whose categories are all rare is dropped with a reason', () => {
    const plan = fit(str('c', ['a', 'b', 'c']), { minFrequency: 2 });
    assert.equal(plan.categorical.length, 0);
    assert.match(plan.dropped[0]!.reason, /minFrequency/);
  });
});
