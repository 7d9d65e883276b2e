/** parseTaskSpecs and the default task from declared label columns. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { OptionError } from '../../src/errors.js';
import { defaultTaskSpecs, parseTaskSpecs } from '../../src/data/tasks.js';
import { makeTable } from './helpers.js';

describe('parseTaskSpecs', () => {
  it('comma-separated tasks and name=a+b groups', () => {
    assert.deepEqual(parseTaskSpecs('income, marital-status,emo=happy+sad + calm'), [
      { name: 'income', columns: ['income'] },
      { name: 'marital-status', columns: ['marital-status'] },
      { name: 'emo', columns: ['happy', 'sad', 'calm'] },
    ]);
  });
  it('rejects empty names, duplicates and a column in two tasks', () => {
    for (const bad of ['', 'a,,b', '=a+b', 'g=a+', 'a,a', 'a,g=a+b']) assert.throws(() => parseTaskSpecs(bad), OptionError, bad);
  });
  it('defaults to the declared label columns as one task named labels', () => {
    const t = makeTable({ a: [1, 0], b: [0, 1] });
    assert.deepEqual(defaultTaskSpecs(t), []);
    t.meta = { labelColumns: ['a', 'b'] };
    assert.deepEqual(defaultTaskSpecs(t), [{ name: 'labels', columns: ['a', 'b'] }]);
  });
});
