/**
 * The tree view of the feature plan: treeInputs (JS) and the treeInputsToOnnx fragment
 * (onnxruntime) give the same numbers for the same raw rows — on the bundled Adult files and on a
 * table with every kind of column, missing values, unseen categories and odd text and dates.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { readTable } from '../../src/data/read.js';
import { inferSchema } from '../../src/data/infer.js';
import type { Schema } from '../../src/data/schema.js';
import type { Column, Table } from '../../src/data/table.js';
import { encodeModel } from '../../src/graph/onnx-proto.js';
import { CompiledModel, makeTensor, tensorData } from '../../src/runtime/session.js';
import { fitFeaturePlan, rawColumnValues, rawInputsOf, treeInputs, treeInputsToOnnx, type FeaturePlan } from '../../src/features/index.js';
import { PACKAGE_ROOT } from '../../src/version.js';

async function onnxInputs(plan: FeaturePlan, table: Table): Promise<Float32Array> {
  const bytes = encodeModel({ name: 'tree-inputs', ...treeInputsToOnnx(plan) });
  const model = await CompiledModel.create(bytes, rawInputsOf(plan).map((i) => ({ name: i.name, dtype: i.dtype, shape: ['batch', 1] })));
  const feeds = Object.fromEntries(rawColumnValues(table, plan, undefined).map((c) => [c.name, makeTensor(c.dtype, c.values, [c.values.length, 1])]));
  const out = await model.run(feeds);
  await model.release();
  return tensorData(out['tree-inputs']!) as Float32Array;
}

async function assertParity(plan: FeaturePlan, table: Table): Promise<void> {
  const js = treeInputs(plan, table);
  const onnx = await onnxInputs(plan, table);
  const f = js.features.length;
  assert.equal(onnx.length, js.rowCount * f);
  for (let i = 0; i < js.rowCount; i++) {
    for (let j = 0; j < f; j++) {
      const a = js.columns[j]![i]!;
      const b = onnx[i * f + j]!;
      if (!(Object.is(a, b) || a === b || (a !== a && b !== b))) assert.fail(`row ${i} feature '${js.features[j]!.name}': JS ${a} vs ONNX ${b}`);
    }
  }
}

const num = (name: string, values: number[]): Column => ({ type: 'number', name, values: Float64Array.from(values) });
function str(name: string, values: (string | null)[]): Column {
  const dictionary = [...new Set(values.filter((v): v is string => v !== null))];
  return { type: 'string', name, dictionary, codes: Int32Array.from(values, (v) => (v === null ? -1 : dictionary.indexOf(v))) };
}
const tableOf = (source: string, columns: Column[]): Table => ({ source, rowCount: columns[0]!.type === 'number' ? columns[0]!.values.length : columns[0]!.codes.length, columns });

const schema: Schema = {
  features: [
    { name: 'age', kind: 'numeric', missingRate: 0.1 },
    { name: 'city', kind: 'categorical', missingRate: 0.1 },
    { name: 'flag', kind: 'boolean', missingRate: 0 },
    { name: 'review', kind: 'text', missingRate: 0.1 },
    { name: 'when', kind: 'datetime', missingRate: 0.1 },
  ],
  excluded: [],
  tasks: [],
  warnings: [],
};

function everyKind(n: number, odd: boolean): Table {
  const at = <T>(xs: T[], i: number) => xs[(i * 7 + 3) % xs.length]!;
  const ids = Array.from({ length: n }, (_, i) => i);
  return tableOf(odd ? 'odd.csv' : 'train.csv', [
    num('age', ids.map((i) => (i % 9 === 0 ? NaN : odd && i % 5 === 1 ? 1e30 : 18 + ((i * 13) % 60) + 0.25))),
    str('city', ids.map((i) => (i % 11 === 0 ? null : odd && i % 4 === 0 ? 'nowhere' : at(['a', 'b', 'c', 'd', 'rare' + (i % 50)], i)))),
    str('flag', ids.map((i) => (odd && i % 6 === 0 ? '' : i % 2 ? 'yes' : 'no'))),
    str('review', ids.map((i) => (i % 10 === 0 ? null : at(['good food', 'BAD service slow', 'good good good', 'the price', odd ? 'unseen WORDS here' : 'fast'], i)))),
    str('when', ids.map((i) => (i % 12 === 0 ? null : odd && i % 5 === 0 ? 'not a date' : `20${10 + (i % 15)}-${String(1 + (i % 12)).padStart(2, '0')}-${String(1 + (i % 28)).padStart(2, '0')}${i % 3 ? 'T10:30' : ''}`))),
  ]);
}

describe('tree inputs: JS and ONNX agree', () => {
  it('every kind of column, missing values, unseen categories and tokens, bad dates', async () => {
    const train = everyKind(300, false);
    const plan = fitFeaturePlan(train, schema, Int32Array.from({ length: 300 }, (_, i) => i), { minFrequency: 5 });
    const features = treeInputs(plan, train).features;
    assert.deepEqual(features.filter((f) => f.kind === 'categorical').map((f) => f.name), ['city', 'flag', 'when:month', 'when:dayOfWeek', 'when:hour']);
    const test = everyKind(120, true);
    const view = treeInputs(plan, test);
    assert.ok(view.columns[0]!.some((v) => Number.isNaN(v)), 'missing ages stay NaN (no imputation)');
    assert.ok(view.columns[0]!.some((v) => v > 1e29), 'raw values are not scaled or clipped');
    assert.ok(view.columns[1]!.some((v) => v === 0), 'unseen cities go to the unknown code 0');
    await assertParity(plan, train);
    await assertParity(plan, test);
  });

  it('on the bundled Adult files', async () => {
    const train = await readTable(`${PACKAGE_ROOT}/assets/adult-train.csv.gz`);
    const test = await readTable(`${PACKAGE_ROOT}/assets/adult-test.csv.gz`);
    const s = inferSchema(train, { tasks: 'income,relationship' });
    const plan = fitFeaturePlan(train, s, Int32Array.from({ length: train.rowCount }, (_, i) => i));
    const view = treeInputs(plan, test);
    assert.equal(view.features.length, plan.numeric.length + plan.categorical.length);
    await assertParity(plan, test);
  });
});
