/** The real files in shared/data: row and column counts, junk lines, labels, the whole path to a split. */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { readTable } from '../../src/data/read.js';
import { inferSchema } from '../../src/data/infer.js';
import { encodeLabels, labelCounts } from '../../src/data/labels.js';
import { splitRows } from '../../src/data/split.js';
import { ADULT_NAMES, DATA_DIR, numbers, strings } from './helpers.js';

const adult = (name: string): string => join(DATA_DIR, 'adult', name);

describe('UCI Adult', () => {
  it('adult.data: 32,561 rows and 15 columns, no header, ", " separated, ? missing', async () => {
    const table = await readTable(adult('adult.data'));
    assert.equal(table.rowCount, 32_561);
    assert.equal(table.columns.length, 15);
    assert.deepEqual(table.columns.map((c) => c.name), Array.from({ length: 15 }, (_, j) => `c${j}`));
    assert.deepEqual(numbers(table, 'c0').slice(0, 3), [39, 50, 38]);
    const workclass = strings(table, 'c1');
    assert.equal(workclass[0], 'State-gov', 'the space after the comma is trimmed');
    assert.equal(workclass.filter((v) => v === undefined).length, 1_836, "workclass '?' values are missing");
    assert.equal(table.lines?.[32_560], 32_561);
  });

  it('adult.test: the junk first line is skipped, 16,281 rows remain, labels end in "."', async () => {
    const table = await readTable(adult('adult.test'), { columns: ADULT_NAMES });
    assert.equal(table.rowCount, 16_281);
    assert.deepEqual(table.meta?.skippedLines, [1]);
    assert.equal(table.lines?.[0], 2, 'the first row is on line 2');
    assert.deepEqual(new Set(strings(table, 'income')), new Set(['<=50K.', '>50K.']));
  });

  it('multi-task schema on adult.data; adult.test labels encode against its classes', async () => {
    const train = await readTable(adult('adult.data'), { columns: ADULT_NAMES });
    const schema = inferSchema(train, { tasks: 'income,marital-status,relationship' });
    assert.deepEqual(schema.tasks.map((t) => [t.name, t.type, t.classes.length]), [
      ['income', 'binary', 2],
      ['marital-status', 'multiclass', 7],
      ['relationship', 'multiclass', 6],
    ]);
    assert.deepEqual(schema.tasks[0].classes, ['<=50K', '>50K']);
    const featureNames = schema.features.map((f) => f.name);
    for (const task of ['income', 'marital-status', 'relationship']) assert.ok(!featureNames.includes(task));
    assert.equal(schema.features.length, 12);
    const kinds = Object.fromEntries(schema.features.map((f) => [f.name, f.kind]));
    assert.equal(kinds['age'], 'numeric');
    assert.equal(kinds['workclass'], 'categorical');
    assert.ok(Math.abs((schema.features.find((f) => f.name === 'workclass')?.missingRate ?? 0) - 1836 / 32561) < 1e-9);

    const test = await readTable(adult('adult.test'), { columns: ADULT_NAMES });
    const { labels, unseen } = encodeLabels(test, schema.tasks[0]);
    assert.equal(unseen.size, 0, "'<=50K.' is accepted as '<=50K'");
    assert.deepEqual(labelCounts(labels, 2), { counts: [12_435, 3_846], missing: 0 });

    const split = splitRows(train.rowCount, schema.tasks.map((t) => encodeLabels(train, t).labels), { seed: 7 });
    assert.equal(split.train.length + split.valid.length + split.test.length, 32_561);
  });
});

describe('MULAN emotions', () => {
  it('emotions-train.arff: 391 rows, 72 features and 6 declared label columns', async () => {
    const table = await readTable(join(DATA_DIR, 'emotions', 'emotions-train.arff'));
    assert.equal(table.rowCount, 391);
    assert.equal(table.columns.length, 78);
    assert.deepEqual(table.meta?.labelColumns, ['amazed-suprised', 'happy-pleased', 'relaxing-calm', 'quiet-still', 'sad-lonely', 'angry-aggresive']);
    const schema = inferSchema(table);
    assert.equal(schema.tasks.length, 1);
    assert.equal(schema.tasks[0].name, 'labels');
    assert.equal(schema.tasks[0].type, 'multilabel');
    assert.equal(schema.features.length, 72);
    assert.ok(schema.features.every((f) => f.kind === 'numeric'));
    const { labels } = encodeLabels(table, schema.tasks[0]);
    assert.equal(labels.type, 'multilabel');
    if (labels.type === 'multilabel') {
      assert.equal(labels.targets.length, 391 * 6);
      assert.ok(labels.mask.every((m) => m === 1));
      const positives = labelCounts(labels, 6).counts;
      assert.ok(positives.every((p) => p > 0 && p < 391), `positives per label ${positives}`);
    }
  });
});
