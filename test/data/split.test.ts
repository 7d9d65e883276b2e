/** splitRows, kFolds and splitFromColumn: seeded, disjoint, complete and stratified over all tasks. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DataError, OptionError } from '../../src/errors.js';
import type { TaskLabels } from '../../src/data/schema.js';
import { kFolds, splitFromColumn, splitRows, type Split } from '../../src/data/split.js';
import { Random } from '../../src/util/random.js';
import { makeTable } from './helpers.js';

const N = 5000;
const rng = new Random(123);
/** Task a: 3 classes 70/25/5%; task b: 2 classes 90/10% (10% missing); task c: 4 labels with rare ones. */
const a = Int32Array.from({ length: N }, () => { const u = rng.next(); return u < 0.7 ? 0 : u < 0.95 ? 1 : 2; });
const b = Int32Array.from({ length: N }, () => (rng.next() < 0.1 ? -1 : rng.next() < 0.9 ? 0 : 1));
const rates = [0.5, 0.2, 0.02, 0.004];
const targets = Float32Array.from({ length: N * 4 }, (_, k) => (rng.next() < rates[k % 4] ? 1 : 0));
const labels: TaskLabels[] = [
  { task: 'a', type: 'multiclass', classIndex: a },
  { task: 'b', type: 'binary', classIndex: b },
  { task: 'c', type: 'multilabel', targets, mask: new Uint8Array(N).fill(1) },
];

function share(rows: Int32Array, test: (row: number) => boolean): number {
  let n = 0;
  for (const r of rows) if (test(r)) n++;
  return n / rows.length;
}

function assertPartition(parts: Int32Array[], total: number): void {
  const seen = new Uint8Array(total);
  for (const part of parts) {
    for (let i = 0; i < part.length; i++) {
      assert.equal(seen[part[i]], 0, `row ${part[i]} in two parts`);
      seen[part[i]] = 1;
      if (i > 0) assert.ok(part[i] > part[i - 1], 'sorted ascending');
    }
  }
  assert.ok(seen.every((s) => s === 1), 'every row is in a part');
}

describe('splitRows', () => {
  const split = splitRows(N, labels, { seed: 42 });

  it('is disjoint, complete and sized by the fractions', () => {
    assertPartition([split.train, split.valid, split.test], N);
    assert.ok(Math.abs(split.valid.length - 500) <= 2, `valid ${split.valid.length}`);
    assert.ok(Math.abs(split.test.length - 1000) <= 2, `test ${split.test.length}`);
  });
  it('repeats with the same seed and changes with another', () => {
    const again = splitRows(N, labels, { seed: 42 });
    for (const part of ['train', 'valid', 'test'] as const) assert.deepEqual(again[part], split[part]);
    const other = splitRows(N, labels, { seed: 43 });
    assert.notDeepEqual(other.test, split.test);
  });
  it('keeps every class share of every task in every part (within 0.6 points)', () => {
    const checks: Array<[string, (r: number) => boolean]> = [
      ['a=0', (r) => a[r] === 0], ['a=1', (r) => a[r] === 1], ['a=2', (r) => a[r] === 2],
      ['b=1', (r) => b[r] === 1], ['b missing', (r) => b[r] < 0],
      ...[0, 1, 2, 3].map((k): [string, (r: number) => boolean] => [`c${k}`, (r) => targets[r * 4 + k] === 1]),
    ];
    const all = Int32Array.from({ length: N }, (_, i) => i);
    for (const [name, test] of checks) {
      const overall = share(all, test);
      for (const part of ['train', 'valid', 'test'] as const) {
        const s = share(split[part], test);
        assert.ok(Math.abs(s - overall) <= 0.006, `${name} in ${part}: ${s.toFixed(4)} vs ${overall.toFixed(4)}`);
      }
    }
  });
  it('spreads a very rare label over the parts in proportion', () => {
    const positives = (rows: Int32Array): number => rows.filter((r) => targets[r * 4 + 3] === 1).length;
    const total = positives(Int32Array.from({ length: N }, (_, i) => i));
    assert.ok(total >= 10, `fixture has ${total} rare positives`);
    assert.ok(Math.abs(positives(split.test) - total * 0.2) <= 1, `test has ${positives(split.test)} of ${total}`);
    assert.ok(Math.abs(positives(split.valid) - total * 0.1) <= 1, `valid has ${positives(split.valid)} of ${total}`);
  });
  it('with a separate test file: train and valid only', () => {
    const s = splitRows(N, labels, { seed: 1, testFraction: 0, validFraction: 0.2 });
    assert.equal(s.test.length, 0);
    assertPartition([s.train, s.valid], N);
    assert.ok(Math.abs(s.valid.length - 1000) <= 2);
  });
  it('splits a subset of rows', () => {
    const rows = Int32Array.from({ length: 1000 }, (_, i) => i * 5);
    const s = splitRows(N, labels, { seed: 1, rows });
    const all = [...s.train, ...s.valid, ...s.test].sort((x, y) => x - y);
    assert.deepEqual(all, Array.from(rows));
  });
  it('rejects impossible fractions and labels of another length', () => {
    assert.throws(() => splitRows(N, labels, { validFraction: 0.5, testFraction: 0.5 }), OptionError);
    assert.throws(() => splitRows(N, labels, { testFraction: -0.1 }), OptionError);
    assert.throws(() => splitRows(N + 1, labels), /cover 5000 rows but the table has 5001/);
  });
});

describe('kFolds', () => {
  it('every row is in exactly one validation fold; train is the rest; stratified', () => {
    const rows = Int32Array.from({ length: N }, (_, i) => i);
    const folds = kFolds(rows, 5, 9, labels);
    assert.equal(folds.length, 5);
    assertPartition(folds.map((f) => f.valid), N);
    for (const fold of folds) {
      assertPartition([fold.train, fold.valid], N);
      assert.ok(Math.abs(fold.valid.length - 1000) <= 2);
      assert.ok(Math.abs(share(fold.valid, (r) => a[r] === 2) - share(rows, (r) => a[r] === 2)) <= 0.004);
    }
    assert.deepEqual(kFolds(rows, 5, 9, labels)[3].valid, folds[3].valid, 'seeded');
    assert.throws(() => kFolds(rows, 1, 9, labels), OptionError);
  });
});

describe('splitFromColumn', () => {
  it('reads train/valid/test in any case and rejects other values with their line', () => {
    const t = makeTable({ part: ['train', 'TEST', 'valid', 'Validation', 'train', 'dev'] });
    const s: Split = splitFromColumn(t, 'part');
    assert.deepEqual([Array.from(s.train), Array.from(s.valid), Array.from(s.test)], [[0, 4], [2, 3, 5], [1]]);
    const bad = makeTable({ part: ['train', 'holdout'] });
    assert.throws(() => splitFromColumn(bad, 'part'), (err: unknown) => {
      assert.ok(err instanceof DataError);
      assert.match(err.message, /line 3.*'holdout'; expected train, valid or test/);
      return true;
    });
    assert.throws(() => splitFromColumn(t, 'nope'), /no column 'nope'/);
  });
});
