/** encodeLabels: class indices, missing values, unseen labels and the trailing-dot rule. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { encodeLabels, labelCounts, sortClasses, unseenLabelWarning } from '../../src/data/labels.js';
import type { Task } from '../../src/data/schema.js';
import { makeTable } from './helpers.js';

const income: Task = { name: 'income', type: 'binary', columns: ['income'], classes: ['<=50K', '>50K'] };

describe('encodeLabels', () => {
  it('indices in class order, -1 for missing, unseen values counted', () => {
    const t = makeTable({ income: ['>50K', '<=50K', undefined, '<=50K.', '>50K.', 'maybe', 'maybe', '50K..'] });
    const { labels, unseen } = encodeLabels(t, income);
    assert.ok(labels.type === 'binary');
    assert.deepEqual(Array.from(labels.classIndex), [1, 0, -1, 0, 1, -1, -1, -1]);
    assert.deepEqual([...unseen], [['maybe', 2], ['50K..', 1]]);
    const warning = unseenLabelWarning(income, unseen, 'test.csv');
    assert.match(warning?.message ?? '', /3 rows of test\.csv have labels that are not classes .*'maybe' \(2\)/);
    assert.deepEqual(labelCounts(labels, 2), { counts: [2, 2], missing: 4 });
  });
  it('numeric label columns match classes by their text', () => {
    const t = makeTable({ y: [1, 2, 3, NaN, 2] });
    const task: Task = { name: 'y', type: 'multiclass', columns: ['y'], classes: ['1', '2'] };
    const { labels, unseen } = encodeLabels(t, task);
    if (labels.type !== 'multilabel') assert.deepEqual(Array.from(labels.classIndex), [0, 1, -1, -1, 1]);
    assert.deepEqual([...unseen], [['3', 1]]);
  });
  it('multi-label: 0/1 targets, rows with a missing or odd label masked', () => {
    const t = makeTable({ p: ['1', '0', undefined, 'yes'], q: [0, 1, 1, 7] });
    const task: Task = { name: 'g', type: 'multilabel', columns: ['p', 'q'], classes: ['p', 'q'] };
    const { labels, unseen } = encodeLabels(t, task);
    assert.equal(labels.type, 'multilabel');
    if (labels.type === 'multilabel') {
      assert.deepEqual(Array.from(labels.targets), [1, 0, 0, 1, 0, 1, 1, 0]);
      assert.deepEqual(Array.from(labels.mask), [1, 1, 0, 0]);
      assert.deepEqual(labelCounts(labels, 2), { counts: [1, 1], missing: 2 });
    }
    assert.deepEqual([...unseen], [['q=7', 1]]);
  });
  it('sortClasses: numbers numerically, text by code point', () => {
    assert.deepEqual(sortClasses(['10', '9', '-1', '9']), ['-1', '9', '10']);
    assert.deepEqual(sortClasses(['b', 'B', 'a', '10']), ['10', 'B', 'a', 'b']);
  });
});
