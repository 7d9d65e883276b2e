/** JSON lines, ARFF and Parquet on crafted files. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { readTable } from '../../src/data/read.js';
import { inferSchema } from '../../src/data/infer.js';
import { labelsFromRelation } from '../../src/data/arff.js';
import type { Table } from '../../src/data/table.js';
import { numbers, scratch, strings } from './helpers.js';
import { writeParquet } from './parquet-writer.js';

const { write } = scratch();
const declared = (t: Table): Record<string, string | undefined> => Object.fromEntries(t.columns.map((c) => [c.name, c.declared]));

describe('JSON lines', () => {
  it('columns in order of first appearance; absent keys and null are missing', async () => {
    const path = write('rows.jsonl', '{"a":1,"b":"x"}\n\n{"b":"y","c":true}\n{"a":3,"c":false,"d":{"k":[1]}}\n');
    const t = await readTable(path);
    assert.deepEqual(t.columns.map((c) => c.name), ['a', 'b', 'c', 'd']);
    assert.deepEqual(numbers(t, 'a').map((x) => (Number.isNaN(x) ? null : x)), [1, null, 3]);
    assert.deepEqual(strings(t, 'b'), ['x', 'y', undefined]);
    assert.deepEqual(strings(t, 'c'), [undefined, 'true', 'false']);
    assert.deepEqual(strings(t, 'd'), [undefined, undefined, '{"k":[1]}']);
    assert.deepEqual(Array.from(t.lines ?? []), [1, 3, 4]);
  });

  it('declares a key number or boolean when every value is one; strings and mixed keys are inferred', async () => {
    const path = write('types.jsonl', '{"n":0,"b":true,"s":"1","m":1,"z":"08123"}\n{"n":1,"b":null,"s":"2","m":"x","z":"10001"}\n{"n":null,"b":false,"s":"NA","m":2}\n');
    const t = await readTable(path);
    assert.deepEqual(declared(t), { n: 'number', b: 'boolean', s: undefined, m: undefined, z: undefined });
    assert.deepEqual(numbers(t, 's').map((x) => (Number.isNaN(x) ? null : x)), [1, 2, null], 'a JSON string that spells a number is one');
    assert.deepEqual(strings(t, 'z'), ['08123', '10001', undefined], 'a zero-padded one stays text');
  });
});

describe('ARFF', () => {
  const arff = [
    "% a comment",
    "@RELATION 'multi: -C 2'",
    '',
    "@attribute 'label one' {0,1}",
    '@attribute two {yes,no}',
    '@attribute "x val" NUMERIC',
    '@attribute name string',
    '@attribute color {red, \'dark blue\'}',
    '@data',
    "1,yes,0.5,'a, b',red",
    '% inside data',
    "0,no,?,plain,'dark blue'",
    "{0 1, 2 7, 4 'dark blue'}",
  ].join('\n');

  it('reads quoted names, nominal, numeric, string, sparse rows and the -C label count', async () => {
    const t = await readTable(write('m.arff', arff));
    assert.deepEqual(t.columns.map((c) => c.name), ['label one', 'two', 'x val', 'name', 'color']);
    assert.equal(t.rowCount, 3);
    assert.deepEqual(t.meta?.labelColumns, ['label one', 'two'], '-C 2: the first two attributes');
    assert.deepEqual(strings(t, 'label one'), ['1', '0', '1'], 'nominal values stay strings');
    assert.deepEqual(strings(t, 'two'), ['yes', 'no', 'yes'], 'a sparse row leaves a nominal at its first value');
    assert.deepEqual(numbers(t, 'x val').map((x) => (Number.isNaN(x) ? null : x)), [0.5, null, 7]);
    assert.deepEqual(strings(t, 'name'), ['a, b', 'plain', undefined]);
    assert.deepEqual(strings(t, 'color'), ['red', 'dark blue', 'dark blue']);
    assert.deepEqual(Array.from(t.lines ?? []), [10, 12, 13]);
    assert.deepEqual(declared(t), { 'label one': 'nominal', two: 'nominal', 'x val': 'number', name: 'string', color: 'nominal' });
    const schema = inferSchema(t);
    assert.equal(schema.tasks[0].type, 'multilabel');
    assert.deepEqual(schema.tasks[0].columns, ['label one', 'two']);
  });

  it('-C -n means the last n attributes; no -C means no labels', () => {
    const attrs = ['a', 'b', 'c', 'd'].map((name) => ({ name }));
    assert.deepEqual(labelsFromRelation('emotions: -C -2', attrs), ['c', 'd']);
    assert.deepEqual(labelsFromRelation('x -C 1 -split 3', attrs), ['a']);
    assert.equal(labelsFromRelation('plain', attrs), undefined);
    assert.throws(() => labelsFromRelation('r: -C -9', attrs), /declares 9 labels .* only 4 attributes/);
  });
});

describe('Parquet', () => {
  it('keeps the declared types: numbers, strings that look numeric, booleans, nulls', async () => {
    const path = write(
      't.parquet',
      writeParquet([
        { name: 'x', type: 'double', values: [1.5, null, 3, 4.25] },
        { name: 'n', type: 'int32', values: [1, 2, 3, 4] },
        { name: 's', type: 'string', values: ['a', 'b', null, '007'] },
        { name: 'flag', type: 'boolean', values: [true, false, true, true] },
      ]),
    );
    const t = await readTable(path);
    assert.equal(t.rowCount, 4);
    assert.equal(t.meta?.format, 'parquet');
    assert.deepEqual(numbers(t, 'x').map((x) => (Number.isNaN(x) ? null : x)), [1.5, null, 3, 4.25]);
    assert.deepEqual(numbers(t, 'n'), [1, 2, 3, 4]);
    assert.deepEqual(strings(t, 's'), ['a', 'b', undefined, '007']);
    assert.deepEqual(strings(t, 'flag'), ['true', 'false', 'true', 'true']);
    assert.deepEqual(declared(t), { x: 'number', n: 'number', s: 'string', flag: 'boolean' });
  });
});
