import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { test } from 'node:test';
import { DataError } from '../../src/errors.js';
import { readTableChunks } from '../../src/data/read-chunks.js';
import { readTable, type ReadOptions } from '../../src/data/read.js';
import type { Column, Table } from '../../src/data/table.js';
import { Random } from '../../src/util/random.js';

const dir = mkdtempSync(join(tmpdir(), 'polyhead-chunks-'));

/** A column's cells as text ('' missing), whatever kind the reader gave it. */
function cells(column: Column): string[] {
  if (column.type === 'number') return Array.from(column.values, (v) => (Number.isNaN(v) ? '' : String(v)));
  return Array.from(column.codes, (c) => (c < 0 ? '' : column.dictionary[c]!));
}

async function chunked(path: string, options: ReadOptions, rows: number): Promise<{ names: string[]; columns: string[][]; lines: number[]; sizes: number[] }> {
  const out = { names: [] as string[], columns: [] as string[][], lines: [] as number[], sizes: [] as number[] };
  for await (const chunk of readTableChunks(path, options, rows)) {
    out.names = chunk.columns.map((c) => c.name);
    chunk.columns.forEach((c, j) => (out.columns[j] ??= []).push(...cells(c)));
    out.lines.push(...chunk.lines!);
    out.sizes.push(chunk.rowCount);
  }
  return out;
}

async function assertSameAsWhole(path: string, options: ReadOptions, rows: number): Promise<void> {
  const whole: Table = await readTable(path, options);
  const parts = await chunked(path, options, rows);
  assert.deepEqual(parts.names, whole.columns.map((c) => c.name), `${path}: names`);
  whole.columns.forEach((c, j) => assert.deepEqual(parts.columns[j], cells(c), `${path}: column ${c.name}`));
  assert.deepEqual(parts.lines, Array.from(whole.lines!), `${path}: line numbers`);
  assert.ok(parts.sizes.length > 1 || whole.rowCount <= rows, `${path}: read in several chunks`);
}

/** Rows with numbers, words, numbers-as-text ('07'), missing values and, from `quotesFrom` on, quoted fields. */
function lines(n: number, quotesFrom: number, delimiter = ','): string[] {
  const r = new Random(9);
  const out: string[] = [];
  for (let i = 0; i < n; i++) {
    const word = ['red', 'green', '07', '7', 'NA', ''][r.int(6)]!;
    const text = i >= quotesFrom && i % 5 === 0 ? `"say ""${word}"", twice"` : word;
    out.push([(r.normal() * 10).toFixed(3), i === n - 3 ? 'late text' : String(r.int(50)), text, r.next() < 0.5 ? 'yes' : 'no'].join(delimiter));
  }
  return out;
}

test('chunks of a CSV hold the whole table\'s values, across uDSV pieces, the hand-over to csv-parse and kind changes', async () => {
  // 25,000 rows pass 1 MB before the first quote, so the chunks are cut both in the uDSV loop and after csv-parse takes over.
  const path = join(dir, 'mixed.csv');
  writeFileSync(path, ['a,b,c,d', ...lines(25_000, 21_000)].join('\n') + '\n');
  await assertSameAsWhole(path, {}, 1000);
  await assertSameAsWhole(path, {}, 7);
});

test('junk first line, comments, blank lines, padded fields, CRLF, gzip and a file without header read the same in chunks', async () => {
  const padded = join(dir, 'adult-like.test');
  writeFileSync(padded, ['|1x3 Cross validator', '# a comment', ...lines(8000, 8000, ', ').flatMap((l, i) => (i % 100 === 0 ? ['', l] : [l]))].join('\r\n') + '\r\n');
  await assertSameAsWhole(padded, { columns: ['a', 'b', 'c', 'd'] }, 64);
  const gz = join(dir, 'quoted.csv.gz');
  writeFileSync(gz, gzipSync(['a;b;c;d', ...lines(3000, 0, ';')].join('\n')));
  await assertSameAsWhole(gz, {}, 500);
  const commentsFirst = join(dir, 'comments.csv');
  writeFileSync(commentsFirst, [...Array.from({ length: 50 }, (_, i) => `# note ${i}`), 'a,b,c,d', ...lines(200, 0)].join('\n'));
  await assertSameAsWhole(commentsFirst, {}, 10);
});

test('a ragged row is reported with its line and the header it disagrees with, from any chunk', async () => {
  const path = join(dir, 'ragged.csv');
  const body = lines(5000, 5000);
  body[4000] += ',extra';
  writeFileSync(path, ['a,b,c,d', ...body].join('\n') + '\n');
  const read = async () => {
    for await (const chunk of readTableChunks(path, {}, 100)) assert.ok(chunk.rowCount > 0);
  };
  await assert.rejects(read(), (e: unknown) => e instanceof DataError && e.code === 'ragged-row' && /line 4002 has 5 fields, expected 4 like the header on line 1/.test(e.message));
});

test('other formats are read whole and cut into chunks', async () => {
  const path = join(dir, 'rows.jsonl');
  writeFileSync(path, Array.from({ length: 250 }, (_, i) => JSON.stringify({ x: i, y: i % 3 ? 'a' : null })).join('\n'));
  const parts = await chunked(path, {}, 100);
  assert.deepEqual(parts.sizes, [100, 100, 50]);
  assert.deepEqual(parts.columns[0], Array.from({ length: 250 }, (_, i) => String(i)));
});
