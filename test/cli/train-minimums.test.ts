import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { Random } from '../../src/util/random.js';
import { runCli, type CliResult } from '../support/cli.js';

const dir = mkdtempSync(join(tmpdir(), 'polyhead-minimums-'));
const quick = ['--epochs', '1', '--hidden', '8', '--tower-hidden', '4', '--threads', '1', '--no-baseline'];

/** A CSV of `rows` rows: a numeric x, a categorical z, and label y drawn by `label(i)` ('' = missing). */
function table(name: string, rows: number, label: (i: number, r: Random) => string, seed = 1): string {
  const r = new Random(seed);
  const lines = ['x,z,y'];
  for (let i = 0; i < rows; i++) lines.push(`${r.normal().toFixed(3)},${r.next() < 0.5 ? 'p' : 'q'},${label(i, r)}`);
  const path = join(dir, name);
  writeFileSync(path, lines.join('\n') + '\n');
  return path;
}

const ab = (_: number, r: Random): string => (r.next() < 0.5 ? 'a' : 'b');

/** Refused as a user sees it: the exit code, one line of error with its code, no stack, no model folder. */
function assertRefused(r: CliResult, out: string, exit: number, code: string): void {
  assert.equal(r.code, exit, r.stderr);
  assert.match(r.stderr, new RegExp(`^polyhead: error \\[${code}\\]`));
  assert.doesNotMatch(r.stderr, /\n\s+at /, 'no stack trace');
  assert.equal(existsSync(out), false, 'no model folder is left');
}

const doneReport = (stdout: string): { warnings: string[]; test?: Record<string, Record<string, number | null>> } =>
  (JSON.parse(stdout.trim().split('\n').at(-1)!) as { report: { warnings: string[]; test?: Record<string, Record<string, number | null>> } }).report;

test('a 2-row table is refused with the minimum and the option that forces it; forced, it trains and warns', async () => {
  const data = table('two.csv', 2, (i) => (i === 0 ? 'a' : 'b'));
  const out = join(dir, 'two-model');
  const r = await runCli(['train', data, '--tasks', 'y', ...quick, '--out', out]);
  assertRefused(r, out, 3, 'too-little-data');
  assert.match(r.stderr, /two\.csv/);
  assert.match(r.stderr, /the training rows hold 2 labelled rows; training needs at least 20/);
  assert.match(r.stderr, /validation share \(--valid-fraction 0\.1 of 2 rows\) holds no row/);
  assert.match(r.stderr, /--force/);

  const forced = await runCli(['train', data, '--tasks', 'y', ...quick, '--out', out, '--force', '--json']);
  assert.equal(forced.code, 0, forced.stderr);
  assert.ok(existsSync(join(out, 'model.onnx')));
  const warnings = doneReport(forced.stdout).warnings;
  assert.ok(warnings.some((w) => /training needs at least 20 \(trained anyway: --force\)/.test(w)), warnings.join('\n'));
  assert.ok(warnings.some((w) => /no row in the test share \(--test-fraction 0\.2\) of .*two\.csv, so nothing is tested/.test(w)), warnings.join('\n'));
});

test('a class too rare for the validation share is named with its task, its count and the rows it needs', async () => {
  const data = table('rare.csv', 80, (i) => (i === 7 ? 'b' : 'a'));
  const out = join(dir, 'rare-model');
  const r = await runCli(['train', data, '--tasks', 'y', ...quick, '--out', out]);
  assertRefused(r, out, 3, 'too-little-data');
  assert.match(r.stderr, /task 'y': no validation row has class 'b' \(1 labelled row\)/);
  assert.match(r.stderr, /once it has 10 rows \(1 \/ --valid-fraction 0\.1\)/);
  const wider = await runCli(['train', data, '--tasks', 'y', ...quick, '--out', out, '--valid-fraction', '0.25']);
  assert.match(wider.stderr, /once it has 4 rows \(1 \/ --valid-fraction 0\.25\)/);
});

test('a split column that gives a class no training row is refused, naming the task and class', async () => {
  const lines = ['x,y,part'];
  for (let i = 0; i < 60; i++) lines.push(`${i % 7},${i % 10 === 0 ? 'c' : i % 2 ? 'a' : 'b'},${i % 10 === 0 ? 'test' : i % 5 === 1 ? 'valid' : 'train'}`);
  const data = join(dir, 'parts.csv');
  writeFileSync(data, lines.join('\n') + '\n');
  const out = join(dir, 'parts-model');
  const r = await runCli(['train', data, '--tasks', 'y', '--split-column', 'part', ...quick, '--out', out]);
  assertRefused(r, out, 3, 'too-little-data');
  assert.match(r.stderr, /task 'y': no training row has class 'c' \(6 labelled rows\), so the model never learns it/);
  assert.match(r.stderr, /task 'y': no validation row has class 'c'/);
});

