/**
 * The key contract of the feature plan: the same raw rows through applyFeaturePlan (JS) and through
 * the ONNX fragment (onnxruntime) give the same numbers — floats within 1e-6 relative, ints exactly.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Schema } from '../../src/data/schema.js';
import type { Column, Table } from '../../src/data/table.js';
import { encodeModel } from '../../src/graph/onnx-proto.js';
import { CompiledModel, makeTensor, tensorData } from '../../src/runtime/session.js';
import {
  applyFeaturePlan,
  featurePlanToOnnx,
  fitFeaturePlan,
  rawColumnValues,
  rawInputsOf,
  type EncodedFeatures,
  type FeatureOptions,
  type FeaturePlan,
} from '../../src/features/index.js';

const num = (name: string, values: (number | null)[]): Column => ({
  type: 'number',
  name,
  values: Float64Array.from(values, (v) => v ?? NaN),
});
function str(name: string, values: (string | null)[]): Column {
  const dictionary: string[] = [];
  const index = new Map<string, number>();
  const codes = Int32Array.from(values, (v) => {
    if (v === null) return -1;
    if (!index.has(v)) index.set(v, dictionary.push(v) - 1);
    return index.get(v)!;
  });
  return { type: 'string', name, codes, dictionary };
}
const lengthOf = (c: Column) => (c.type === 'number' ? c.values.length : c.codes.length);
function tableOf(source: string, ...columns: Column[]): Table {
  const rowCount = lengthOf(columns[0]!);
  assert.ok(columns.every((c) => lengthOf(c) === rowCount), 'test table columns differ in length');
  return { source, rowCount, columns };
}

/** A small deterministic generator, so the training table is the same on every run. */
function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32);
}

const schema: Schema = {
  features: [
    { name: 'age', kind: 'numeric', missingRate: 0.1 },
    { name: 'income', kind: 'numeric', missingRate: 0 },
    { name: 'hours', kind: 'numeric', missingRate: 0 },
    { name: 'workclass', kind: 'categorical', missingRate: 0.05 },
    { name: 'city', kind: 'categorical', missingRate: 0 },
    { name: 'zip', kind: 'categorical', missingRate: 0 },
    { name: 'flag', kind: 'boolean', missingRate: 0 },
    { name: 'review', kind: 'text', missingRate: 0.05 },
    { name: 'when', kind: 'datetime', missingRate: 0.05 },
  ],
  excluded: [],
  tasks: [],
  warnings: [],
};

// Non-ASCII capitals and a tab inside a "word" make the tokenizer's exact rules matter.
const WORDS = ['good', 'bad', 'Great', 'food', 'service', 'slow', 'FAST', 'price', 'the', 'was', 'very', 'not', 'ÉCOLE', 'tab\tbed'];
const CITIES = Array.from({ length: 14 }, (_, i) => `city${i}`);

function trainingTable(n: number): Table {
  const r = lcg(7);
  const pick = <T>(xs: T[]) => xs[Math.floor(r() * xs.length)]!;
  const rows = Array.from({ length: n }, (_, i) => ({
    age: r() < 0.1 ? null : Math.round(18 + r() * 60),
    income: 1000 + r() * 99000,
    hours: Math.round(r() * 80),
    workclass: r() < 0.05 ? null : pick(['Private', 'Self-emp', 'Gov', 'Never-worked']),
    city: pick(CITIES),
    zip: pick([10115, 20095, 80331, 50667]),
    flag: r() < 0.5 ? 'yes' : 'no',
    review: r() < 0.05 ? null : Array.from({ length: 1 + Math.floor(r() * 6) }, () => pick(WORDS)).join(' '),
    when: r() < 0.05 ? null : `20${10 + (i % 15)}-${String(1 + (i % 12)).padStart(2, '0')}-${String(1 + (i % 28)).padStart(2, '0')}${i % 3 === 0 ? '' : `T${String(i % 24).padStart(2, '0')}:30:00`}`,
  }));
  return tableOf(
    'train.csv',
    num('age', rows.map((x) => x.age)),
    num('income', rows.map((x) => x.income)),
    num('hours', rows.map((x) => x.hours)),
    str('workclass', rows.map((x) => x.workclass)),
    str('city', rows.map((x) => x.city)),
    num('zip', rows.map((x) => x.zip)),
    str('flag', rows.map((x) => x.flag)),
    str('review', rows.map((x) => x.review)),
    str('when', rows.map((x) => x.when)),
  );
}

