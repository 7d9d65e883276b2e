import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Schema } from '../../src/data/schema.js';
import type { Column, Table } from '../../src/data/table.js';
import { applyFeaturePlan, fitFeaturePlan, type FeatureOptions } from '../../src/features/index.js';
import { dayOfWeek, parseDates } from '../../src/features/datetime.js';

const str = (name: string, values: (string | null)[]): Column => {
  const dictionary = [...new Set(values.filter((v): v is string => v !== null))];
  return { type: 'string', name, dictionary, codes: Int32Array.from(values, (v) => (v === null ? -1 : dictionary.indexOf(v))) };
};
const tableOf = (values: (string | null)[]): Table => ({ source: 'test.csv', rowCount: values.length, columns: [str('d', values)] });
const schema: Schema = { features: [{ name: 'd', kind: 'datetime', missingRate: 0 }], excluded: [], tasks: [], warnings: [] };
const fit = (values: (string | null)[], options: FeatureOptions = {}) =>
  fitFeaturePlan(tableOf(values), schema, Int32Array.from(values.map((_, i) => i)), options);
const parse = (values: (string | null)[]) => {
  const column = str('d', values) as Extract<Column, { type: 'string' }>;
  return parseDates(column, Int32Array.from(values.map((_, i) => i)));
};

describe('datetime features', () => {
  it('dayOfWeek agrees with Date for every day of 1600..2400 sampled, leap days included', () => {
    for (let days = -135140; days < 157000; days += 13) {
      const date = new Date(days * 86400000);
      const expected = date.getUTCDay();
      assert.equal(dayOfWeek(date.getUTCFullYear(), date.getUTCMonth() + 1, date.getUTCDate()), expected, date.toISOString());
    }
    assert.equal(dayOfWeek(2024, 2, 29), 4);
    assert.equal(dayOfWeek(2000, 1, 1), 6);
  });

  it('reads ISO dates with T or space, optional seconds and zone; everything else is missing', () => {
    const parts = parse(['2024-03-15', '2024-03-15T10:20:30', '2024-03-15 23:59', '2023-12-31T00:00:00.5Z', '2020-02-29T12:00+05:30', '15/03/2024', '2024-13-01', '2024-03-15T24:00', '', null]);
    assert.deepEqual(Array.from(parts.year.slice(0, 5)), [2024, 2024, 2024, 2023, 2020]);
    assert.ok(Array.from(parts.year.slice(5)).every(Number.isNaN));
    assert.deepEqual(Array.from(parts.month), [3, 3, 3, 12, 2, 0, 0, 0, 0, 0]);
    assert.deepEqual(Array.from(parts.dayOfWeek.slice(0, 5)), [6, 6, 6, 1, 7]); // Fri, Fri, Fri, Sun, Sat (index = day + 1)
    assert.deepEqual(Array.from(parts.hour), [0, 11, 24, 1, 13, 0, 0, 0, 0, 0]);
  });

  it('fits the year like a numeric column and the parts as categories', () => {
    const plan = fit(['2020-01-01T08:00', '2022-06-15T09:30', '2024-12-31T23:00', 'junk']);
    const step = plan.datetime[0]!;
    assert.equal(step.year.fill, 2022);
    assert.equal(step.year.center, 2022);
    assert.equal(step.year.missingIndicator, true);
    assert.deepEqual(step.parts.map((p) => `${p.part}:${p.encoding}`), ['month:embedding', 'dayOfWeek:one-hot', 'hour:embedding']);
    assert.deepEqual(plan.categoricalFields, [{ name: 'd:month', cardinality: 13 }, { name: 'd:hour', cardinality: 25 }]);
    assert.deepEqual(plan.numericNames.slice(0, 4), ['d:year', 'd:year:missing', 'd:dayOfWeek=<unknown>', 'd:dayOfWeek=Sun']);
    const out = applyFeaturePlan(plan, tableOf(['2022-06-15T09:30', 'later']));
    assert.deepEqual(Array.from(out.categorical), [6, 10, 0, 0]);
    assert.deepEqual(Array.from(out.numeric.subarray(0, 2)), [0, 0]);
    assert.equal(out.numeric[plan.numericNames.indexOf('d:dayOfWeek=Wed')], 1);
    assert.equal(out.numeric[out.numericWidth + plan.numericNames.indexOf('d:year:missing')], 1);
  });

  it('no hour part when no training value has a time', () => {
    const plan = fit(['2020-01-01', '2021-01-01']);
    assert.deepEqual(plan.datetime[0]!.parts.map((p) => p.part), ['month', 'dayOfWeek']);
  });

  it('a column with no ISO date in the training rows is dropped', () => {
    const plan = fit(['01/02/2020', 'yesterday']);
    assert.equal(plan.datetime.length, 0);
    assert.match(plan.dropped[0]!.reason, /ISO 8601/);
  });
});
