import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import * as polyhead from '../../src/index.js';
import { syntheticFiles } from '../support/synthetic-table.js';

test('the package entry exports the small public API, and it trains, loads and predicts', async () => {
  assert.deepEqual(Object.keys(polyhead).sort(), [
    'ARCHITECTURES', 'DataError', 'FUSION_METHODS', 'FeedError', 'GraphError', 'ModelError', 'OptionError', 'PRESETS', 'PolyheadError', 'PolyheadModel',
    'TrainingError', 'VERSION', 'evaluateModel', 'fuseModelFolders', 'inferSchema', 'readTable', 'trainModel',
  ]);
  const files = syntheticFiles(600, 100);
  const out = join(files.dir, 'api-model');
  const report = await polyhead.trainModel(files.train, out, { tasks: 'kind,flag', test: files.test, epochs: 2, hidden: [16], baseline: false, threads: 1 });
  assert.deepEqual(report.tasks, ['kind', 'flag']);
  const model = await polyhead.PolyheadModel.load(out);
  const predictions = await model.predict(await polyhead.readTable(files.test));
  assert.deepEqual(predictions.map((p) => p.task), ['kind', 'flag']);
  assert.equal(predictions[1]!.probabilities.length, 200);
  await model.release();
});
