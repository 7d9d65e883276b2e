import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Task, TaskLabels } from '../../src/data/schema.js';
import { gradients } from '../../src/trees/loss.js';
import { DEFAULT_GBDT_OPTIONS, parseGbdtOptions, predictRaw, trainEnsemble, type GbdtOptions } from '../../src/trees/index.js';
import { binaryTask, labelsFor, multiclassTask, multilabelTask, problem } from './synthetic.js';

const options = (o: Partial<GbdtOptions> = {}): GbdtOptions => ({ ...DEFAULT_GBDT_OPTIONS, rounds: 30, leaves: 8, minLeaf: 10, stopOn: 'loss', ...o });
const train = problem(1200, 1);
const valid = problem(600, 2);
const splitOf = (p: typeof train, tasks: Task[], seed: number) => ({ inputs: p.inputs, labels: tasks.map((t, i) => labelsFor(t, p, seed + i)) });

/** Validation loss per task of the ensemble, and of the constant (base-score) model. */
function losses(tasks: Task[], o: GbdtOptions) {
  const result = trainEnsemble(splitOf(train, tasks, 10), splitOf(valid, tasks, 20), tasks, o);
  const v = splitOf(valid, tasks, 20);
  const n = result.ensemble.outputCount;
  const constant = predictRaw({ ...result.ensemble, trees: [] }, valid.inputs);
  return {
    result,
    model: gradients(result.ensemble.tasks, v.labels, predictRaw(result.ensemble, valid.inputs), n, null),
    constant: gradients(result.ensemble.tasks, v.labels, constant, n, null),
  };
}

for (const task of [binaryTask, multiclassTask, multilabelTask]) {
  for (const mode of ['shared', 'per-task'] as const) {
    test(`${task.type} (${mode}): the ensemble beats the constant model on validation rows`, () => {
      const { model, constant, result } = losses([task], options({ mode }));
      assert.ok(model[0]! < 0.8 * constant[0]!, `loss ${model[0]} vs constant ${constant[0]}`);
      assert.ok(result.ensemble.trees.length > 0);
    });
  }
}

test('shared mode on two tasks: every tree serves both tasks, and both beat the constant', () => {
  const tasks = [binaryTask, multiclassTask];
  const { model, constant, result } = losses(tasks, options({ mode: 'shared' }));
  tasks.forEach((t, i) => assert.ok(model[i]! < 0.8 * constant[i]!, `${t.name}: ${model[i]} vs ${constant[i]}`));
  const first = result.ensemble.trees[0]!;
  assert.deepEqual(Array.from(first.outputs), [0, 1, 2, 3]);
  assert.equal(first.values.length, 4 * first.feature.length);
  assert.ok(result.importance.every((imp) => imp.gain.some((g) => g > 0)));
});

test('per-task mode grows one tree per task output and round', () => {
  const result = trainEnsemble(splitOf(train, [binaryTask, multiclassTask], 10), null, [binaryTask, multiclassTask], options({ mode: 'per-task', rounds: 3 }));
  assert.equal(result.ensemble.trees.length, 3 * 4);
  assert.deepEqual(result.ensemble.trees.slice(0, 4).map((t) => Array.from(t.outputs)), [[0], [1], [2], [3]]);
});

test('same data, options and seed give the same ensemble; another seed another one', () => {
  const o = options({ rowSubsample: 0.7, featureSubsample: 0.7, rounds: 10 });
  const tasks = [binaryTask, multilabelTask];
  const json = (seed: number) => JSON.stringify(trainEnsemble(splitOf(train, tasks, 10), null, tasks, { ...o, seed }).ensemble, (_, v) => (ArrayBuffer.isView(v) ? Array.from(v as Float32Array) : v));
  assert.equal(json(1), json(1));
  assert.notEqual(json(1), json(2));
});

for (const mode of ['shared', 'per-task'] as const) {
  test(`${mode}: rows scored during training (grown on, not drawn, validation) equal the JS predictor`, () => {
    const tasks = [binaryTask, multiclassTask];
    const split = splitOf(train, tasks, 10);
    const v = splitOf(valid, tasks, 20);
    let lastRound: { trainLoss: number; validLoss?: number } = { trainLoss: NaN };
    const result = trainEnsemble(split, v, tasks, options({ mode, rounds: 5, rowSubsample: 0.6, patience: 0 }), { onRound: (r) => (lastRound = r) });
    assert.equal(result.bestRound, 5, 'the validation loss falls for the first five rounds');
    const mean = (l: number[]): number => l.reduce((a, b) => a + b, 0) / l.length;
    const n = result.ensemble.outputCount;
    const trainLoss = mean(gradients(result.ensemble.tasks, split.labels, predictRaw(result.ensemble, train.inputs), n, null));
    const validLoss = mean(gradients(result.ensemble.tasks, v.labels, predictRaw(result.ensemble, valid.inputs), n, null));
    assert.ok(Math.abs(trainLoss - lastRound.trainLoss) < 1e-9, `${trainLoss} vs ${lastRound.trainLoss}`);
    assert.ok(Math.abs(validLoss - lastRound.validLoss!) < 1e-9, `${validLoss} vs ${lastRound.validLoss}`);
  });
}