/** Awkward rows: missing, unseen, non-finite, huge, odd text and dates; `hours` arrives as strings. */
function awkwardTable(): Table {
  const age = [NaN, Infinity, -Infinity, 1e300, -1e300, 1e-40, 0, 35, 17.25, 99, 1e6, -0, 42, NaN, 61.5];
  const n = age.length;
  const cycle = <T>(xs: T[]) => Array.from({ length: n }, (_, i) => xs[i % xs.length]!);
  return tableOf(
    'test.csv',
    num('age', age),
    num('income', cycle([NaN, 5e4, 3.4e38, -3.5e38, 12345.678, 0])),
    str('hours', cycle(['40', ' 38.5 ', 'n/a', '', null, '1e3', 'inf', '-Infinity', '0x10', '7 hours', '-2', '.5', '3.', 'NaN'])),
    str('workclass', cycle(['Private', 'Unseen', null, '', 'private', 'Gov', ' Gov', 'Never-worked'])),
    str('city', cycle(['city3', 'city13', 'nowhere', null, 'city0', ''])),
    num('zip', cycle([10115, 99999, NaN, 80331, 10115.5])),
    str('flag', cycle(['yes', 'no', 'YES', null, ''])),
    str('review', [
      'GOOD food!!',
      '',
      null,
      '   very   slow    service  ',
      'the\tfood\nwas good',
      'Ünïcode GREAT ÉCOLE école École fast',
      'TAB\tBED tab bed',
      'not not not bad bad',
      'unseenword another',
      '!!! ??? ...',
      'Great',
      'price price price price price price price price',
      'the food was very good the food was very good',
      ' ',
      'FAST service, GOOD price.',
    ]),
    str('when', [
      '2024-03-15',
      '2024-03-15T10:20:30',
      '2024-03-15 23:59',
      '2023-12-31T00:00:00.123Z',
      '2020-02-29T12:00+05:30',
      '1999-01-01T05:06:07-0800',
      'not a date',
      '',
      null,
      '2024-13-01',
      '2024-3-5',
      '0000-01-01',
      '9999-12-31T23:59:59',
      '2024-03-15T25:00',
      '2024-02-30',
    ]),
  );
}

async function runOnnx(plan: FeaturePlan, table: Table, rows?: Int32Array): Promise<{ numeric?: Float32Array; categorical?: BigInt64Array }> {
  const fragment = featurePlanToOnnx(plan);
  const bytes = encodeModel({ name: 'features', ...fragment });
  const inputs = rawInputsOf(plan).map((i) => ({ name: i.name, dtype: i.dtype, shape: ['batch', 1] }));
  const model = await CompiledModel.create(bytes, inputs);
  const feeds = Object.fromEntries(
    rawColumnValues(table, plan, rows).map((c) => [c.name, makeTensor(c.dtype, c.values, [c.values.length, 1])]),
  );
  const out = await model.run(feeds);
  await model.release();
  return {
    ...(out['numeric'] ? { numeric: tensorData(out['numeric']) as Float32Array } : {}),
    ...(out['categorical'] ? { categorical: tensorData(out['categorical']) as BigInt64Array } : {}),
  };
}

function assertSame(plan: FeaturePlan, js: EncodedFeatures, onnx: { numeric?: Float32Array; categorical?: BigInt64Array }): void {
  const width = js.numericWidth;
  assert.equal(onnx.numeric?.length ?? 0, js.numeric.length, 'float block sizes differ');
  for (let k = 0; k < js.numeric.length; k++) {
    const a = js.numeric[k]!;
    const b = onnx.numeric![k]!;
    const ok = a === b || Math.abs(a - b) <= 1e-6 * Math.max(Math.abs(a), Math.abs(b));
    if (!ok) assert.fail(`row ${Math.floor(k / width)} column '${plan.numericNames[k % width]}': JS ${a} vs ONNX ${b}`);
  }
  const fields = plan.categoricalFields.length;
  assert.equal(onnx.categorical?.length ?? 0, js.categorical.length, 'int block sizes differ');
  for (let k = 0; k < js.categorical.length; k++) {
    const field = plan.categoricalFields[k % fields]!;
    assert.equal(Number(onnx.categorical![k]), js.categorical[k], `row ${Math.floor(k / fields)} field '${field.name}'`);
  }
}

const train = trainingTable(400);
const trainRows = Int32Array.from({ length: 300 }, (_, i) => i);

