/** Data fusion at the command line: several training files, each labelling some tasks, and a joined table. */
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { runCli } from '../support/cli.js';

const dir = mkdtempSync(join(tmpdir(), 'polyhead-fusion-data-'));
const write = (name: string, lines: string[]): string => {
  const path = join(dir, name);
  writeFileSync(path, `${lines.join('\n')}\n`);
  return path;
};

/** Rows whose label y follows x1 and z follows the category c; `labels` says which columns a file carries. */
function rows(n: number, seed: number, labels: ('y' | 'z')[], id = false): string[] {
  let s = seed;
  const rand = () => ((s = (s * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
  const out = [[...(id ? ['id'] : []), 'x1', 'x2', 'c', ...labels].join(',')];
  for (let i = 0; i < n; i++) {
    const x1 = rand();
    const c = 'uvw'[Math.floor(rand() * 3)]!;
    const y = x1 > 0.5 ? 'hi' : 'lo';
    const z = c === 'u' ? 'p' : 'q';
    out.push([...(id ? [String(i)] : []), x1.toFixed(4), rand().toFixed(4), c, ...labels.map((l) => (l === 'y' ? y : z))].join(','));
  }
  return out;
}

test('two files with disjoint task labels train one model for both tasks', async () => {
  const a = write('a.csv', rows(400, 1, ['y']));
  const b = write('b.csv', rows(400, 2, ['z']));
  const testFile = write('both.csv', rows(300, 3, ['y', 'z']));
  const out = join(dir, 'stacked');
  const r = await runCli(['train', a, b, '--tasks', 'y,z', '--test', testFile, '--epochs', '8', '--no-baseline', '--out', out, '--json']);
  assert.equal(r.code, 0, r.stderr);
  const done = JSON.parse(r.stdout.trim().split('\n').at(-1)!) as { test: Record<string, { accuracy: number }> };
  assert.ok(done.test.y!.accuracy > 0.85, `y learned from a.csv alone: ${done.test.y!.accuracy}`);
  assert.ok(done.test.z!.accuracy > 0.85, `z learned from b.csv alone: ${done.test.z!.accuracy}`);
  const meta = JSON.parse(readFileSync(join(out, 'model.json'), 'utf8')) as { plan: { trainingRows: number } };
  assert.ok(meta.plan.trainingRows > 400, 'the training rows come from both files');
});

test('--join adds columns by key; unmatched keys are a warning that counts them', async () => {
  const left = rows(300, 4, ['y', 'z'], true).map((line, i) => (i === 0 ? line.replace(',c,', ',') : line.replace(/,[uvw],/, ',')));
  const leftFile = write('left.csv', left);
  const cats = rows(300, 4, ['y'], true).slice(1).map((line) => line.split(','));
  const other = write('other.csv', ['id,c', ...cats.filter((_, i) => i % 10 !== 0).map((f) => `${f[0]},${f[3]}`)]);
  const out = join(dir, 'joined');
  const r = await runCli(['train', leftFile, '--join', other, '--on', 'id', '--tasks', 'y,z', '--epochs', '8', '--no-baseline', '--out', out]);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /30 of 300 rows of .*left\.csv have no row in .*other\.csv for their 'id' \('0' \(line 2\)/);
  const meta = JSON.parse(readFileSync(join(out, 'model.json'), 'utf8')) as { schema: { features: { name: string }[] } };
  assert.ok(meta.schema.features.some((f) => f.name === 'c'), 'the joined column is a feature');
});

test('a duplicated key in the joined table is refused with its lines, and nothing is written', async () => {
  const leftFile = write('left2.csv', rows(60, 5, ['y'], true));
  const other = write('dup.csv', ['id,region', '1,north', '2,south', '1,east']);
  const out = join(dir, 'dup');
  const r = await runCli(['train', leftFile, '--join', other, '--on', 'id', '--tasks', 'y', '--out', out]);
  assert.equal(r.code, 3);
  assert.match(r.stderr, /dup\.csv, column 'id': the key '1' of column 'id' is on line 2 and line 4/);
  assert.ok(!existsSync(out));
});

test('--join without --on is refused as a bad option', async () => {
  const r = await runCli(['train', write('l3.csv', rows(30, 6, ['y'])), '--join', 'x.csv', '--tasks', 'y', '--out', join(dir, 'x')]);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /--join FILE and --on KEY go together/);
});

test('a model trained with --join records it; predict and eval refuse to run without it, and with it predict as in training', async () => {
  const left = rows(300, 7, ['y', 'z'], true).map((line, i) => (i === 0 ? line.replace(',c,', ',') : line.replace(/,[uvw],/, ',')));
  const cats = rows(300, 7, ['y'], true).slice(1).map((line) => line.split(','));
  const leftFile = write('left-p.csv', left);
  const other = write('other-p.csv', ['id,c', ...cats.map((f) => `${f[0]},${f[3]}`)]);
  const out = join(dir, 'joined-p');
  const trained = await runCli(['train', leftFile, '--join', other, '--on', 'id', '--tasks', 'y,z', '--arch', 'gbdt', '--rounds', '20', '--no-baseline', '--out', out, '--json']);
  assert.equal(trained.code, 0, trained.stderr);
  const meta = JSON.parse(readFileSync(join(out, 'model.json'), 'utf8')) as { join: { file: string; on: string; columns: string[] } };
  assert.deepEqual(meta.join, { file: other, on: 'id', columns: ['c'] });

  for (const command of ['predict', 'eval']) {
    const without = await runCli([command, out, leftFile]);
    assert.equal(without.code, 2, `${command} without --join: ${without.stderr}`);
    assert.match(without.stderr, /was trained with the columns 'c' of .*other-p\.csv joined on 'id'; give that table again: --join .*other-p\.csv --on id/);
    const wrongKey = await runCli([command, out, leftFile, '--join', other, '--on', 'x1']);
    assert.equal(wrongKey.code, 2);
    assert.match(wrongKey.stderr, /joins on 'id', not 'x1'; use --on id/);
  }
  const lacking = await runCli(['predict', out, leftFile, '--join', write('no-c.csv', ['id,d', '1,a'])]);
  assert.equal(lacking.code, 3, lacking.stderr);
  assert.match(lacking.stderr, /lacks column 'c' that .* was trained with/);

  const evaluated = await runCli(['eval', out, leftFile, '--join', other, '--on', 'id', '--json']);
  assert.equal(evaluated.code, 0, evaluated.stderr);
  const z = (JSON.parse(evaluated.stdout) as { tasks: { evaluation: { task: string; metrics: { accuracy: number } } }[] }).tasks.find((t) => t.evaluation.task === 'z')!;
  assert.ok(z.evaluation.metrics.accuracy > 0.95, `z follows the joined column c: accuracy ${z.evaluation.metrics.accuracy}`);
  const unjoined = write('other-half.csv', ['id,c', ...cats.filter((_, i) => i % 2 === 0).map((f) => `${f[0]},${f[3]}`)]);
  const predicted = await runCli(['predict', out, leftFile, '--join', unjoined, '--chunk-rows', '64']);
  assert.equal(predicted.code, 0, predicted.stderr);
  assert.equal(predicted.stdout.trim().split('\n').length, 301, 'a header and one line per row');
  assert.match(predicted.stderr, /150 of 300 rows have no row in .*other-half\.csv for their 'id'/);

  const plain = join(dir, 'plain-p');
  assert.equal((await runCli(['train', leftFile, '--tasks', 'y', '--arch', 'gbdt', '--rounds', '5', '--no-baseline', '--out', plain])).code, 0);
  const extra = await runCli(['predict', plain, leftFile, '--join', other]);
  assert.equal(extra.code, 2);
  assert.match(extra.stderr, /was trained without --join; drop --join and --on/);
});
