/**
 * The uDSV fast path against csv-parse. A file without quotes in its first 64 KB goes through uDSV; the
 * same file with its first field quoted goes through csv-parse alone, so the two must give the same
 * table. Each file is bigger than one piece (64 KB) so that the oddities fall in later pieces.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, it } from 'node:test';
import { DataError } from '../../src/errors.js';
import { readTable, type ReadOptions } from '../../src/data/read.js';
import type { Table } from '../../src/data/table.js';
import { DATA_DIR, numbers, scratch, strings } from './helpers.js';

const { write } = scratch();

/** Rows `k,w,x` from `from` (k = row number, w a word or missing, x a decimal). */
function rows(count: number, from = 0, eol = '\n'): string {
  let out = '';
  for (let i = from; i < from + count; i++) out += `${i},${i % 7 === 0 ? 'NA' : `w${i % 5}`},${(i * 0.37 - 50).toFixed(3)}${eol}`;
  return out;
}

/** The table's content, without the file name. */
function content(t: Table): unknown {
  return { rowCount: t.rowCount, columns: t.columns, lines: Array.from(t.lines ?? []), meta: t.meta };
}

/** Reads `text` through uDSV, and again through csv-parse (first field quoted), and checks both agree. */
async function bothWays(name: string, text: string, options: ReadOptions = {}): Promise<Table> {
  assert.ok(!text.slice(0, 70_000).includes('"'), 'the fast file must have no quote in its sample');
  const fast = await readTable(write(`${name}.csv`, text), options);
  const slow = await readTable(write(`${name}-quoted.csv`, `"${text.slice(0, text.indexOf(','))}"${text.slice(text.indexOf(','))}`), options);
  assert.deepEqual(content(fast), content(slow));
  return fast;
}

async function rejectsAt(path: string, code: string, line: number, fragment: string): Promise<void> {
  await assert.rejects(readTable(path), (err: unknown) => {
    assert.ok(err instanceof DataError, String(err));
    assert.equal(err.code, code, err.message);
    assert.equal(err.details['line'], line, err.message);
    assert.ok(err.message.includes(fragment), err.message);
    return true;
  });
}

describe('CSV fast path (uDSV) against csv-parse', () => {
  it('gives the same table over many pieces, with a last line without line end', async () => {
    const t = await bothWays('plain', `k,w,x\n${rows(20_000)}19999,w0,1.5`);
    assert.equal(t.rowCount, 20_001);
    assert.equal(t.lines?.[20_000], 20_002);
    assert.equal(numbers(t, 'x')[1], -49.63);
  });

  it('the same with blank, comment, junk and space-only lines and padded fields after the sample', async () => {
    const odd = `\n# a comment, with commas, here\n|junk line\n   \n 7 ,  b , 2.5 \n`;
    // A piece of its own, far from the others: uDSV splits it, the sink trims it.
    const spaces = `${rows(5_000, 10_000)}8,\u00a0c\v,1\n`;
    const t = await bothWays('odd', `k,w,x\n${rows(10_000)}${odd}${spaces}${rows(5_000, 15_000)}`);
    assert.equal(t.rowCount, 20_002);
    assert.deepEqual(t.meta?.skippedLines, [10_004]);
    assert.equal(strings(t, 'w')[10_000], 'b');
    assert.equal(strings(t, 'w')[15_001], 'c');
    assert.equal(t.lines?.[10_001], 10_007, 'the line numbers after the odd lines are right');
  });

  it('the same on CRLF files, with a blank line among them and no line end at the end', async () => {
    const text = `k,w,x\r\n${rows(10_000, 0, '\r\n')}\r\n${rows(10_000, 10_000, '\r\n')}1,a,z`;
    const t = await bothWays('crlf', text);
    assert.equal(t.rowCount, 20_001);
    await bothWays('crlf-notrim', text, { trim: false });
    assert.equal(strings(t, 'w')[1], 'w1', 'no stray CR');
  });

  it('the same without a header, with given names, and without trimming', async () => {
    const text = `${rows(15_000)}5,b\u00a0,1.5\v\n`.replaceAll(',', ', ');
    const named = await bothWays('nohead', text, { columns: ['k', 'w', 'x'] });
    assert.equal(strings(named, 'w')[1], 'w1', 'padded fields are trimmed');
    assert.equal(strings(named, 'w')[15_000], 'b', "csv-parse's trim removes any white space at a field's end");
    const raw = await bothWays('notrim', text, { columns: ['k', 'w', 'x'], trim: false });
    assert.equal(strings(raw, 'w')[1], ' w1');
  });

  it('hands quoted newlines after the sample to csv-parse with the right line numbers', async () => {
    const path = write('late-quotes.csv', `k,w,x\n${rows(10_000)}10000,"two\nlines",1\n10001,"say ""hi""",2\n${rows(10, 10_002)}`);
    const t = await readTable(path);
    assert.equal(t.rowCount, 10_012);
    assert.deepEqual(strings(t, 'w').slice(10_000, 10_002), ['two\nlines', 'say "hi"']);
    assert.deepEqual(Array.from(t.lines ?? []).slice(9_999, 10_003), [10_001, 10_003, 10_004, 10_005]);
  });

  it('a ragged row after the sample names its line', async () => {
    await rejectsAt(write('ragged-short.csv', `k,w,x\n${rows(10_000)}1,2\n${rows(10)}`), 'ragged-row', 10_002, 'has 2 fields, expected 3');
    await rejectsAt(write('ragged-long.csv', `k,w,x\n${rows(10_000)}1,2,3,4\n${rows(10)}`), 'ragged-row', 10_002, 'has 4 fields');
    const gz = write('ragged.csv.gz', gzipSync(`k,w,x\n${rows(30_000)}1,2\n`));
    await rejectsAt(gz, 'ragged-row', 30_002, 'has 2 fields');
  });

  it('an unclosed quote after the sample names the line csv-parse stopped at', async () => {
    await rejectsAt(write('open-quote.csv', `k,w,x\n${rows(10_000)}1,"open,3\n${rows(10)}`), 'malformed-csv', 10_012, 'Quote Not Closed');
  });

  it('reads UCI Adult as csv-parse does', async () => {
    for (const name of ['adult.data', 'adult.test']) {
      const text = readFileSync(join(DATA_DIR, 'adult', name), 'utf8');
      const fast = await readTable(write(name, text));
      const first = text.indexOf('\n') + 1;
      // Quoting the first data field (adult.test's line 2) sends the copy through csv-parse.
      const quoted = `${text.slice(0, first)}"${text.slice(first, text.indexOf(',', first))}"${text.slice(text.indexOf(',', first))}`;
      const slow = await readTable(write(`quoted-${name}`, name === 'adult.test' ? quoted : `"${text.slice(0, text.indexOf(','))}"${text.slice(text.indexOf(','))}`));
      assert.deepEqual(content(fast), content(slow), name);
    }
  });
});
