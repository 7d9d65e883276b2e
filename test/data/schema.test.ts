/** inferSchema: kinds, task checks, the mostly-numeric rule and warnings with figures. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DataError, OptionError } from '../../src/errors.js';
import { inferSchema } from '../../src/data/infer.js';
import { readTable } from '../../src/data/read.js';
import type { Schema } from '../../src/data/schema.js';
import { makeTable, scratch } from './helpers.js';

const { write } = scratch();
const N = 200;
const range = (n: number): number[] => Array.from({ length: n }, (_, i) => i);
const cycle = <T>(values: T[], n = N): T[] => range(n).map((i) => values[i % values.length]);

function kindOf(schema: Schema, name: string): string | undefined {
  return schema.features.find((f) => f.name === name)?.kind ?? schema.excluded.find((e) => e.name === name)?.kind;
}

describe('column kinds', () => {
  const table = makeTable({
    y: cycle(['a', 'b', 'c', 'a', 'b']),
    num: range(N).map((i) => (i * 37) % 101 + 0.5),
    cat: cycle(['red', 'green', 'blue']),
    bool: cycle(['yes', 'no', 'no']),
    bin01: cycle([0, 1, 1]),
    text: range(N).map((i) => `the quick brown fox number ${i} jumps over ${i % 7} lazy dogs`),
    when: range(N).map((i) => `2024-01-${String((i % 28) + 1).padStart(2, '0')}T10:${String(i % 60).padStart(2, '0')}:00Z`),
    sid: range(N).map((i) => `user-${i * 13}`),
    nid: range(N).map((i) => 1000 + i),
    const: cycle(['same']),
    empty: cycle([undefined]),
    holes: range(N).map((i) => (i % 4 === 0 ? i : undefined)),
  });
  const schema = inferSchema(table, { tasks: 'y' });

  it('infers every kind', () => {
    const expected: Record<string, string> = {
      y: 'task', num: 'numeric', cat: 'categorical', bool: 'boolean', bin01: 'boolean', text: 'text', when: 'datetime',
      sid: 'identifier', nid: 'identifier', const: 'constant', empty: 'empty', holes: 'numeric',
    };
    for (const [name, kind] of Object.entries(expected)) assert.equal(kindOf(schema, name), kind, name);
  });
  it('gives reasons for excluded columns and missing rates for features', () => {
    assert.match(schema.excluded.find((e) => e.name === 'sid')?.reason ?? '', /different value in each of the 200/);
    assert.match(schema.excluded.find((e) => e.name === 'empty')?.reason ?? '', /all 200 values are missing/);
    assert.equal(schema.features.find((f) => f.name === 'holes')?.missingRate, 0.75);
    const high = schema.warnings.find((w) => w.code === 'high-missing');
    assert.equal(high?.column, 'holes');
    assert.match(high?.message ?? '', /75\.0% of rows \(150 of 200\)/);
  });
  it('ignore and declared kinds override inference', () => {
    const s = inferSchema(table, { tasks: 'y', ignore: ['num'], kinds: { nid: 'categorical', cat: 'text' } });
    assert.equal(kindOf(s, 'num'), 'ignored');
    assert.equal(kindOf(s, 'nid'), 'categorical');
    assert.equal(kindOf(s, 'cat'), 'text');
    assert.throws(() => inferSchema(table, { tasks: 'y', kinds: { cat: 'fancy' as never } }), OptionError);
    assert.throws(() => inferSchema(table, { tasks: 'y', ignore: ['nope'] }), /'nope' ignored but not in the table/);
  });
  it('extra missing tokens count as missing', () => {
    const t = makeTable({ y: cycle(['a', 'b']), c: cycle(['x', 'unknown', 'z', 'w']) });
    const s = inferSchema(t, { tasks: 'y', missingTokens: ['UNKNOWN'] });
    assert.equal(s.features.find((f) => f.name === 'c')?.missingRate, 0.25);
  });
});

describe('tasks', () => {
  const table = makeTable({ a: cycle(['x', 'y']), b: cycle([3, 1, 2, 10]), c: range(N), none: cycle([undefined]) });

  it('a task column that does not exist names it and lists the columns', () => {
    assert.throws(() => inferSchema(table, { tasks: 'a,nope' }), (err: unknown) => {
      assert.ok(err instanceof DataError);
      assert.equal(err.code, 'unknown-column');
      assert.match(err.message, /no column 'nope' \(the label of task 'nope'\); available columns: a, b, c, none/);
      return true;
    });
  });
  it('a task with only missing labels is an error', () => {
    assert.throws(() => inferSchema(table, { tasks: 'none' }), (err: unknown) => {
      assert.ok(err instanceof DataError);
      assert.equal(err.code, 'no-labels');
      assert.match(err.message, /column 'none': task 'none' has no labels: all 200 values are missing/);
      return true;
    });
  });
  it('type from distinct values; numeric classes sorted as numbers', () => {
    const s = inferSchema(table, { tasks: 'a,b' });
    assert.deepEqual(s.tasks.map((t) => [t.type, t.classes]), [
      ['binary', ['x', 'y']],
      ['multiclass', ['1', '2', '3', '10']],
    ]);
  });
  it('multi-label groups need binary columns', () => {
    const t = makeTable({ p: cycle(['1', '0']), q: cycle(['true', 'false', 'false']), r: cycle(['a', 'b']) });
    const s = inferSchema(t, { tasks: 'both=p+q' });
    assert.deepEqual(s.tasks[0], { name: 'both', type: 'multilabel', columns: ['p', 'q'], classes: ['p', 'q'] });
    assert.throws(() => inferSchema(t, { tasks: 'g=p+r' }), /column 'r': a label of multi-label task 'g' holds 'a'/);
  });
});

describe('mostly-numeric columns', () => {
  it('too many non-numbers: an error naming the column, the count and lines', async () => {
    const rows = range(100).map((i) => `${i % 2 ? 'a' : 'b'},${i === 17 || i === 40 ? 'n/k' : i * 1.5}`);
    const path = write('bad-num.csv', `y,x\n${rows.join('\n')}\n`);
    const table = await readTable(path);
    assert.throws(() => inferSchema(table, { tasks: 'y' }), (err: unknown) => {
      assert.ok(err instanceof DataError);
      assert.equal(err.code, 'non-numeric-values');
      assert.match(err.message, /column 'x': mostly numbers \(98\.0% of 100 values\) but 2 values are not: 'n\/k' \(line 19\), 'n\/k' \(line 42\)/);
      assert.equal(err.location.column, 'x');
      return true;
    });
    const declared = inferSchema(table, { tasks: 'y', kinds: { x: 'numeric' } });
    assert.equal(declared.features.find((f) => f.name === 'x')?.kind, 'numeric');
    assert.match(declared.warnings.find((w) => w.code === 'non-numeric')?.message ?? '', /2 of 100 values are not numbers/);
    const categorical = inferSchema(table, { tasks: 'y', kinds: { x: 'categorical' } });
    assert.equal(categorical.features.find((f) => f.name === 'x')?.kind, 'categorical');
    const missing = inferSchema(await readTable(path, { missingTokens: ['n/k'] }), { tasks: 'y' });
    assert.equal(missing.features.find((f) => f.name === 'x')?.kind, 'numeric');
  });
  it('within the 0.1% tolerance: numeric, with a warning', () => {
    const x: Array<number | string> = range(3000).map((i) => i * 0.5);
    x[100] = 'oops';
    const t = makeTable({ y: cycle(['a', 'b'], 3000), x });
    const s = inferSchema(t, { tasks: 'y' });
    assert.equal(s.features.find((f) => f.name === 'x')?.kind, 'numeric');
    assert.match(s.warnings.find((w) => w.code === 'non-numeric')?.message ?? '', /1 of 3000 values are not numbers \('oops' \(line 102\)\)/);
  });
});

describe('warnings', () => {
  it('leakage: a feature that copies or determines the label', () => {
    const y = range(1000).map((i) => ((i * 7919) % 13 < 4 ? 'yes' : 'no'));
    const t = makeTable({
      y,
      copy: y.map((v) => (v === 'yes' ? 'Y' : 'N')),
      score: y.map((v, i) => (v === 'yes' ? 50 + (i % 50) : i % 50)),
      noise: range(1000).map((i) => (i * 31) % 17),
    });
    const s = inferSchema(t, { tasks: 'y' });
    const leaks = s.warnings.filter((w) => w.code === 'leakage');
    assert.deepEqual(leaks.map((w) => w.column).sort(), ['copy', 'score']);
    assert.match(leaks.find((w) => w.column === 'copy')?.message ?? '', /100\.00% of 1000 rows .* majority class alone gives 69\.\d%/);
  });
  it('rare classes and a single class, with counts', () => {
    const t = makeTable({ y: range(100).map((i) => (i < 3 ? 'rare' : i < 8 ? 'odd' : 'common')), one: cycle(['k'], 100), f: range(100) });
    const s = inferSchema(t, { tasks: 'y,one' });
    const rare = s.warnings.find((w) => w.code === 'rare-class');
    assert.match(rare?.message ?? '', /2 of 3 classes have fewer than 10 rows: 'odd' \(5\), 'rare' \(3\)/);
    const single = s.warnings.find((w) => w.code === 'single-class');
    assert.equal(single?.task, 'one');
    assert.match(single?.message ?? '', /single class \('k' in all 100 labelled rows\)/);
  });
});
