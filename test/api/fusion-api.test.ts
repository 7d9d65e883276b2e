/**
 * Fusion through the package entry alone: a fused training run (members, fusion, bagging), and saved
 * folders fused by fuseModelFolders, typed by the public types; both folders load and predict.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import * as polyhead from '../../src/index.js';
import type { FuseFoldersOptions, LeaderboardEntry, TrainOptions } from '../../src/index.js';
import { syntheticFiles } from '../support/synthetic-table.js';

const files = syntheticFiles(600, 150);
const trees = { tasks: 'kind,flag', test: files.test, rounds: 10, leaves: 8, threads: 1 } satisfies TrainOptions;

test('trainModel with members, a fusion method and --bag gives a fused folder, its leaderboard and how it was fitted', async () => {
  assert.deepEqual(polyhead.FUSION_METHODS, ['mean', 'select', 'stack', 'best', 'auto']);
  assert.deepEqual(polyhead.PRESETS, ['fast', 'balanced', 'best']);
  const out = join(files.dir, 'api-fused');
  const options: TrainOptions = { ...trees, members: ['gbdt', 'gbdt-per-task'], fusion: 'stack', bag: 2 };
  const report = await polyhead.trainModel(files.train, out, options);
  assert.deepEqual(report.fusion && { method: report.fusion.method, fittedOn: report.fusion.fittedOn, bag: report.fusion.bag }, { method: 'stack', fittedOn: 'out-of-fold', bag: 2 });
  const chosen: LeaderboardEntry[] = report.leaderboard!.entries.filter((e) => e.chosen);
  assert.deepEqual(chosen.map((e) => e.name), ['fusion:stack']);
  const model = await polyhead.PolyheadModel.load(out);
  assert.equal(model.meta.fusion?.fittedOn, 'out-of-fold');
  const predictions = await model.predict(await polyhead.readTable(files.test));
  assert.equal(predictions[0]!.probabilities.length, 150 * 3);
  await model.release();
});

test('fuseModelFolders fuses saved folders on held-out rows; an unknown method is refused before any work', async () => {
  const a = join(files.dir, 'api-a');
  const b = join(files.dir, 'api-b');
  await polyhead.trainModel(files.train, a, { ...trees, arch: 'gbdt', baseline: false });
  await polyhead.trainModel(files.train, b, { ...trees, arch: 'gbdt-per-task', baseline: false });
  const out = join(files.dir, 'api-ab');
  const options: FuseFoldersOptions = { data: files.test, method: 'select', decision: 'macro-f1', out };
  const report = await polyhead.fuseModelFolders([a, b], options);
  assert.equal(report.method, 'select');
  assert.equal(report.rows, 150);
  assert.deepEqual(report.leaderboard.entries.map((e) => e.name).filter((n) => !n.startsWith('fusion:')).sort(), ['api-a (gbdt)', 'api-b (gbdt-per-task)']);
  const meta = JSON.parse(readFileSync(join(out, 'model.json'), 'utf8'));
  assert.equal(meta.fusion.method, 'select');
  assert.equal(meta.fusion.decision, 'macro-f1');
  const fused = await polyhead.PolyheadModel.load(out);
  assert.equal((await fused.predict(await polyhead.readTable(files.test)))[1]!.probabilities.length, 150 * 2);
  await fused.release();
  await assert.rejects(polyhead.fuseModelFolders([a, b], { ...options, method: 'vote' }), (e: unknown) => e instanceof polyhead.OptionError && /unknown fusion method 'vote'/.test(e.message));
});
