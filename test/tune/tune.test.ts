import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { PolyheadModel } from '../../src/bundle/model.js';
import { TrainingError } from '../../src/errors.js';
import { FileStore } from '../../src/tune/file-store.js';
import { tune } from '../../src/tune/tune.js';
import { syntheticFiles } from '../support/synthetic-table.js';

const files = syntheticFiles(600, 200);
const train = { tasks: 'kind,flag', test: files.test, epochs: 3, threads: 1, baseline: false };
const options = { trials: 6, startup: 3, retrain: false, train };

async function records(out: string) {
  const store = new FileStore(`${out}.study.jsonl`);
  await store.open(JSON.parse(readFileSync(`${out}.study.jsonl`, 'utf8').split('\n')[0]!).config);
  const result = { trials: await store.trials(), rungs: await store.rungs() };
  await store.close();
  return result;
}

test('the same seed gives the same trial sequence, scores and pruning decisions; another seed another', async () => {
  const a = await tune(files.train, join(files.dir, 'a'), options);
  const b = await tune(files.train, join(files.dir, 'b'), options);
  await tune(files.train, join(files.dir, 'c'), { ...options, train: { ...train, seed: 7 } });
  const sequence = async (out: string) => (await records(out)).trials.map((t) => ({ params: t.params, state: t.state, score: t.result?.score }));
  assert.equal(a.leaderboard.length, 6);
  assert.deepEqual(await sequence(join(files.dir, 'b')), await sequence(join(files.dir, 'a')));
  assert.deepEqual(b.leaderboard, a.leaderboard.map((r, i) => ({ ...r, seconds: b.leaderboard[i]!.seconds })));
  assert.notDeepEqual((await sequence(join(files.dir, 'c'))).map((t) => t.params), (await sequence(join(files.dir, 'a'))).map((t) => t.params));
  assert.ok(!existsSync(join(files.dir, 'a')), 'without retrain no model folder is written');
});

test('a pruned trial stopped at a rung where it was behind the top 1/η of the trials before it', async () => {
  const out = join(files.dir, 'a');
  const { trials, rungs } = await records(out);
  const pruned = trials.filter((t) => t.state === 'pruned');
  assert.ok(pruned.length > 0, 'some of the six trials were pruned');
  for (const t of pruned) {
    const stop = rungs.find((r) => r.trial === t.number && r.stop)!;
    assert.ok(stop, `trial ${t.number} has the rung that stopped it`);
    assert.equal(t.result!.epochs, stop.at, 'it trained no epoch or round past the rung');
    const earlier = rungs.filter((r) => r.unit === stop.unit && r.at === stop.at && r.trial < t.number).map((r) => r.score).sort((x, y) => y - x);
    assert.ok(stop.score < earlier[Math.max(1, Math.floor((earlier.length + 1) / 3)) - 1]!, 'its score was below the cut');
  }
  const trees = ['gbdt', 'gbdt-per-task'];
  for (const t of trials.filter((t) => t.state === 'complete' && !trees.includes(t.params.arch as string))) assert.equal(t.result!.epochs, 3, 'networks not stopped ran all their epochs');
});

test('the best configuration is retrained into a model folder with the leaderboard beside it', async () => {
  const out = join(files.dir, 'best');
  const report = await tune(files.train, out, { ...options, trials: 3, retrain: true, sampler: 'random' });
  assert.ok(report.model?.test, 'the retrained model was evaluated on the test rows');
  const saved = JSON.parse(readFileSync(join(out, 'tune.json'), 'utf8'));
  assert.equal(saved.best.trial, report.best.trial);
  assert.deepEqual(saved.leaderboard.map((r: { trial: number }) => r.trial), report.leaderboard.map((r) => r.trial));
  const scores = report.leaderboard.map((r) => r.score ?? -Infinity);
  assert.deepEqual(scores, [...scores].sort((x, y) => y - x), 'ranked by validation score');
  const model = await PolyheadModel.load(out);
  const used = model.meta.options as Record<string, unknown>;
  for (const [k, v] of Object.entries(report.best.params)) if (v !== null) assert.deepEqual(used[k], v, `the model was trained with the best trial's ${k}`);
  await model.release();
});

test('a diverging trial is recorded as failed and the study goes on; with no success at all tune says why', async () => {
  const space = join(files.dir, 'diverge.json');
  writeFileSync(space, JSON.stringify({ arch: ['shared-bottom'], optimizer: 'sgd', lr: [1e30] }));
  const out = join(files.dir, 'diverge');
  await assert.rejects(
    tune(files.train, out, { ...options, trials: 2, defaultsFirst: false, space }),
    (e: unknown) => e instanceof TrainingError && e.code === 'no-trial-succeeded' && /lower learning rate/.test(e.message),
  );
  const { trials } = await records(out);
  assert.deepEqual(trials.map((t) => [t.number, t.state]), [[0, 'failed'], [1, 'failed']], 'both trials ran and were recorded as failed');
});
