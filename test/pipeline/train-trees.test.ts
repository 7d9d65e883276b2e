/**
 * Boosted-trees members through the library API, on the bundled Adult files: the saved ONNX model
 * predicts what the JS predictor predicts from the saved trees, the same seed gives the same bytes,
 * bad tree options are refused before any work, and --resume trains again without breaking.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { PolyheadModel } from '../../src/bundle/model.js';
import { readTable } from '../../src/data/read.js';
import { OptionError } from '../../src/errors.js';
import { parsePlan, treeInputs } from '../../src/features/index.js';
import { trainModel } from '../../src/pipeline/train-model.js';
import { predictProbabilities } from '../../src/trees/predict.js';
import { parseEnsemble } from '../../src/trees/serialize.js';
import { PACKAGE_ROOT } from '../../src/version.js';
import { DATA_DIR } from '../data/helpers.js';

const TRAIN = join(PACKAGE_ROOT, 'assets', 'adult-train.csv.gz');
const TEST = join(PACKAGE_ROOT, 'assets', 'adult-test.csv.gz');
const dir = mkdtempSync(join(tmpdir(), 'polyhead-trees-'));
const base = { tasks: 'income,relationship', test: TEST, rounds: 4, leaves: 8, threads: 1 };

test('gbdt: the saved ONNX model gives the JS predictor\'s probabilities; model.json has trees, rounds and importance', async () => {
  const out = join(dir, 'gbdt');
  const report = await trainModel(TRAIN, out, { ...base, arch: 'gbdt' });
  assert.equal(report.unit, 'round');
  assert.equal(report.baselineArch, 'gbdt-per-task');
  assert.equal(typeof report.deltaM, 'number');
  assert.ok(report.test!.income!.auc! > 0.8, `income auc ${report.test!.income!.auc}`);
  assert.ok(report.topFeatures!.relationship!.length > 0);

  const meta = JSON.parse(readFileSync(join(out, 'model.json'), 'utf8'));
  assert.equal(meta.trees.mode, 'shared');
  assert.equal(meta.trees.trees, meta.trees.bestRound);
  assert.equal(meta.training.history.length, report.epochs);
  assert.deepEqual(meta.trees.importance.income.map((f: { feature: string }) => f.feature).sort(), parsePlan(meta.plan).numeric.map((s) => s.column).concat(parsePlan(meta.plan).categorical.map((s) => s.column)).sort());

  const table = await readTable(TEST);
  const model = await PolyheadModel.load(out);
  const onnx = await model.predict(table);
  await model.release();
  const js = predictProbabilities(parseEnsemble(meta.trees.ensemble), treeInputs(parsePlan(meta.plan), table));
  js.forEach((p, t) => {
    assert.equal(onnx[t]!.probabilities.length, p.length);
    let worst = 0;
    for (let i = 0; i < p.length; i++) worst = Math.max(worst, Math.abs(onnx[t]!.probabilities[i]! - p[i]!));
    assert.ok(worst <= 1e-5, `task ${t}: largest difference ${worst}`);
  });
});

test('gbdt-per-task: the same data, options and seed give the same model bytes', async () => {
  const [a, b] = [join(dir, 'pt-a'), join(dir, 'pt-b')];
  const report = await trainModel(TRAIN, a, { ...base, arch: 'gbdt-per-task' });
  await trainModel(TRAIN, b, { ...base, arch: 'gbdt-per-task' });
  assert.equal(report.deltaM, undefined, 'gbdt-per-task is its own single-task baseline');
  assert.deepEqual(readFileSync(join(a, 'model.onnx')), readFileSync(join(b, 'model.onnx')));
});

test('bad tree options are refused with the option named, before any work', async () => {
  const out = join(dir, 'bad');
  for (const [option, value] of [['maxBins', 1000], ['leaves', 1], ['treeLr', 0], ['rounds', 2.5], ['minLeaf', -1], ['minHessian', -1], ['minHessian', 0], ['l2', -1]] as const) {
    await assert.rejects(trainModel(TRAIN, out, { ...base, arch: 'gbdt', [option]: value }), (e: unknown) => e instanceof OptionError && e.message.includes(option), option);
  }
  await assert.rejects(trainModel(TRAIN, out, { ...base, arch: 'mmoe' }), (e: unknown) => e instanceof OptionError && e.code === 'tree-option-without-trees' && /--rounds/.test(e.message));
  assert.equal(existsSync(out), false);
});

test('resume on a trees run trains again and writes the same model', async () => {
  const [a, b] = [join(dir, 'r-a'), join(dir, 'r-b')];
  await trainModel(TRAIN, a, { ...base, arch: 'gbdt', baseline: false });
  await trainModel(TRAIN, b, { ...base, arch: 'gbdt', baseline: false }, { resume: true });
  assert.deepEqual(readFileSync(join(a, 'model.onnx')), readFileSync(join(b, 'model.onnx')));
});

const EMOTIONS = join(DATA_DIR, 'emotions');
test('one multi-label task: shared trees are still compared with one tree per label', { skip: existsSync(`${EMOTIONS}/emotions-train.arff`) ? false : 'no emotions files' }, async () => {
  const report = await trainModel(`${EMOTIONS}/emotions-train.arff`, join(dir, 'emotions'), { test: `${EMOTIONS}/emotions-test.arff`, arch: 'gbdt', rounds: 3, threads: 1 });
  assert.equal(report.baselineArch, 'gbdt-per-task');
  assert.equal(typeof report.deltaM, 'number');
  assert.equal(typeof report.test!.labels!.hammingLoss, 'number');
});
