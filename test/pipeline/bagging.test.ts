/**
 * Out-of-fold bagging: every training row is predicted once, by the fold model that neither fitted
 * nor early-stopped on it (checked against the fold assignment, and by recomputing each fold model's
 * predictions from its saved trees); the fused folder's ONNX equals the fusion in JS over the
 * members' fold means; model.json says the fusion was fitted out of fold.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { PolyheadModel } from '../../src/bundle/model.js';
import { readTable } from '../../src/data/read.js';
import { OptionError } from '../../src/errors.js';
import { parsePlan, treeInputs } from '../../src/features/index.js';
import { applyFusion, parseFusionSpec } from '../../src/fusion/index.js';
import { bagFolds, bagMember } from '../../src/pipeline/bagging.js';
import { fusedRunPlan } from '../../src/pipeline/presets.js';
import { trainModel } from '../../src/pipeline/train-model.js';
import { parseTrainOptions } from '../../src/train/options.js';
import { prepareData } from '../../src/train/prepare.js';
import { predictProbabilities } from '../../src/trees/predict.js';
import { parseEnsemble } from '../../src/trees/serialize.js';
import { syntheticFiles } from '../support/synthetic-table.js';

const files = syntheticFiles();
const base = { tasks: 'kind,flag', test: files.test, rounds: 15, leaves: 8, threads: 1 };

const overlap = (a: Int32Array, b: Int32Array): number[] => {
  const set = new Set(b);
  return [...a].filter((r) => set.has(r));
};

function worstDifference(a: Float32Array, b: Float32Array): number {
  assert.equal(a.length, b.length);
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i]! - b[i]!));
  return worst;
}

test('a bagged member: each training row is predicted once, by the one fold model that neither fitted nor early-stopped on it', async () => {
  const o = parseTrainOptions({ ...base, members: ['gbdt'], bag: 3 });
  const p = await prepareData(files.train, o);
  const { folds, rows } = bagFolds(p, 3, o.seed);
  assert.equal(rows.source, 'out-of-fold');
  assert.deepEqual([...rows.rows], [...p.rows.train]);
  const member = await bagMember(p, folds, o, 'gbdt', { data: [files.train], out: join(files.dir, 'bag-unit'), resume: false });

  const predictedBy = new Map<number, number>();
  member.folds.forEach((fold, f) => {
    assert.deepEqual(overlap(fold.predicted, fold.fitted), [], `fold ${f} predicts rows it was fitted on`);
    assert.deepEqual(overlap(fold.predicted, fold.stoppedOn!), [], `fold ${f} predicts rows it was early-stopped on`);
    assert.deepEqual([...fold.fitted, ...fold.predicted].sort((a, b) => a - b), [...p.rows.train], `fold ${f}: fitted + predicted are the training rows`);
    fold.predicted.forEach((r) => {
      assert.ok(!predictedBy.has(r), `row ${r} predicted by folds ${predictedBy.get(r)} and ${f}`);
      predictedBy.set(r, f);
    });
  });
  assert.equal(predictedBy.size, p.rows.train.length, 'every training row is predicted');

  // Each out-of-fold row's probabilities are those of its own fold's trees (recomputed in JS).
  const position = new Map<number, number>([...p.rows.train].map((r, i) => [r, i]));
  const records = member.record.folds as { trees: { ensemble: unknown } }[];
  member.folds.forEach((fold, f) => {
    const js = predictProbabilities(parseEnsemble(records[f]!.trees.ensemble), treeInputs(p.plan, p.table, fold.predicted));
    p.schema.tasks.forEach((task, t) => {
      const k = task.classes.length;
      const oof = Float32Array.from({ length: fold.predicted.length * k }, (_, i) => member.fit[t]![position.get(fold.predicted[Math.floor(i / k)]!)! * k + (i % k)]!);
      assert.ok(worstDifference(oof, js[t]!) <= 1e-5, `fold ${f}, task ${task.name}`);
    });
  });
});

test('bagged and stacked: model.json says out-of-fold with K, and the ONNX predictions are applyFusion over the members\' fold means in JS', async () => {
  const out = join(files.dir, 'bagged-stack');
  const report = await trainModel(files.train, out, { ...base, members: ['gbdt', 'gbdt-per-task'], fusion: 'stack', bag: 3 });
  const meta = JSON.parse(readFileSync(join(out, 'model.json'), 'utf8'));
  assert.equal(meta.fusion.fittedOn, 'out-of-fold');
  assert.equal(meta.fusion.bag, 3);
  assert.equal(meta.fusion.spec.fittedOn, 'out-of-fold');
  assert.equal(report.fusion!.fittedOn, 'out-of-fold');
  const p = await prepareData(files.train, parseTrainOptions({ ...base, members: ['gbdt'] }));
  assert.equal(meta.fusion.rows, p.rows.train.length, 'fitted on every training row');

  const table = await readTable(files.test);
  const plan = parsePlan(meta.plan);
  const members = meta.members.map((m: { bag: number; folds: { trees: { ensemble: unknown } }[] }) => {
    assert.equal(m.bag, 3);
    const perFold = m.folds.map((f) => predictProbabilities(parseEnsemble(f.trees.ensemble), treeInputs(plan, table)));
    return perFold[0]!.map((_, t) => Float32Array.from(perFold[0]![t]!, (_, i) => perFold.reduce((s, fold) => s + fold[t]![i]!, 0) / perFold.length));
  });
  const js = applyFusion(parseFusionSpec(meta.fusion.spec), members);
  const model = await PolyheadModel.load(out);
  const onnx = await model.predict(table);
  await model.release();
  js.forEach((probs, t) => {
    const worst = worstDifference(onnx[t]!.probabilities, probs);
    assert.ok(worst <= 1e-5, `task ${t}: largest difference ${worst}`);
  });
});

test('--bag is refused without members, with --fusion-share, and outside 2..20', () => {
  const cases: [Record<string, unknown>, RegExp][] = [
    [{ bag: 3 }, /--bag applies to a fused model/],
    [{ members: ['gbdt'], bag: 3, fusionShare: 0.2 }, /--bag 3 fits the fusion on out-of-fold .* keep one/],
    [{ members: ['gbdt'], bag: 1 }, /option 'bag'/],
    [{ members: ['gbdt'], bag: 2.5 }, /option 'bag'/],
  ];
  for (const [options, expect] of cases) assert.throws(() => parseTrainOptions({ tasks: 'a', ...options }), (e: unknown) => e instanceof OptionError && expect.test(e.message), JSON.stringify(options));
});

test('presets: balanced and best bag over 5 folds with the macro-F1 decision; a fusion share replaces the bagging, --bag sets the folds', () => {
  const plan = (o: Record<string, unknown>) => fusedRunPlan(parseTrainOptions({ tasks: 'a', ...o }));
  assert.deepEqual(plan({ preset: 'balanced' }), { members: ['gbdt', 'shared-bottom'], fusion: 'auto', bag: 5, decision: 'macro-f1' });
  assert.equal(plan({ preset: 'best' })!.fusion, 'stack');
  assert.equal(plan({ preset: 'best' })!.bag, 5);
  assert.equal(plan({ preset: 'balanced', fusionShare: 0.2 })!.bag, undefined);
  assert.equal(plan({ preset: 'balanced', bag: 3 })!.bag, 3);
  assert.equal(plan({ preset: 'fast' })!.bag, undefined);
  assert.equal(plan({ members: ['gbdt', 'mmoe'] })!.bag, undefined, '--members alone fits on a held-out share');
  assert.equal(plan({ arch: 'mmoe' }), null);
});
