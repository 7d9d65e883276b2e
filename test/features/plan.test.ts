import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Schema } from '../../src/data/schema.js';
import type { Column, Table } from '../../src/data/table.js';
import { DataError, GraphError, ModelError, OptionError } from '../../src/errors.js';
import { encodeModel } from '../../src/graph/onnx-proto.js';
import {
  applyFeaturePlan,
  featurePlanToOnnx,
  fitFeaturePlan,
  parsePlan,
  PLAN_VERSION,
  rawColumnValues,
  rawInputsOf,
  resolveFeatureOptions,
  savePlan,
} from '../../src/features/index.js';

const num = (name: string, values: (number | null)[]): Column => ({ type: 'number', name, values: Float64Array.from(values, (v) => v ?? NaN) });
const str = (name: string, values: (string | null)[]): Column => {
  const dictionary = [...new Set(values.filter((v): v is string => v !== null))];
  return { type: 'string', name, dictionary, codes: Int32Array.from(values, (v) => (v === null ? -1 : dictionary.indexOf(v))) };
};
const tableOf = (...columns: Column[]): Table => ({ source: 'test.csv', rowCount: columns[0]!.type === 'number' ? columns[0]!.values.length : columns[0]!.codes.length, columns });

const N = 60;
const table = tableOf(
  num('age', Array.from({ length: N }, (_, i) => (i % 7 === 0 ? null : 20 + ((i * 13) % 50)))),
  str('color', Array.from({ length: N }, (_, i) => ['red', 'green', 'blue', null][i % 4]!)),
  str('city', Array.from({ length: N }, (_, i) => `c${i % 12}`)),
  str('note', Array.from({ length: N }, (_, i) => ['Nice day', 'bad day', 'nice nice', ''][i % 4]!)),
  str('when', Array.from({ length: N }, (_, i) => `2024-0${1 + (i % 9)}-1${i % 10}T0${i % 10}:00`)),
  str('label', Array.from({ length: N }, (_, i) => (i % 2 ? 'yes' : 'no'))),
);
const schema: Schema = {
  features: [
    { name: 'age', kind: 'numeric', missingRate: 0 },
    { name: 'color', kind: 'categorical', missingRate: 0 },
    { name: 'city', kind: 'categorical', missingRate: 0 },
    { name: 'note', kind: 'text', missingRate: 0 },
    { name: 'when', kind: 'datetime', missingRate: 0 },
  ],
  excluded: [{ name: 'label', kind: 'task', reason: 'a task' }],
  tasks: [],
  warnings: [],
};
const rows = Int32Array.from({ length: 40 }, (_, i) => i);
const plan = fitFeaturePlan(table, schema, rows);

