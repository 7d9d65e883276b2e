/**
 * The feature plan on the real Adult census files: fitted on adult.data, applied to adult.test in
 * JS and through the ONNX fragment, which must agree.
 */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { describe, it } from 'node:test';
import { join } from 'node:path';
import { readTable } from '../../src/data/read.js';
import { DATA_DIR } from '../data/helpers.js';
import type { FeatureKind, Schema } from '../../src/data/schema.js';
import { encodeModel } from '../../src/graph/onnx-proto.js';
import { CompiledModel, makeTensor, tensorData } from '../../src/runtime/session.js';
import { applyFeaturePlan, featurePlanToOnnx, fitFeaturePlan, rawColumnValues, rawInputsOf } from '../../src/features/index.js';

const DIR = join(DATA_DIR, 'adult');
const available = existsSync(`${DIR}/adult.data`) && existsSync(`${DIR}/adult.test`);

// The files have no header; the reader names the columns c0..c14. c14 is the label.
const KINDS: FeatureKind[] = ['numeric', 'categorical', 'numeric', 'categorical', 'numeric', 'categorical', 'categorical', 'categorical', 'categorical', 'boolean', 'numeric', 'numeric', 'numeric', 'categorical'];
const schema: Schema = {
  features: KINDS.map((kind, i) => ({ name: `c${i}`, kind, missingRate: 0 })),
  excluded: [{ name: 'c14', kind: 'task', reason: 'the label' }],
  tasks: [],
  warnings: [],
};

describe('feature plan on the Adult census data', { skip: available ? false : `no Adult files in ${DIR}` }, () => {
  it('fits on adult.data, and JS and ONNX agree on all of adult.test', async () => {
    const train = await readTable(`${DIR}/adult.data`);
    const test = await readTable(`${DIR}/adult.test`);
    const plan = fitFeaturePlan(train, schema, Int32Array.from({ length: train.rowCount }, (_, i) => i));
    assert.deepEqual(plan.dropped, []);
    const workclass = plan.categorical.find((s) => s.column === 'c1')!;
    assert.equal(workclass.vocabulary[0], 'Private');
    assert.ok(!workclass.vocabulary.includes('?'), 'the reader turns ? into a missing value');
    assert.ok(plan.categoricalFields.some((f) => f.name === 'c13' && f.cardinality > 30), 'native-country is embedded');

    const started = performance.now();
    const js = applyFeaturePlan(plan, test);
    const jsMs = performance.now() - started;
    assert.equal(js.rowCount, test.rowCount);

    const inputs = rawInputsOf(plan).map((i) => ({ name: i.name, dtype: i.dtype, shape: ['batch', 1] }));
    const model = await CompiledModel.create(encodeModel({ name: 'adult-features', ...featurePlanToOnnx(plan) }), inputs);
    const feeds = Object.fromEntries(rawColumnValues(test, plan).map((c) => [c.name, makeTensor(c.dtype, c.values, [c.values.length, 1])]));
    const out = await model.run(feeds);
    await model.release();
    const numeric = tensorData(out['numeric']!) as Float32Array;
    const categorical = tensorData(out['categorical']!) as BigInt64Array;
    assert.equal(numeric.length, js.numeric.length);
    for (let k = 0; k < numeric.length; k++) {
      if (numeric[k] !== js.numeric[k]) assert.fail(`float ${k} (${plan.numericNames[k % js.numericWidth]}): ${js.numeric[k]} vs ${numeric[k]}`);
    }
    assert.deepEqual(Array.from(categorical, Number), Array.from(js.categorical));
    assert.ok(jsMs < 2000, `applying 16k rows took ${jsMs.toFixed(0)} ms`);
  });
});
