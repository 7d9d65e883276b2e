import assert from 'node:assert/strict';
import { readFileSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { PolyheadModel } from '../../src/bundle/model.js';
import { readTable } from '../../src/data/read.js';
import { ModelError, OptionError, TrainingError } from '../../src/errors.js';
import { trainModel } from '../../src/pipeline/train-model.js';
import { syntheticFiles } from '../support/synthetic-table.js';

const files = syntheticFiles();
const base = { tasks: 'kind,flag', test: files.test, epochs: 6, batchSize: 32, lr: 0.01, hidden: [32, 16], towerHidden: [8], baseline: false, threads: 1 };

test('training writes a model folder whose ONNX predictions match the in-training evaluation', async () => {
  const out = join(files.dir, 'model-a');
  const report = await trainModel(files.train, out, base);
  assert.ok(report.test, 'test metrics are reported');
  assert.ok(report.test.kind!.accuracy! > 0.75, `kind accuracy ${report.test.kind!.accuracy}`);
  assert.ok(report.test.flag!.auc! > 0.8, `flag auc ${report.test.flag!.auc}`);

  const model = await PolyheadModel.load(out);
  const table = await readTable(files.test);
  const predictions = await model.predict(table);
  const meta = JSON.parse(readFileSync(join(out, 'model.json'), 'utf8'));
  // The metrics saved from the in-training evaluation graph are recomputed from the ONNX model's probabilities.
  const { evaluateModel } = await import('../../src/bundle/evaluate-model.js');
  const again = await evaluateModel(model, table);
  for (const t of again.tasks) {
    const saved = meta.metrics.evaluation.find((e: { task: string }) => e.task === t.evaluation.task).metrics;
    const now = t.evaluation.metrics as unknown as Record<string, number>;
    for (const k of ['accuracy', 'macroF1', 'logLoss']) assert.ok(Math.abs(saved[k] - now[k]!) < 1e-5, `${t.evaluation.task} ${k}: ${saved[k]} vs ${now[k]}`);
  }
  assert.equal(predictions[0]!.labels.length, table.rowCount);
  assert.ok((predictions[0]!.labels as string[]).every((l) => ['low', 'mid', 'high'].includes(l)));
  await model.release();
});

test('the same data, options and seed give the same model bytes; another seed does not', async () => {
  const a = join(files.dir, 'model-r1');
  const b = join(files.dir, 'model-r2');
  const c = join(files.dir, 'model-r3');
  await trainModel(files.train, a, { ...base, epochs: 2 });
  await trainModel(files.train, b, { ...base, epochs: 2 });
  await trainModel(files.train, c, { ...base, epochs: 2, seed: 7 });
  assert.deepEqual(readFileSync(join(a, 'model.onnx')), readFileSync(join(b, 'model.onnx')));
  assert.notDeepEqual(readFileSync(join(a, 'model.onnx')), readFileSync(join(c, 'model.onnx')));
});

test('an unknown architecture is refused with the valid names, before any work', async () => {
  const out = join(files.dir, 'model-bad');
  await assert.rejects(trainModel(files.train, out, { ...base, arch: 'transformer' }), (e: unknown) => e instanceof OptionError && /transformer/.test(e.message) && /shared-bottom/.test(e.message) && /mmoe/.test(e.message));
  await assert.rejects(trainModel(files.train, out, { ...base, epochs: 0 }), (e: unknown) => e instanceof OptionError && /epochs/.test(e.message));
  assert.equal(existsSync(out), false);
});

test('a diverging run stops with the epoch and step and suggests a lower rate, writing nothing', async () => {
  const out = join(files.dir, 'model-nan');
  await assert.rejects(
    trainModel(files.train, out, { ...base, optimizer: 'sgd', lr: 1e30 }),
    (e: unknown) => e instanceof TrainingError && /epoch \d+, step \d+/.test(e.message) && /lower learning rate/.test(e.message),
  );
  assert.equal(existsSync(out), false);
});

test('a model folder whose ONNX file changed, or of another format version, is refused', async () => {
  const out = join(files.dir, 'model-t');
  await trainModel(files.train, out, { ...base, epochs: 1 });
  const onnxPath = join(out, 'model.onnx');
  const bytes = readFileSync(onnxPath);
  bytes[bytes.length - 1] ^= 0xff;
  writeFileSync(onnxPath, bytes);
  await assert.rejects(PolyheadModel.load(out), (e: unknown) => e instanceof ModelError && /sha256/.test(e.message));
  bytes[bytes.length - 1] ^= 0xff;
  writeFileSync(onnxPath, bytes);
  const jsonPath = join(out, 'model.json');
  const meta = JSON.parse(readFileSync(jsonPath, 'utf8'));
  writeFileSync(jsonPath, JSON.stringify({ ...meta, formatVersion: 99, polyheadVersion: '9.0.0' }));
  await assert.rejects(PolyheadModel.load(out), (e: unknown) => e instanceof ModelError && /format 99/.test(e.message) && /9\.0\.0/.test(e.message));
});