describe('feature plan: JSON, layout and errors', () => {
  it('JSON round trip gives identical outputs and identical ONNX bytes', () => {
    const loaded = parsePlan(savePlan(plan));
    assert.deepEqual(loaded, plan);
    const a = applyFeaturePlan(plan, table);
    const b = applyFeaturePlan(loaded, table);
    assert.deepEqual(b.numeric, a.numeric);
    assert.deepEqual(b.categorical, a.categorical);
    const bytes = (p: typeof plan) => encodeModel({ name: 'f', ...featurePlanToOnnx(p) });
    assert.deepEqual(bytes(loaded), bytes(plan));
  });

  it('layout: one name per float column, one field per int column, task columns left out', () => {
    const out = applyFeaturePlan(plan, table);
    assert.equal(out.numericWidth, plan.numericNames.length);
    assert.equal(out.numeric.length, N * out.numericWidth);
    assert.equal(out.categorical.length, N * plan.categoricalFields.length);
    assert.deepEqual(plan.categoricalFields.map((f) => f.name), ['city', 'when:month', 'when:hour']);
    assert.equal(new Set(plan.numericNames).size, plan.numericNames.length);
    assert.ok(!rawInputsOf(plan).some((i) => i.name === 'label'));
    const bins = plan.numeric[0]!.edges!.length - 1;
    const age = Array.from({ length: bins }, (_, t) => `age:ple#${t}`);
    assert.deepEqual(plan.numericNames.slice(0, bins + 2), [...age, 'age:missing', 'color=<unknown>']);
  });

  it('applying a subset of rows gives the same rows as applying all', () => {
    const all = applyFeaturePlan(plan, table);
    const some = applyFeaturePlan(plan, table, Int32Array.from([5, 17, 3]));
    const w = all.numericWidth;
    const f = plan.categoricalFields.length;
    [5, 17, 3].forEach((r, i) => {
      assert.deepEqual(some.numeric.subarray(i * w, (i + 1) * w), all.numeric.subarray(r * w, (r + 1) * w));
      assert.deepEqual(some.categorical.subarray(i * f, (i + 1) * f), all.categorical.subarray(r * f, (r + 1) * f));
    });
  });

  it('parsePlan refuses other versions, other formats, broken JSON and inconsistent plans', () => {
    const json = JSON.parse(savePlan(plan)) as Record<string, unknown>;
    const refused = (value: unknown, code: string, message: RegExp) =>
      assert.throws(() => parsePlan(value), (e: unknown) => e instanceof ModelError && e.code === code && message.test(e.message));
    refused({ ...json, version: PLAN_VERSION + 1 }, 'plan-version', /version 2 cannot be read.*version 1/);
    refused({ ...json, version: undefined }, 'plan-version', /version undefined/);
    refused({ ...json, format: 'something-else' }, 'plan-format', /not a feature plan/);
    refused('{"format": ', 'plan-invalid', /not JSON/);
    refused({ ...json, numericNames: ['x'] }, 'plan-invalid', /numericNames do not match/);
    refused({ ...json, trainingRows: -1 }, 'plan-invalid', /trainingRows/);
    refused({ ...json, extra: 1 }, 'plan-invalid', /extra|Unrecognized/i);
    const text = (json['text'] as Record<string, unknown>[])[0]!;
    refused({ ...json, text: [{ ...text, tokenBuckets: (text['tokenBuckets'] as number[]).map(() => 999) }] }, 'plan-invalid', /tokenBuckets/);
  });

  it('options are validated once, naming the bad option', () => {
    assert.throws(
      () => resolveFeatureOptions({ textBuckets: 0 }),
      (e: unknown) => e instanceof OptionError && e.code === 'feature-option' && /'textBuckets'.*got 0/.test(e.message),
    );
    assert.throws(() => resolveFeatureOptions({ scaling: 'minmax' as 'standard' }), /'scaling'/);
    assert.throws(() => resolveFeatureOptions({ clipp: 3 } as object), /clipp/);
    assert.equal(resolveFeatureOptions({ clip: 3, textBuckets: undefined }).textBuckets, 64);
  });

  it('a missing column is a DataError naming it, at fit and at apply time', () => {
    const without = { ...table, columns: table.columns.filter((c) => c.name !== 'color') };
    const isMissing = (e: unknown) => e instanceof DataError && e.code === 'missing-column' && /column 'color'/.test(e.message) && e.location.file === 'test.csv';
    assert.throws(() => applyFeaturePlan(plan, without), isMissing);
    assert.throws(() => fitFeaturePlan(without, schema, rows), isMissing);
    assert.throws(() => rawColumnValues(without, plan), isMissing);
  });

  it('rows outside the table, an empty training set and a feature listed twice are refused', () => {
    assert.throws(() => applyFeaturePlan(plan, table, Int32Array.from([0, N])), (e: unknown) => e instanceof OptionError && e.code === 'row-out-of-range');
    assert.throws(() => fitFeaturePlan(table, schema, new Int32Array(0)), (e: unknown) => e instanceof OptionError && e.code === 'no-training-rows');
    const twice: Schema = { ...schema, features: [...schema.features, { name: 'age', kind: 'categorical', missingRate: 0 }] };
    assert.throws(() => fitFeaturePlan(table, twice, rows), (e: unknown) => e instanceof OptionError && e.code === 'duplicate-feature');
  });

  it('ONNX fragment: deterministic, unique prefixed node names, raw inputs, declared outputs', () => {
    const a = featurePlanToOnnx(plan);
    assert.deepEqual(encodeModel({ name: 'f', ...featurePlanToOnnx(plan) }), encodeModel({ name: 'f', ...a }));
    const names = a.nodes.map((n) => n.name!);
    assert.equal(new Set(names).size, names.length);
    assert.ok(names.every((n) => n.startsWith('fp/')), names.find((n) => !n.startsWith('fp/')));
    const produced = a.nodes.flatMap((n) => n.output!);
    assert.equal(new Set(produced).size, produced.length);
    assert.deepEqual(a.inputs.map((i) => i.name), ['age', 'color', 'city', 'note', 'when']);
    assert.deepEqual(a.outputs.map((o) => o.name), ['numeric', 'categorical']);
    assert.ok(a.nodes.filter((n) => ['LabelEncoder', 'Imputer', 'Scaler'].includes(n.opType!)).every((n) => n.domain === 'ai.onnx.ml'));
  });

  it('a column named like an output is refused unless the outputs are renamed', () => {
    const clash = tableOf(num('numeric', [1, 2, 3]));
    const clashSchema: Schema = { ...schema, features: [{ name: 'numeric', kind: 'numeric', missingRate: 0 }] };
    const p = fitFeaturePlan(clash, clashSchema, Int32Array.from([0, 1, 2]));
    assert.throws(() => featurePlanToOnnx(p), (e: unknown) => e instanceof GraphError && e.code === 'name-clash');
    assert.deepEqual(featurePlanToOnnx(p, { numericOutput: 'features' }).outputs.map((o) => o.name), ['features']);
  });

  it('rawColumnValues converts as the JS path does: NaN and "" for missing', () => {
    const raw = rawColumnValues(table, plan, Int32Array.from([0, 3]));
    const age = raw.find((r) => r.name === 'age')!;
    const color = raw.find((r) => r.name === 'color')!;
    assert.equal(age.dtype, 'float32');
    assert.ok(Number.isNaN(age.values[0] as number));
    assert.deepEqual(color.values, ['red', '']);
  });
});
