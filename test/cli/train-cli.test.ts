import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { runCli, startCli } from '../support/cli.js';
import { syntheticFiles } from '../support/synthetic-table.js';

const files = syntheticFiles(1500, 300);
const common = ['--tasks', 'kind,flag', '--test', files.test, '--hidden', '32,16', '--tower-hidden', '8', '--batch-size', '32', '--lr', '0.01', '--threads', '1'];

test('train --json prints one object per epoch, then done with test metrics, Δm and the model folder', async () => {
  const out = join(files.dir, 'cli-json');
  const r = await runCli(['train', files.train, ...common, '--epochs', '3', '--out', out, '--json']);
  assert.equal(r.code, 0, r.stderr);
  const lines = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
  const epochs = lines.filter((l) => l.event === 'epoch');
  assert.ok(epochs.length >= 2, 'epoch lines for the model and the baseline');
  const done = lines.at(-1)!;
  assert.equal(done.event, 'done');
  assert.equal(done.model, out);
  assert.equal(typeof done.deltaM, 'number');
  const test = done.test as Record<string, Record<string, number>>;
  for (const task of ['kind', 'flag']) for (const k of ['accuracy', 'macroF1', 'auc']) assert.equal(typeof test[task]![k], 'number');
  assert.ok(existsSync(join(out, 'model.onnx')) && existsSync(join(out, 'model.json')));
});

test('a run killed mid-way and resumed ends with the same model as an uninterrupted run', async () => {
  const args = [...common, '--epochs', '6', '--patience', '0', '--no-baseline', '--json'];
  const full = join(files.dir, 'cli-full');
  const whole = await runCli(['train', files.train, ...args, '--out', full]);
  assert.equal(whole.code, 0, whole.stderr);

  const cut = join(files.dir, 'cli-cut');
  const run = startCli(['train', files.train, ...args, '--out', cut]);
  let epochs = 0;
  run.child.stdout!.on('data', (d: Buffer) => {
    epochs += (d.toString().match(/"event":"epoch"/g) ?? []).length;
    if (epochs >= 2) run.child.kill('SIGKILL');
  });
  const killed = await run.done;
  assert.notEqual(killed.code, 0, 'the run was killed before finishing');
  assert.equal(existsSync(cut), false, 'an interrupted train leaves no model folder');

  const resumed = await runCli(['train', files.train, ...args, '--out', cut, '--resume']);
  assert.equal(resumed.code, 0, resumed.stderr);
  assert.match(resumed.stdout, /"event":"resumed"/);
  assert.deepEqual(readFileSync(join(cut, 'model.onnx')), readFileSync(join(full, 'model.onnx')));
});

test('predict writes a CSV with a label per task; eval reports metrics; a missing feature column is named', async () => {
  const out = join(files.dir, 'cli-model');
  assert.equal((await runCli(['train', files.train, ...common, '--epochs', '2', '--no-baseline', '--out', out, '--quiet'])).code, 0);
  const preds = join(files.dir, 'preds.csv');
  const p = await runCli(['predict', out, files.test, '--out', preds]);
  assert.equal(p.code, 0, p.stderr);
  const rows = readFileSync(preds, 'utf8').trim().split('\n');
  assert.equal(rows[0], 'kind,flag');
  assert.equal(rows.length, 301);
  assert.ok(rows.slice(1).every((r) => /^(low|mid|high),(yes|no)$/.test(r)));

  const e = await runCli(['eval', out, files.test, '--json']);
  assert.equal(e.code, 0, e.stderr);
  const evaluation = JSON.parse(e.stdout) as { rows: number; tasks: Array<{ evaluation: { task: string } }> };
  assert.equal(evaluation.rows, 300);
  assert.deepEqual(evaluation.tasks.map((t) => t.evaluation.task), ['kind', 'flag']);

  const broken = join(files.dir, 'no-x2.csv');
  writeFileSync(broken, readFileSync(files.test, 'utf8').replace(/,x2,/, ',other,'));
  const m = await runCli(['predict', out, broken]);
  assert.equal(m.code, 3);
  assert.match(m.stderr, /column 'x2' is missing/);
  assert.match(m.stderr, /no-x2\.csv/);
  assert.doesNotMatch(m.stderr, /\n\s+at /, 'no stack trace');
});

test('an unknown --arch is refused with the valid values and exit code 2', async () => {
  const r = await runCli(['train', files.train, '--tasks', 'kind', '--arch', 'resnet', '--out', join(files.dir, 'never')]);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /resnet/);
  assert.match(r.stderr, /single-task, shared-bottom, cross-stitch, mmoe, ple/);
  assert.equal(existsSync(join(files.dir, 'never')), false);
});

test('layer norm is on by default and --no-layer-norm turns it off', async () => {
  const layerNorm = async (name: string, extra: string[]): Promise<unknown> => {
    const out = join(files.dir, name);
    const r = await runCli(['train', files.train, ...common, '--epochs', '1', '--no-baseline', '--quiet', '--out', out, ...extra]);
    assert.equal(r.code, 0, r.stderr);
    return (JSON.parse(readFileSync(join(out, 'model.json'), 'utf8')) as { network: { archOptions: { layerNorm: unknown } } }).network.archOptions.layerNorm;
  };
  assert.equal(await layerNorm('ln-default', []), true);
  assert.equal(await layerNorm('ln-off', ['--no-layer-norm']), false);
});
