/** `tune --fuse K`: the K best trials retrained and fused into one model folder. */
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { PolyheadModel } from '../../src/bundle/model.js';
import { getColumn, valueText } from '../../src/data/columns.js';
import { readTable } from '../../src/data/read.js';
import { OptionError, TrainingError } from '../../src/errors.js';
import { FUSION_METHODS } from '../../src/fusion/index.js';
import { fuseBest } from '../../src/tune/fuse-best.js';
import type { LeaderboardRow } from '../../src/tune/leaderboard.js';
import { tune } from '../../src/tune/tune.js';
import { syntheticFiles } from '../support/synthetic-table.js';

const files = syntheticFiles(600, 200);
const train = { tasks: 'kind,flag', test: files.test, epochs: 3, threads: 1 };

test('--fuse 3 retrains the three best trials into their own folders and fuses them into OUT', async () => {
  const out = join(files.dir, 'fused');
  const report = await tune(files.train, out, { trials: 5, sampler: 'random', fuse: 3, train });
  const top = report.leaderboard.filter((r) => r.score !== null).slice(0, 3);
  assert.deepEqual(report.fused!.members.map((m) => m.trial), top.map((r) => r.trial), 'the members are the three best trials, best first');
  assert.equal(report.model!.model, report.fused!.members[0]!.model, "the best trial's own model is the first member");

  for (const [i, m] of report.fused!.members.entries()) {
    assert.equal(m.model, join(`${out}.members`, `trial-${m.trial}`));
    const member = await PolyheadModel.load(m.model);
    const used = member.meta.options as Record<string, unknown>;
    for (const [k, v] of Object.entries(top[i]!.params)) if (v !== null) assert.deepEqual(used[k], v, `member ${m.trial} was trained with its trial's ${k}`);
    await member.release();
  }

  const entries = report.fused!.leaderboard.entries;
  assert.equal(entries.filter((e) => e.kind === 'member').length, 3);
  assert.deepEqual(entries.filter((e) => e.kind === 'fusion').map((e) => e.name).sort(), FUSION_METHODS.map((m) => `fusion:${m}`).sort());
  const chosen = entries.find((e) => e.chosen)!;
  assert.equal(chosen.name, 'fusion:select');

  const fused = await PolyheadModel.load(out);
  assert.equal(fused.meta.members?.length, 3);
  assert.equal(fused.meta.fusion?.method, 'select');
  assert.ok(/validation rows/.test(String(fused.meta.fusion?.data)), 'model.json says the fusion was fitted on the validation rows');
  const table = await readTable(files.test);
  const predictions = await fused.predict(table);
  for (const p of predictions) {
    const column = getColumn(table, p.task);
    const labelled = Array.from({ length: table.rowCount }, (_, r) => r).filter((r) => valueText(column, r) !== undefined);
    const accuracy = labelled.filter((r) => (p.labels as string[])[r] === valueText(column, r)).length / labelled.length;
    assert.ok(Math.abs(accuracy - chosen.test!.tasks[p.task]!.accuracy!) < 1e-9, `the saved fused model predicts ${p.task} on the test rows as its leaderboard says`);
  }
  await fused.release();
  const saved = JSON.parse(readFileSync(join(out, 'tune.json'), 'utf8'));
  assert.deepEqual(saved.fused.members, report.fused!.members);
});

test('the best trials are fused whatever kind comes first: a network, then trees', async () => {
  const row = (trial: number, params: LeaderboardRow['params']): LeaderboardRow => ({ rank: trial + 1, trial, state: 'complete', score: 0.9 - trial / 10, testScore: null, epochs: 3, unit: 'epoch', seconds: 1, params });
  const out = join(files.dir, 'net-first');
  const { members, fused } = await fuseBest({ data: files.train, out, train, k: 2, method: 'mean', leaderboard: [row(0, { arch: 'mmoe', experts: 2 }), row(1, { arch: 'gbdt', leaves: 7 })] });
  assert.deepEqual(members.map((m) => m.report.arch), ['mmoe', 'gbdt']);
  assert.equal(fused.method, 'mean');
  const model = await PolyheadModel.load(out);
  assert.deepEqual(model.meta.members?.map((m) => m.arch), ['mmoe', 'gbdt']);
  await model.release();
});

test('--fuse is refused with --no-retrain, and with fewer than two scored trials', async () => {
  await assert.rejects(tune(files.train, join(files.dir, 'x'), { trials: 2, fuse: 2, retrain: false, train }), (e: unknown) => e instanceof OptionError && e.code === 'fuse-without-retrain');
  const out = join(files.dir, 'one');
  await assert.rejects(tune(files.train, out, { trials: 1, fuse: 2, train }), (e: unknown) => e instanceof TrainingError && e.code === 'fuse-too-few' && /--trials/.test(e.message));
  assert.equal(existsSync(out), false, 'no model folder is written');
});