const configurations: [string, FeatureOptions][] = [
  ['defaults', {}],
  ['scaled, robust, most-frequent, counts, no bigrams', { numericEncoding: 'scaled', scaling: 'robust', categoricalImpute: 'most-frequent', textWeighting: 'count', textBigrams: false, textBuckets: 16, clip: 3 }],
  ['scaled, everything embedded', { numericEncoding: 'scaled', oneHotMaxCardinality: 0, missingIndicator: 'always', scaling: 'none' }],
  ['everything one-hot', { oneHotMaxCardinality: 100, missingIndicator: 'never', minFrequency: 1 }],
  ['piecewise-linear, 3 bins, robust, indicators always, clip 0.7', { numericBins: 3, scaling: 'robust', missingIndicator: 'always', clip: 0.7 }],
  ['piecewise-linear, 256 bins', { numericBins: 256 }],
];

describe('feature plan: JS and ONNX agree', () => {
  for (const [label, options] of configurations) {
    it(`${label}: awkward test rows`, async () => {
      const plan = fitFeaturePlan(train, schema, trainRows, options);
      assert.equal(plan.dropped.length, 0, JSON.stringify(plan.dropped));
      const test = awkwardTable();
      const js = applyFeaturePlan(plan, test);
      assert.equal(js.rowCount, test.rowCount);
      assertSame(plan, js, await runOnnx(plan, test));
    });
  }

  it('defaults: the training rows themselves', async () => {
    const plan = fitFeaturePlan(train, schema, trainRows);
    assertSame(plan, applyFeaturePlan(plan, train), await runOnnx(plan, train));
  });

  it('batches of one row and of no rows (string ops refuse empty input; the fragment pads a row)', async () => {
    const plan = fitFeaturePlan(train, schema, trainRows);
    const test = awkwardTable();
    for (const rows of [Int32Array.of(4), new Int32Array(0)]) {
      const js = applyFeaturePlan(plan, test, rows);
      assert.equal(js.rowCount, rows.length);
      assertSame(plan, js, await runOnnx(plan, test, rows));
    }
  });

  it('a plan with only string features has no numeric-column inputs and still agrees', async () => {
    const only: Schema = { ...schema, features: schema.features.filter((f) => f.name === 'city') };
    const plan = fitFeaturePlan(train, only, trainRows);
    assert.deepEqual(rawInputsOf(plan), [{ name: 'city', dtype: 'string' }]);
    assert.equal(plan.numericNames.length, 0);
    const fragment = featurePlanToOnnx(plan);
    assert.deepEqual(fragment.outputs.map((o) => o.name), ['categorical']);
    const test = awkwardTable();
    assertSame(plan, applyFeaturePlan(plan, test), await runOnnx(plan, test));
  });

  it('piecewise-linear next to a constant column that stays scaled: edges, between, outside, non-finite', async () => {
    const only: Schema = { ...schema, features: [{ name: 'c', kind: 'numeric', missingRate: 0 }, ...schema.features.slice(0, 3)] };
    const withConstant = { ...train, columns: [...train.columns, num('c', new Array<number>(train.rowCount).fill(3))] };
    const plan = fitFeaturePlan(withConstant, only, trainRows, { numericBins: 5 });
    assert.equal(plan.numeric[0]!.edges, undefined);
    const ageEdges = plan.numeric[1]!.edges!;
    const probes = [...ageEdges, ...ageEdges.slice(1).map((e, t) => (e + ageEdges[t]!) / 2), -5, 200, NaN, Infinity, -Infinity, 3.4e38, -3.4e38, 1e-45];
    const column = (name: string, k: number) => num(name, probes.map((_, i) => probes[(i + k) % probes.length]!));
    const test = tableOf('probes.csv', column('c', 3), column('age', 0), column('income', 5), column('hours', 9));
    assertSame(plan, applyFeaturePlan(plan, test), await runOnnx(plan, test));
  });

  it('a batch whose texts are all empty gives zero buckets in both paths', async () => {
    const only: Schema = { ...schema, features: schema.features.filter((f) => f.name === 'review') };
    const plan = fitFeaturePlan(train, only, trainRows);
    const empty = tableOf('empty.csv', str('review', ['', null, '   ']));
    const js = applyFeaturePlan(plan, empty);
    assert.ok(js.numeric.every((v) => v === 0));
    assertSame(plan, js, await runOnnx(plan, empty));
  });
});