test('a table whose feature columns are all dropped names each column and why', async () => {
  const lines = ['id,c,y'];
  for (let i = 0; i < 60; i++) lines.push(`r${i},same,${i % 2 ? 'a' : 'b'}`);
  const data = join(dir, 'no-features.csv');
  writeFileSync(data, lines.join('\n') + '\n');
  const out = join(dir, 'no-features-model');
  const r = await runCli(['train', data, '--tasks', 'y', ...quick, '--out', out, '--force']);
  assertRefused(r, out, 3, 'no-features');
  assert.match(r.stderr, /'id' \(a different value in each of the 60 non-missing rows: an identifier/);
  assert.match(r.stderr, /'c' \(constant: the same value in all 60 non-missing rows\)/);
  assert.match(r.stderr, /--kinds id=categorical/);
  assert.doesNotMatch(r.stderr, /architecture input/);
});

test('a task with one class and a task without labels are refused by name, even with --force', async () => {
  const data = table('one-class.csv', 60, () => 'a');
  const out = join(dir, 'one-class-model');
  const one = await runCli(['train', data, '--tasks', 'y', ...quick, '--out', out, '--force']);
  assertRefused(one, out, 3, 'single-class');
  assert.match(one.stderr, /column 'y': task 'y' has a single class \('a' in every labelled row\)/);

  const unlabelled = table('no-labels.csv', 60, () => '');
  const none = await runCli(['train', unlabelled, '--tasks', 'y', ...quick, '--out', out, '--force']);
  assertRefused(none, out, 3, 'no-labels');
  assert.match(none.stderr, /task 'y' has no labels: all 60 values are missing/);
});

test('a label column given as a feature is refused: by --kinds, as the split column, or as an untasked declared label', async () => {
  const data = table('labelled.csv', 60, ab);
  const out = join(dir, 'label-feature-model');
  const kinds = await runCli(['train', data, '--tasks', 'y', '--kinds', 'y=categorical', ...quick, '--out', out]);
  assertRefused(kinds, out, 2, 'label-as-feature');
  assert.match(kinds.stderr, /--kinds declares column 'y' categorical, but it is the label of task 'y'/);

  const split = await runCli(['train', data, '--tasks', 'y', '--split-column', 'y', ...quick, '--out', out]);
  assertRefused(split, out, 2, 'label-as-split');
  assert.match(split.stderr, /--split-column 'y' is the label of task 'y'/);

  const r = new Random(3);
  const arff = ['@relation \'tiny: -C -2\'', '@attribute x numeric', '@attribute happy {0,1}', '@attribute sad {0,1}', '@data'];
  for (let i = 0; i < 60; i++) arff.push(`${r.normal().toFixed(3)},${r.int(2)},${r.int(2)}`);
  const file = join(dir, 'tiny.arff');
  writeFileSync(file, arff.join('\n') + '\n');
  const declared = await runCli(['train', file, '--tasks', 'happy', ...quick, '--out', out]);
  assertRefused(declared, out, 3, 'label-as-feature');
  assert.match(declared.stderr, /the file declares 'sad' as label but --tasks does not name it/);
  assert.match(declared.stderr, /--kinds sad=boolean/);
  const onPurpose = await runCli(['train', file, '--tasks', 'happy', '--kinds', 'sad=boolean', ...quick, '--out', out, '--quiet']);
  assert.equal(onPurpose.code, 0, onPurpose.stderr);
});

test('test labels never seen in training are named with their task and left out of the metrics', async () => {
  const data = table('train.csv', 200, ab, 4);
  const testFile = table('test-unseen.csv', 60, (i, r) => (i % 6 === 0 ? 'c' : ab(i, r)), 5);
  const out = join(dir, 'unseen-model');
  const r = await runCli(['train', data, '--tasks', 'y', '--test', testFile, ...quick, '--out', out, '--json']);
  assert.equal(r.code, 0, r.stderr);
  const report = doneReport(r.stdout);
  assert.ok(report.warnings.some((w) => /task 'y': 10 rows of .*test-unseen\.csv have labels that are not classes of the task \('c' \(10\)\); the model was not trained on them .* left out of the task's metrics/.test(w)), report.warnings.join('\n'));

  const preds = join(dir, 'unseen-preds.csv');
  assert.equal((await runCli(['predict', out, testFile, '--out', preds])).code, 0);
  const predicted = readFileSync(preds, 'utf8').trim().split('\n').slice(1);
  const truth = readFileSync(testFile, 'utf8').trim().split('\n').slice(1).map((l) => l.split(',')[2]!);
  const known = truth.flatMap((y, i) => (y === 'c' ? [] : [i]));
  const accuracy = known.filter((i) => predicted[i] === truth[i]).length / known.length;
  assert.ok(Math.abs(report.test!['y']!['accuracy']! - accuracy) < 1e-9, `accuracy over the 50 rows of known classes: ${accuracy}`);

  const unlabelled = table('test-unlabelled.csv', 30, () => '', 6);
  const u = await runCli(['train', data, '--tasks', 'y', '--test', unlabelled, ...quick, '--out', join(dir, 'unlabelled-model'), '--json']);
  assert.equal(u.code, 0, u.stderr);
  assert.ok(doneReport(u.stdout).warnings.some((w) => /task 'y': no labelled row in the test file .*test-unlabelled\.csv, so the task is not tested/.test(w)));
});
