import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { runCli } from '../support/cli.js';
import { syntheticCsv, syntheticFiles } from '../support/synthetic-table.js';

const NAMES = 'id_like,x1,x2,color,city,kind,flag,zip,part';
const PARTS = ['train', 'train', 'train', 'train', 'train', 'train', 'train', 'valid', 'test', 'test'];

/** The synthetic table as a headerless ';' file with '-' for missing, a numeric-looking zip code and a split column. */
function oddFile(dir: string): string {
  const lines = syntheticCsv(700, 3).trim().split('\n').slice(1);
  const rows = lines.map((line, i) => {
    const cells = line.split(',').map((c) => (c === '' ? '-' : c));
    return [...cells, String(10000 + Number(cells[4]!.slice(4)) * 7), PARTS[i % 10]].join(';');
  });
  const path = join(dir, 'odd.txt');
  writeFileSync(path, rows.join('\n') + '\n');
  return path;
}

const files = syntheticFiles(10, 10);
const data = oddFile(files.dir);
const settings = ['--no-header', '--columns', NAMES, '--delimiter', ';', '--missing', '-', '--kinds', 'zip=categorical'];
const small = ['--tasks', 'kind,flag', '--hidden', '16', '--batch-size', '32', '--threads', '1', '--epochs', '2', '--no-baseline'];

test('train takes the table settings inspect takes, splits by a split column, and eval/predict reuse the settings', async () => {
  const out = join(files.dir, 'odd-model');
  const r = await runCli(['train', data, ...settings, ...small, '--split-column', 'part', '--out', out, '--json']);
  assert.equal(r.code, 0, r.stderr);
  const done = JSON.parse(r.stdout.trim().split('\n').at(-1)!) as { test?: Record<string, { accuracy: number }> };
  assert.ok(done.test?.['kind'] !== undefined, 'the rows marked test are evaluated');
  const meta = JSON.parse(readFileSync(join(out, 'model.json'), 'utf8')) as { schema: { features: Array<{ name: string; kind: string }> } };
  const kinds = Object.fromEntries(meta.schema.features.map((f) => [f.name, f.kind]));
  assert.equal(kinds['zip'], 'categorical', 'the declared kind wins over the numeric look');
  assert.equal(kinds['x1'], 'numeric', "'-' is read as missing, so x1 stays numeric");
  assert.equal(kinds['part'], undefined, 'the split column is not a feature');

  const preds = join(files.dir, 'odd-preds.csv');
  const p = await runCli(['predict', out, data, '--out', preds]);
  assert.equal(p.code, 0, p.stderr);
  assert.equal(readFileSync(preds, 'utf8').trim().split('\n').length, 701);
  const e = await runCli(['eval', out, data, '--json']);
  assert.equal(e.code, 0, e.stderr);
});

test('a split column that marks test rows and a --test file together are refused', async () => {
  const r = await runCli(['train', data, ...settings, ...small, '--split-column', 'part', '--test', data, '--out', join(files.dir, 'never')]);
  assert.equal(r.code, 2, r.stderr);
  assert.match(r.stderr, /split column 'part' marks 140 rows as test/);
});

test('a split column with a value other than train/valid/test names the line and the value', async () => {
  const bad = join(files.dir, 'bad-split.txt');
  writeFileSync(bad, readFileSync(data, 'utf8').replace(/;valid\n/, ';later\n'));
  const r = await runCli(['train', bad, ...settings, ...small, '--split-column', 'part', '--out', join(files.dir, 'never2')]);
  assert.equal(r.code, 3, r.stderr);
  assert.match(r.stderr, /line 8/);
  assert.match(r.stderr, /'later'; expected train, valid or test/);
});
