/** Bad input: every case is a DataError (or OptionError) that names the file, the line and what was expected. */
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { describe, it } from 'node:test';
import { DataError, OptionError } from '../../src/errors.js';
import { readTable } from '../../src/data/read.js';
import { scratch } from './helpers.js';
import { writeParquet } from './parquet-writer.js';

const { dir, write } = scratch();

async function rejectsData(promise: Promise<unknown>, code: string, ...fragments: Array<string | RegExp>): Promise<DataError> {
  try {
    await promise;
  } catch (err) {
    assert.ok(err instanceof DataError, `expected a DataError, got ${String(err)}`);
    assert.equal(err.code, code, err.message);
    for (const f of fragments) {
      if (typeof f === 'string') assert.ok(err.message.includes(f), `message lacks ${JSON.stringify(f)}: ${err.message}`);
      else assert.match(err.message, f);
    }
    return err;
  }
  assert.fail(`expected DataError ${code}`);
}

describe('unreadable and empty files', () => {
  it('a missing file', async () => {
    await rejectsData(readTable(`${dir}/nope.csv`), 'unreadable-file', 'nope.csv', 'no such file');
  });
  it('a directory', async () => {
    await rejectsData(readTable(dir), 'unreadable-file', 'directory');
  });
  it('an empty file', async () => {
    await rejectsData(readTable(write('empty.csv', '')), 'empty-file', 'empty.csv', 'empty');
  });
  it('only comments and blank lines', async () => {
    await rejectsData(readTable(write('comments.csv', '# nothing\n\n# here\n')), 'empty-file', 'no header and no data');
  });
  it('a header and no rows', async () => {
    await rejectsData(readTable(write('head.csv', 'a,b,c\n')), 'no-rows', 'head.csv', 'no data rows');
  });
});

describe('malformed rows', () => {
  it('a ragged row names its line and both field counts', async () => {
    const err = await rejectsData(
      readTable(write('ragged.csv', 'a,b,c\n1,2,3\n4,5,6\n7,8\n9,10,11\n')),
      'ragged-row',
      'ragged.csv',
      'line 4 has 2 fields, expected 3',
    );
    assert.equal(err.details['line'], 4);
  });
  it('a row with too many fields', async () => {
    await rejectsData(readTable(write('wide.csv', 'a,b\n1,2\n3,4,5\n')), 'ragged-row', 'line 3 has 3 fields, expected 2');
  });
  it('an unclosed quote', async () => {
    await rejectsData(readTable(write('quote.csv', 'a,b\n1,"open\n2,3\n')), 'malformed-csv', 'quote.csv');
  });
  it('column names that do not match the field count are an OptionError', async () => {
    await assert.rejects(readTable(write('n.data', '1,2,3\n4,5,6\n'), { columns: ['x', 'y'] }), (err: unknown) => {
      assert.ok(err instanceof OptionError);
      assert.match(err.message, /2 column names were given but .* has 3 fields/);
      return true;
    });
  });
  it('a JSON line that is not an object', async () => {
    await rejectsData(readTable(write('bad.jsonl', '{"a":1}\n[1,2]\n')), 'malformed-json', 'line 2', 'found an array');
    await rejectsData(readTable(write('bad2.jsonl', '{"a":1}\n{"a":\n')), 'malformed-json', 'line 2', 'not valid JSON');
  });
  it('an ARFF value outside its nominal set, and a non-number in a numeric attribute', async () => {
    const head = '@relation r\n@attribute x numeric\n@attribute c {a,b}\n@data\n';
    await rejectsData(readTable(write('nom.arff', `${head}1,a\n2,z\n`)), 'malformed-arff', 'line 6', "'z' is not a declared value");
    await rejectsData(readTable(write('num.arff', `${head}1,a\nfoo,b\n`)), 'malformed-arff', 'line 6', "numeric but the value is 'foo'");
    await rejectsData(readTable(write('rag.arff', `${head}1,a\n2\n`)), 'ragged-row', 'line 6 has 1 values, expected 2');
  });
});

describe('content that is not what the name says', () => {
  const parquet = writeParquet([{ name: 'x', type: 'double', values: [1, 2] }]);
  it('a Parquet file named .csv', async () => {
    await rejectsData(readTable(write('really-parquet.csv', parquet)), 'format-mismatch', 'CSV', "Parquet file (it starts with 'PAR1')");
  });
  it('a CSV file named .parquet', async () => {
    await rejectsData(readTable(write('text.parquet', 'a,b\n1,2\n')), 'format-mismatch', "magic bytes 'PAR1'", 'text starting with "a,b"');
  });
  it('binary junk in a .csv', async () => {
    const junk = Uint8Array.from({ length: 4096 }, (_, i) => (i * 7919) % 256);
    await rejectsData(readTable(write('junk.csv', junk)), 'format-mismatch', 'binary data');
  });
  it('a .gz that is not gzip', async () => {
    await rejectsData(readTable(write('plain.csv.gz', 'a,b\n1,2\n')), 'format-mismatch', 'gzip');
  });
  it('a corrupt gzip stream', async () => {
    const gz = gzipSync('a,b\n' + '1,2\n'.repeat(1000));
    await rejectsData(readTable(write('cut.csv.gz', gz.subarray(0, gz.length - 30))), 'unreadable-file', 'cut.csv.gz');
  });
  it('an .arff without @relation and a .jsonl that is CSV', async () => {
    await rejectsData(readTable(write('x.arff', 'a,b\n1,2\n')), 'format-mismatch', "'@relation'");
    await rejectsData(readTable(write('x.jsonl', 'a,b\n1,2\n')), 'format-mismatch', 'JSON lines');
  });
  it('JSON lines in a .csv, unless the format is forced; a CSV whose first field starts with a brace is still CSV', async () => {
    const rows = write('rows.csv', '{"a":1,"b":"x"}\n{"a":2,"b":"y"}\n');
    await rejectsData(readTable(rows), 'format-mismatch', 'a CSV file', 'rows.csv');
    assert.deepEqual((await readTable(rows, { format: 'jsonl' })).columns.map((c) => c.name), ['a', 'b']);
    const braces = await readTable(write('braces.csv', '{x},1\n{y},2\n'), { header: false, columns: ['id', 'b'] });
    assert.deepEqual([braces.rowCount, braces.columns.map((c) => c.name)], [2, ['id', 'b']]);
  });
  it('a truncated Parquet file', async () => {
    await rejectsData(readTable(write('cut.parquet', parquet.subarray(0, parquet.length - 10))), 'malformed-parquet', 'cut.parquet');
  });
  it('an unknown extension is read by its content', async () => {
    const t = await readTable(write('table.bin', parquet));
    assert.equal(t.meta?.format, 'parquet');
    const j = await readTable(write('rows.log', '{"a":1}\n{"a":2}\n'));
    assert.equal(j.meta?.format, 'jsonl');
  });
  it('a failed read leaves no file behind', async () => {
    const before = readdirSync(dir).sort();
    await rejectsData(readTable(write('fail.csv', 'a,b\n1,2\n3\n')), 'ragged-row');
    assert.deepEqual(readdirSync(dir).sort(), [...before, 'fail.csv'].sort());
  });
});
