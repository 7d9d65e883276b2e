import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parse } from 'csv-parse/sync';
import type { ModelMetadata } from '../../src/bundle/metadata.js';
import { predictionLines, predictionsHeader, textCell } from '../../src/bundle/predictions-csv.js';

test('a text cell that a spreadsheet would run as a formula is quoted with a leading apostrophe', () => {
  for (const v of ['=cmd', '+1', '-x', '@a', '\tx', '\rx', '-5', '=HYPERLINK("http://x")']) {
    const cell = textCell(v);
    assert.equal(cell[0], '"', `${JSON.stringify(v)} is quoted`);
    assert.deepEqual(parse(cell + '\n', { relax_quotes: false }), [[`'${v}`]], `${JSON.stringify(v)} reads back with the apostrophe`);
  }
  assert.equal(textCell('yes'), 'yes');
  assert.equal(textCell('a,b'), '"a,b"');
  assert.equal(textCell('say "hi"'), '"say ""hi"""');
  assert.equal(textCell('x=1'), 'x=1', 'only the first character matters');
});

test('labels are neutralised, probabilities and 0/1 indicators stay numbers', () => {
  const meta = {
    tasks: [
      { name: 'label', type: 'multiclass', columns: ['label'], classes: ['=cmd', '-5', 'ok'] },
      { name: 'tags', type: 'multilabel', columns: ['@x', 'y'], classes: ['@x', 'y'] },
    ],
  } as unknown as ModelMetadata;
  const predictions = [
    { task: 'label', type: 'multiclass' as const, probabilities: new Float32Array([0.75, 0.125, 0.125, 0.125, -0.5, 1.5]), labels: ['=cmd', '-5'] },
    { task: 'tags', type: 'multilabel' as const, probabilities: new Float32Array([0.9, 0.1, 0.2, 0.8]), labels: new BigInt64Array([1n, 0n, 0n, 1n]) },
  ];
  const csv = predictionsHeader(meta, true) + predictionLines(meta, predictions, true);
  const rows = parse(csv) as string[][];
  assert.deepEqual(rows[0], ['label', 'label:p(=cmd)', 'label:p(-5)', 'label:p(ok)', "'@x", 'y', 'tags:p(@x)', 'tags:p(y)']);
  assert.deepEqual(rows[1], ["'=cmd", '0.750000', '0.125000', '0.125000', '1', '0', '0.900000', '0.100000']);
  assert.deepEqual(rows[2], ["'-5", '0.125000', '-0.500000', '1.50000', '0', '1', '0.200000', '0.800000']);
});
