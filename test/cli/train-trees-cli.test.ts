/** `polyhead train --arch gbdt | gbdt-per-task` on the bundled Adult files, then predict and eval on the saved folder. */
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { PACKAGE_ROOT } from '../../src/version.js';
import { runCli } from '../support/cli.js';

const TRAIN = join(PACKAGE_ROOT, 'assets', 'adult-train.csv.gz');
const TEST = join(PACKAGE_ROOT, 'assets', 'adult-test.csv.gz');
const dir = mkdtempSync(join(tmpdir(), 'polyhead-trees-cli-'));
const common = ['--tasks', 'income,marital-status,relationship', '--test', TEST, '--rounds', '4', '--leaves', '8', '--threads', '1'];

test('train --arch gbdt prints the comparison with gbdt-per-task and the top features; predict and eval read the folder', async () => {
  const out = join(dir, 'gbdt');
  const r = await runCli(['train', TRAIN, ...common, '--arch', 'gbdt', '--tree-lr', '0.2', '--min-leaf', '10', '--l2', '1', '--max-bins', '64', '--out', out]);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /gbdt-per-task/);
  assert.match(r.stdout, /Δm over single-task \(gbdt-per-task\)/);
  assert.match(r.stdout, /Top features by gain:\n {2}income: \S+ \(/);
  assert.match(r.stdout, /best round \d+ of \d+/);

  const csv = join(dir, 'predictions.csv');
  const p = await runCli(['predict', out, TEST, '--out', csv]);
  assert.equal(p.code, 0, p.stderr);
  const lines = readFileSync(csv, 'utf8').trim().split('\n');
  assert.equal(lines[0], 'income,marital-status,relationship');
  assert.equal(lines.length, 16282);
  const e = await runCli(['eval', out, TEST]);
  assert.equal(e.code, 0, e.stderr);
  assert.match(e.stdout, /income \(binary\): accuracy 0\.[78]\d+/);
});

test('train --arch gbdt-per-task --json ends with done and no Δm (it is the single-task model)', async () => {
  const out = join(dir, 'per-task');
  const r = await runCli(['train', TRAIN, ...common, '--arch', 'gbdt-per-task', '--json', '--out', out]);
  assert.equal(r.code, 0, r.stderr);
  const lines = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
  assert.ok(lines.some((l) => l.event === 'round' && typeof l.trainLoss === 'number'));
  const done = lines.at(-1)!;
  assert.equal(done.event, 'done');
  assert.equal(done.deltaM, undefined);
  assert.ok(existsSync(join(out, 'model.onnx')));
});

test('bad tree flags are refused with exit code 2 and the option named', async () => {
  for (const [flag, value, option] of [['--max-bins', '1000', 'maxBins'], ['--leaves', '1', 'leaves'], ['--tree-lr', 'fast', 'tree-lr']]) {
    const r = await runCli(['train', TRAIN, ...common, '--arch', 'gbdt', flag!, value!, '--out', join(dir, 'bad')]);
    assert.equal(r.code, 2, `${flag} ${value}: ${r.stderr}`);
    assert.match(r.stderr, new RegExp(option!));
  }
  assert.equal(existsSync(join(dir, 'bad')), false);
});