test('masked multi-label rows change nothing: whatever targets they carry, the ensemble is the same', () => {
  const l = labelsFor(multilabelTask, train, 10);
  if (l.type !== 'multilabel') throw new Error('multi-label labels expected');
  const mask = Uint8Array.from(l.mask, (_, i) => (i % 3 === 0 ? 0 : 1));
  const withTargets = (fill: (t: number, i: number) => number): TaskLabels[] => [{ ...l, mask, targets: Float32Array.from(l.targets, (t, j) => (mask[j >> 1] ? t : fill(t, j))) }];
  const values = (labels: TaskLabels[]) => trainEnsemble({ inputs: train.inputs, labels }, null, [multilabelTask], options({ rounds: 5 })).ensemble.trees.map((t) => Array.from(t.values));
  assert.deepEqual(values(withTargets(() => 1)), values(withTargets((t) => 1 - t)));
  // Unmasked, those rows do count.
  assert.notDeepEqual(values(withTargets(() => 1)), values([{ ...l, targets: Float32Array.from(l.targets, (t, j) => (j % 6 < 2 ? 1 : t)) }]));
});

test('early stopping cuts the ensemble at the best round', () => {
  const tasks = [binaryTask];
  const result = trainEnsemble(splitOf(train, tasks, 10), splitOf(valid, tasks, 20), tasks, options({ rounds: 300, lr: 0.5, patience: 5, stopOn: 'loss' }));
  assert.ok(result.history.length < 300, `stopped after ${result.history.length} rounds`);
  assert.equal(result.history.length, result.bestRound + 5);
  assert.equal(result.ensemble.trees.length, result.bestRound);
  const best = Math.min(...result.history.map((r) => r.validLoss!));
  assert.equal(result.history[result.bestRound - 1]!.validLoss, best);
});

test('a bad option is refused with its name', () => {
  assert.throws(() => parseGbdtOptions({ leaves: 1 }), (e: Error & { code?: string }) => e.code === 'bad-tree-option' && /leaves/.test(e.message));
  assert.throws(() => parseGbdtOptions({ mode: 'both' }), /mode/);
});

test('shared mode stops each task at its own best round: later trees leave its outputs out', () => {
  const tasks = [binaryTask, multiclassTask];
  const result = trainEnsemble(splitOf(train, tasks, 10), splitOf(valid, tasks, 20), tasks, options({ mode: 'shared', rounds: 200, lr: 0.5, patience: 3 }));
  const [b, m] = result.taskBestRound as [number, number];
  assert.notEqual(b, m, 'the two tasks peak at different rounds');
  assert.equal(result.bestRound, Math.max(b, m));
  const counts = [0, 0];
  for (const tree of result.ensemble.trees) {
    if (tree.outputs.includes(0)) counts[0]++;
    if (tree.outputs.includes(1)) counts[1]++;
    assert.equal(tree.values.length, tree.feature.length * tree.outputs.length);
  }
  // One shared tree per round, each serving a task up to that task's best round.
  assert.deepEqual(counts, [b, m]);
  assert.equal(result.ensemble.trees.length, Math.max(b, m));
});

test('a categorical split that sends only missing values left scores every code right', () => {
  const rows = 400;
  const codes = Float32Array.from({ length: rows }, (_, i) => (i % 4 === 3 ? NaN : i % 4));
  const inputs = { rowCount: rows, features: [{ name: 'c', kind: 'categorical' as const, cardinality: 3 }], columns: [codes] };
  const labels: TaskLabels[] = [{ task: 'b', type: 'binary', classIndex: Int32Array.from(codes, (c) => (Number.isNaN(c) ? 1 : 0)) }];
  const result = trainEnsemble({ inputs, labels }, null, [binaryTask], options({ rounds: 1, leaves: 2 }));
  const tree = result.ensemble.trees[0]!;
  assert.equal(tree.feature[0], 0);
  const raw = predictRaw(result.ensemble, inputs);
  for (let i = 0; i < 4; i++) assert.equal(raw[i]! > raw[3]!, false, `code ${codes[i]} scored like missing`);
  assert.ok(raw[3]! > raw[0]! && raw[0] === raw[1] && raw[1] === raw[2]);
});

test('a task without labelled validation rows is not stopped: it trains to the cap', () => {
  const tasks = [binaryTask, multiclassTask];
  const v = splitOf(valid, tasks, 20);
  v.labels[1] = { task: 'm', type: 'multiclass', classIndex: new Int32Array(valid.inputs.rowCount).fill(-1) };
  const result = trainEnsemble(splitOf(train, tasks, 10), v, tasks, options({ mode: 'per-task', rounds: 60, lr: 0.5, patience: 3 }));
  assert.ok(result.taskBestRound[0]! < 57, `binary stopped early at ${result.taskBestRound[0]}`);
  assert.equal(result.taskBestRound[1], result.history.length);
  assert.equal(result.history.length, 60);
});

test('validation codes the training rows never had are scored by the float predictor, consistently', () => {
  const tasks = [binaryTask];
  const narrow = { ...train.inputs, features: train.inputs.features.map((f) => ({ name: f.name, kind: f.kind })) };
  const wide = { ...valid.inputs, columns: valid.inputs.columns.map((c, f) => (f === 2 ? c.map((x, i) => (i % 10 === 0 ? 7 : x)) : c)) };
  const v = { inputs: wide, labels: splitOf(valid, tasks, 20).labels };
  let lastLoss = NaN;
  const result = trainEnsemble({ inputs: narrow, labels: splitOf(train, tasks, 10).labels }, v, tasks, options({ rounds: 5, patience: 0 }), {
    onRound: (r) => (lastLoss = r.validLoss!),
  });
  const predicted = gradients(result.ensemble.tasks, v.labels, predictRaw(result.ensemble, wide), 1, null)[0]!;
  assert.equal(result.bestRound, 5);
  assert.ok(Math.abs(predicted - lastLoss) < 1e-9, `${predicted} vs ${lastLoss}`);
});
