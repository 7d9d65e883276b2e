/**
 * Fusion from the command line: `train --members` prints the leaderboard and a member line per
 * member; `fuse` writes a folder whose predictions are the fusion of the members' saved predictions
 * (applyFusion over each member folder's own predictions on the same rows), that predict and eval
 * run unchanged.
 */
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { PolyheadModel } from '../../src/bundle/model.js';
import { readTable } from '../../src/data/read.js';
import { applyFusion, parseFusionSpec } from '../../src/fusion/index.js';
import { runCli } from '../support/cli.js';
import { syntheticCsv, syntheticFiles } from '../support/synthetic-table.js';

const files = syntheticFiles();
const held = join(files.dir, 'held.csv');
writeFileSync(held, syntheticCsv(300, 5));

test('train --members prints each member as it starts and the leaderboard of members and methods', async () => {
  const out = join(files.dir, 'fused');
  const r = await runCli(['train', files.train, '--tasks', 'kind,flag', '--test', files.test, '--members', 'gbdt,linear', '--fusion', 'stack', '--rounds', '10', '--epochs', '2', '--threads', '1', '--out', out]);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /member 1\/2: gbdt\n[\s\S]*member 2\/2: linear\n/);
  for (const name of ['gbdt', 'linear', 'fusion:mean', 'fusion:select', 'fusion:stack \\*', 'fusion:best']) assert.match(r.stdout, new RegExp(`\\n${name}\\s+\\d\\.\\d{3}`), name);
  assert.match(r.stdout, /fusion fitted on \d+ held-out rows/);
  const meta = JSON.parse(readFileSync(join(out, 'model.json'), 'utf8'));
  const names: string[] = meta.metrics.leaderboard.entries.map((e: { name: string }) => e.name);
  // The two members, the five methods, and each method again with the macro-F1 decision rule where it fitted one.
  assert.deepEqual(names.filter((n) => !n.endsWith('+macro-f1')).sort(), ['fusion:auto', 'fusion:best', 'fusion:mean', 'fusion:select', 'fusion:stack', 'gbdt', 'linear']);
  for (const n of names.filter((m) => m.endsWith('+macro-f1'))) assert.ok(['fusion:auto', 'fusion:best', 'fusion:mean', 'fusion:select', 'fusion:stack'].includes(n.replace(/\+macro-f1$/, '')), n);
  const evaluated = await runCli(['eval', out, files.test]);
  assert.equal(evaluated.code, 0, evaluated.stderr);
  assert.match(evaluated.stdout, /kind \(multiclass\): accuracy 0\.\d+/);
});

test('train --preset without a name trains the default preset: gbdt and shared-bottom bagged over 5 folds, fused out of fold', async () => {
  const out = join(files.dir, 'preset-default');
  const r = await runCli(['train', files.train, '--tasks', 'kind,flag', '--test', files.test, '--preset', '--rounds', '5', '--epochs', '1', '--no-baseline', '--threads', '1', '--quiet', '--out', out]);
  assert.equal(r.code, 0, r.stderr);
  const meta = JSON.parse(readFileSync(join(out, 'model.json'), 'utf8'));
  assert.deepEqual(meta.members.map((m: { arch: string }) => m.arch), ['gbdt', 'shared-bottom']);
  assert.equal(meta.fusion.method, 'auto');
  for (const f of meta.fusion.spec.tasks) assert.ok(f.choice.candidates.some((c: { method: string }) => c.method === f.choice.method), `${f.task}: the chosen method is among the cross-validated candidates`);
  assert.equal(meta.fusion.fittedOn, 'out-of-fold');
  assert.equal(meta.fusion.bag, 5);
});

test('fuse: the fused folder predicts the fusion of the members\' own predictions; a plan mismatch is refused by name', async () => {
  const [a, b, c, fused] = ['a', 'b', 'c', 'ab'].map((n) => join(files.dir, n));
  const common = ['train', files.train, '--tasks', 'kind,flag', '--test', files.test, '--no-baseline', '--threads', '1', '--quiet'];
  for (const [out, flags] of [[a, ['--arch', 'gbdt', '--rounds', '10']], [b, ['--arch', 'shared-bottom', '--epochs', '2']], [c, ['--arch', 'gbdt', '--rounds', '5', '--numeric-encoding', 'scaled']]] as const) {
    const r = await runCli([...common, ...flags, '--out', out]);
    assert.equal(r.code, 0, r.stderr);
  }
  const r = await runCli(['fuse', a, b, '--data', held, '--test', files.test, '--method', 'stack', '--out', fused]);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /in-sample, and honest only if no member was trained on those rows/);

  const table = await readTable(files.test);
  const load = async (dir: string) => {
    const m = await PolyheadModel.load(dir);
    const p = (await m.predict(table)).map((t) => t.probabilities);
    await m.release();
    return p;
  };
  const meta = JSON.parse(readFileSync(join(fused, 'model.json'), 'utf8'));
  assert.equal(meta.fusion.fittedOn, 'held-out');
  assert.equal(meta.fusion.rows, 300);
  const js = applyFusion(parseFusionSpec(meta.fusion.spec), [await load(a), await load(b)]);
  const onnx = await load(fused);
  js.forEach((p, t) => {
    let worst = 0;
    for (let i = 0; i < p.length; i++) worst = Math.max(worst, Math.abs(p[i]! - onnx[t]![i]!));
    assert.ok(worst <= 1e-5, `task ${t}: largest difference ${worst}`);
  });

  const refused = await runCli(['fuse', a, c, '--data', held, '--out', join(files.dir, 'ac')]);
  assert.equal(refused.code, 4);
  assert.match(refused.stderr, /cannot be fused with .*: plan\.options\.numericEncoding is "scaled", not "piecewise-linear"/);
});
