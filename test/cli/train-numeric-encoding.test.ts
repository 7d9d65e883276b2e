import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { runCli } from '../support/cli.js';
import { syntheticFiles } from '../support/synthetic-table.js';

const files = syntheticFiles(600, 200);
const common = ['--tasks', 'kind,flag', '--test', files.test, '--hidden', '16', '--tower-hidden', '8', '--batch-size', '32', '--threads', '1', '--no-baseline'];

test('train --numeric-encoding piecewise-linear: the plan has bins, the saved model predicts', async () => {
  const out = join(files.dir, 'ple-model');
  const r = await runCli(['train', files.train, ...common, '--epochs', '2', '--numeric-encoding', 'piecewise-linear', '--numeric-bins', '4', '--out', out, '--quiet']);
  assert.equal(r.code, 0, r.stderr);
  const meta = JSON.parse(readFileSync(join(out, 'model.json'), 'utf8')) as { plan: { options: Record<string, unknown>; numericNames: string[] } };
  assert.equal(meta.plan.options['numericEncoding'], 'piecewise-linear');
  assert.deepEqual(meta.plan.numericNames.filter((n) => n.startsWith('x1')), ['x1:ple#0', 'x1:ple#1', 'x1:ple#2', 'x1:ple#3', 'x1:missing']);
  const preds = join(files.dir, 'ple-preds.csv');
  const p = await runCli(['predict', out, files.test, '--out', preds]);
  assert.equal(p.code, 0, p.stderr);
  assert.equal(readFileSync(preds, 'utf8').trim().split('\n').length, 201);
});

test('an unknown --numeric-encoding or a bad --numeric-bins is refused with exit code 2', async () => {
  const never = join(files.dir, 'never');
  const encoding = await runCli(['train', files.train, ...common, '--numeric-encoding', 'splines', '--out', never]);
  assert.equal(encoding.code, 2);
  assert.match(encoding.stderr, /splines/);
  assert.match(encoding.stderr, /scaled, piecewise-linear/);
  for (const bins of ['0', '2.5', '1000', 'many']) {
    const r = await runCli(['train', files.train, ...common, '--numeric-bins', bins, '--out', never]);
    assert.equal(r.code, 2, `--numeric-bins ${bins}: ${r.stderr}`);
    assert.match(r.stderr, /numeric-?[bB]ins/);
  }
  assert.equal(existsSync(never), false);
});
