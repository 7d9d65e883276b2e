import assert from 'node:assert/strict';
import { mkdtempSync, existsSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { splitRows, type Schema, type Task, type TaskLabels } from '../../src/data/index.js';
import { heldOutWarnings, MIN_TRAINING_ROWS, splitShortfalls } from '../../src/data/minimums.js';
import { DataError } from '../../src/errors.js';
import { trainModel } from '../../src/pipeline/train-model.js';
import { Random } from '../../src/util/random.js';

const task = (name: string, classes: string[]): Task => ({ name, type: classes.length > 2 ? 'multiclass' : 'binary', columns: [name], classes });
const schemaOf = (...tasks: Task[]): Schema => ({ features: [], excluded: [], tasks, warnings: [] });

/** Class indices for `counts[c]` rows of each class c, shuffled by `seed`. */
function labels(name: string, counts: number[], seed: number): TaskLabels {
  const classIndex = Int32Array.from(counts.flatMap((n, c) => new Array<number>(n).fill(c)));
  return { task: name, type: counts.length > 2 ? 'multiclass' : 'binary', classIndex: new Random(seed).shuffle(classIndex) };
}

test('a class with 1 / validation share rows always gets a validation row, as the refusal message promises', () => {
  for (const share of [0.1, 0.15, 0.2, 0.25, 0.3]) {
    const need = Math.ceil(1 / share - 1e-9);
    for (let seed = 0; seed < 20; seed++) {
      const y = labels('y', [300, need], seed);
      // A second task whose rare class spreads first, so `y`'s rare class is not the rarest pair.
      const other = labels('g', [280, 15, 5 + need], seed + 100);
      const split = splitRows(300 + need, [y, other], { seed, validFraction: share, testFraction: 0.2 });
      const short = splitShortfalls(schemaOf(task('y', ['a', 'b']), task('g', ['u', 'v', 'w'])), [y, other], split, share);
      assert.deepEqual(short, [], `share ${share}, seed ${seed}: ${short.map((s) => s.message).join('; ')}`);
    }
  }
});

test('shortfalls name the task and class; a split column without validation rows asks for none', () => {
  const y = labels('y', [40, 1], 0);
  const schema = schemaOf(task('y', ['a', 'b']));
  const split = splitRows(41, [y], { seed: 0, validFraction: 0.1, testFraction: 0.2 });
  const short = splitShortfalls(schema, [y], split, 0.1);
  assert.deepEqual(short.map((s) => [s.code, s.task]), [['class-not-validated', 'y']]);
  assert.match(short[0]!.message, /class 'b' \(1 labelled row\)/);

  const rows = Int32Array.from({ length: 41 }, (_, i) => i);
  const noValid = { train: rows, valid: new Int32Array(0), test: new Int32Array(0) };
  assert.deepEqual(splitShortfalls(schema, [y], noValid), [], 'a split column with no valid rows: the user chose no validation');
  const few = { train: rows.subarray(0, MIN_TRAINING_ROWS - 1), valid: new Int32Array(0), test: new Int32Array(0) };
  assert.deepEqual(splitShortfalls(schema, [labels('y', [41, 0], 0)], few).map((s) => s.code), ['too-few-rows']);
});

test('held-out warnings: a missing class, an unlabelled task, an empty share', () => {
  const schema = schemaOf(task('y', ['a', 'b', 'c']), task('g', ['u', 'v']));
  const y = labels('y', [5, 5, 0], 0);
  const g: TaskLabels = { task: 'g', type: 'binary', classIndex: new Int32Array(10).fill(-1) };
  const w = heldOutWarnings(schema, [y, g], null, 'the test file t.csv');
  assert.deepEqual(w.map((x) => [x.code, x.task]), [['class-not-tested', 'y'], ['no-test-labels', 'g']]);
  assert.match(w[0]!.message, /no row of class 'c' in the test file t\.csv/);
  assert.deepEqual(heldOutWarnings(schema, [y, g], new Int32Array(0), 'the test share').map((x) => x.code), ['no-test-labels']);
});

test('the library refuses too little data with the shortfalls as data, and trains when forced', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'polyhead-minimums-api-'));
  const data = join(dir, 'small.csv');
  writeFileSync(data, 'x,y\n' + Array.from({ length: 12 }, (_, i) => `${i},${i % 2 ? 'a' : 'b'}`).join('\n') + '\n');
  const out = join(dir, 'model');
  const options = { tasks: 'y', epochs: 1, hidden: [4], threads: 1 };
  await assert.rejects(trainModel(data, out, options), (e: unknown) => {
    assert.ok(e instanceof DataError && e.code === 'too-little-data', String(e));
    const codes = (e.details['shortfalls'] as Array<{ code: string }>).map((s) => s.code);
    assert.ok(codes.includes('too-few-rows'), codes.join());
    return true;
  });
  assert.equal(existsSync(out), false);
  const report = await trainModel(data, out, { ...options, force: true });
  assert.ok(report.warnings.some((w) => /needs at least 20 \(trained anyway: --force\)/.test(w)), report.warnings.join('\n'));
  assert.ok(existsSync(join(out, 'model.onnx')));
});
