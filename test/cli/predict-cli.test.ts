import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { parse } from 'csv-parse/sync';
import { PolyheadModel } from '../../src/bundle/model.js';
import { predictionLines, predictionsHeader } from '../../src/bundle/predictions-csv.js';
import { readForModel } from '../../src/cli/model-data.js';
import { Random } from '../../src/util/random.js';
import { runCli } from '../support/cli.js';
import { syntheticCsv, syntheticFiles } from '../support/synthetic-table.js';

const files = syntheticFiles(1500, 10);
const common = ['--hidden', '16', '--tower-hidden', '4', '--batch-size', '64', '--epochs', '2', '--no-baseline', '--threads', '1', '--quiet'];

/** The whole file as one table through the model, as predict did before it streamed. */
async function inOnePiece(modelDir: string, data: string): Promise<string> {
  const model = await PolyheadModel.load(modelDir);
  try {
    const predictions = await model.predict(await readForModel(model, data));
    return predictionsHeader(model.meta, true) + predictionLines(model.meta, predictions, true);
  } finally {
    await model.release();
  }
}

test('predict in chunks of 100 rows writes the same CSV as the whole table at once, even where a chunk reads a column as another kind', async () => {
  const modelDir = join(files.dir, 'model');
  assert.equal((await runCli(['train', files.train, '--tasks', 'kind,flag', ...common, '--out', modelDir])).code, 0);
  const lines = syntheticCsv(3000, 5).trimEnd().split('\n');
  const data = lines.map((line, i) => {
    const cells = line.split(',');
    // The first chunk's city column holds numbers only (a numeric column in that chunk, text in the
    // whole file), x1 turns to text near the end, and quoted fields send the file through csv-parse.
    if (i > 0 && i <= 150) cells[4] = i % 2 ? '7' : '07';
    if (i === 2900) cells[1] = 'unknown';
    if (i % 7 === 0 && i > 0) cells[3] = `"${cells[3]}"`;
    return cells.join(',');
  });
  const path = join(files.dir, 'mixed.csv');
  writeFileSync(path, data.join('\n') + '\n');
  const out = join(files.dir, 'chunked.csv');
  const r = await runCli(['predict', modelDir, path, '--probabilities', '--chunk-rows', '100', '--out', out]);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stderr, /wrote 3000 predictions/);
  const expected = await inOnePiece(modelDir, path);
  assert.equal(expected.split('\n').length, 3002);
  assert.equal(readFileSync(out, 'utf8'), expected);
  const stdout = await runCli(['predict', modelDir, path, '--probabilities', '--chunk-rows', '333']);
  assert.equal(stdout.stdout, expected, 'standard output gets the same CSV');
});

test('a file that fails half-way leaves no output file and no temporary file behind', async () => {
  const modelDir = join(files.dir, 'model-fail');
  assert.equal((await runCli(['train', files.train, '--tasks', 'kind', ...common, '--out', modelDir])).code, 0);
  const lines = syntheticCsv(2000, 6).trimEnd().split('\n');
  lines[1500] += ',extra';
  const path = join(files.dir, 'ragged.csv');
  writeFileSync(path, lines.join('\n') + '\n');
  const r = await runCli(['predict', modelDir, path, '--chunk-rows', '256', '--out', join(files.dir, 'never.csv')]);
  assert.equal(r.code, 3, r.stderr);
  assert.match(r.stderr, /line 1501 has 8 fields, expected 7 like the header on line 1/);
  assert.equal(existsSync(join(files.dir, 'never.csv')), false);
  assert.deepEqual(readdirSync(files.dir).filter((f) => f.includes('never')), []);
  const bad = await runCli(['predict', modelDir, path, '--chunk-rows', '0']);
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /--chunk-rows expects a whole number of rows ≥ 1, got 0/);
});

test('labels and label columns that look like formulas are written neutralised and read back with their apostrophe', async () => {
  const classes = ['=cmd', '+cmd', '-x', '@a', '\tx', '-5'];
  const r = new Random(3);
  const rows: string[] = [];
  for (let i = 0; i < 900; i++) {
    const x = r.next() * classes.length;
    const z = r.normal();
    rows.push(JSON.stringify({ x, z, label: classes[Math.floor(x)], '@x': z > 0 ? 1 : 0, '-y': x > 3 ? 1 : 0 }));
  }
  const data = join(files.dir, 'formulas.jsonl');
  writeFileSync(data, rows.join('\n') + '\n');
  const modelDir = join(files.dir, 'model-formulas');
  const t = await runCli(['train', data, '--tasks', 'label,tags=@x+-y', ...common, '--epochs', '8', '--out', modelDir]);
  assert.equal(t.code, 0, t.stderr);
  const out = join(files.dir, 'formulas.csv');
  const p = await runCli(['predict', modelDir, data, '--chunk-rows', '200', '--out', out]);
  assert.equal(p.code, 0, p.stderr);
  const text = readFileSync(out, 'utf8');
  const [header, ...body] = parse(text) as string[][];
  assert.deepEqual(header, ['label', "'@x", "'-y"]);
  assert.equal(body.length, 900);
  const seen = new Set(body.map((row) => row[0]!));
  for (const label of seen) assert.ok(classes.map((c) => `'${c}`).includes(label), `label cell ${JSON.stringify(label)} is a neutralised class`);
  assert.ok(seen.size >= 3, `several classes predicted: ${[...seen].join(' ')}`);
  assert.ok(body.every((row) => /^[01]$/.test(row[1]!) && /^[01]$/.test(row[2]!)), 'multi-label indicators stay 0/1');
  for (const line of text.split('\n')) assert.doesNotMatch(line, /(^|,)[=+\-@\t\r]/, 'no cell starts with a formula character');
});

test('--format reads a data file whose name says another format, in predict and eval alike; an unknown format is refused', async () => {
  const modelDir = join(files.dir, 'model-format');
  assert.equal((await runCli(['train', files.train, '--tasks', 'kind,flag', ...common, '--out', modelDir])).code, 0);
  const [header, ...rows] = parse(readFileSync(files.test, 'utf8')) as string[][];
  const records = rows.map((row) => JSON.stringify(Object.fromEntries(row.map((v, i) => [header![i]!, v === '' || Number.isNaN(Number(v)) ? v || null : Number(v)]))));
  const misnamed = join(files.dir, 'rows-as-jsonl.csv');
  writeFileSync(misnamed, records.join('\n') + '\n');
  const refused = await runCli(['predict', modelDir, misnamed]);
  assert.equal(refused.code, 3, refused.stderr);
  assert.match(refused.stderr, /rows-as-jsonl\.csv.*pass the format explicitly/);
  const fromJsonl = await runCli(['predict', modelDir, misnamed, '--format', 'jsonl', '--probabilities']);
  assert.equal(fromJsonl.code, 0, fromJsonl.stderr);
  const fromCsv = await runCli(['predict', modelDir, files.test, '--probabilities']);
  assert.equal(fromJsonl.stdout, fromCsv.stdout, 'the same rows as JSON lines predict the same');
  const evaluated = await runCli(['eval', modelDir, misnamed, '--format', 'jsonl', '--json']);
  assert.equal(evaluated.code, 0, evaluated.stderr);
  assert.deepEqual(JSON.parse(evaluated.stdout), JSON.parse((await runCli(['eval', modelDir, files.test, '--json'])).stdout));
  const unknown = await runCli(['eval', modelDir, misnamed, '--format', 'xls']);
  assert.equal(unknown.code, 2);
  assert.match(unknown.stderr, /unknown format 'xls'; allowed: csv, parquet, jsonl, arff/);
});
