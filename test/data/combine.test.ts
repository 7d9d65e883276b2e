import assert from 'node:assert/strict';
import { test } from 'node:test';
import { joinTable, stackTables } from '../../src/data/combine.js';
import { readTable } from '../../src/data/read.js';
import { DataError } from '../../src/errors.js';
import { numbers, scratch, strings } from './helpers.js';

const { write } = scratch();

test('stacked files keep every row; a column a file lacks is missing in its rows', async () => {
  const a = await readTable(write('a.csv', 'x,c,y\n1,u,yes\n2,v,no\n'));
  const b = await readTable(write('b.csv', 'c,x,z\nw,3,p\nu,4,q\nv,5,p\n'));
  const t = stackTables([a, b]);
  assert.equal(t.rowCount, 5);
  assert.deepEqual(t.columns.map((c) => c.name), ['x', 'c', 'y', 'z']);
  assert.deepEqual(numbers(t, 'x'), [1, 2, 3, 4, 5]);
  assert.deepEqual(strings(t, 'c'), ['u', 'v', 'w', 'u', 'v']);
  assert.deepEqual(strings(t, 'y'), ['yes', 'no', undefined, undefined, undefined]);
  assert.deepEqual(strings(t, 'z'), [undefined, undefined, 'p', 'q', 'p']);
  assert.deepEqual([...t.lines!], [2, 3, 2, 3, 4], "each row keeps its line in its own file");
  assert.match(t.source, /a\.csv \+ .*b\.csv/);
});

test('numbers in one file and texts in another are refused, naming both files and the column', async () => {
  const a = await readTable(write('n.csv', 'x,y\n1,yes\n2,no\n'));
  const b = await readTable(write('t.csv', 'x,y\nlow,yes\nhigh,no\n'));
  assert.throws(() => stackTables([a, b]), (e: unknown) => {
    assert.ok(e instanceof DataError);
    assert.equal(e.code, 'conflicting-columns');
    assert.match(e.message, /column 'x' holds numbers in .*n\.csv but texts in .*t\.csv \(e\.g\. 'low'\)/);
    return true;
  });
});

test('a join adds the other table\'s columns by key; unmatched keys are counted with their lines', async () => {
  const left = await readTable(write('l.csv', 'id,x,y\n1,0.5,yes\n2,0.7,no\n3,0.1,no\n2,0.9,yes\n'));
  const right = await readTable(write('r.csv', 'id,region,size\n2,north,10\n1,south,20\n'));
  const { table, unmatched, examples } = joinTable(left, right, 'id');
  assert.equal(table.rowCount, 4, 'never multiplied');
  assert.deepEqual(strings(table, 'region'), ['south', 'north', undefined, 'north']);
  assert.deepEqual(numbers(table, 'size'), [20, 10, NaN, 10]);
  assert.equal(unmatched, 1);
  assert.deepEqual(examples, ["'3' (line 4)"]);
});

test('a key on two rows of the joined table is refused with both lines', async () => {
  const left = await readTable(write('l2.csv', 'id,y\n1,yes\n2,no\n'));
  const right = await readTable(write('r2.csv', 'id,region\n1,north\n2,south\n1,east\n'));
  assert.throws(() => joinTable(left, right, 'id'), /r2\.csv, column 'id': the key '1' of column 'id' is on line 2 and line 4/);
});

test('a column in both tables, or no key column, is refused by name', async () => {
  const left = await readTable(write('l3.csv', 'id,x,y\n1,2,yes\n2,3,no\n'));
  const right = await readTable(write('r3.csv', 'id,x\n1,5\n2,6\n'));
  assert.throws(() => joinTable(left, right, 'id'), /column 'x' is in both .*l3\.csv and .*r3\.csv/);
  assert.throws(() => joinTable(left, right, 'key'), /no key column 'key' to join on/);
});
