import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Table } from '../../src/data/table.js';
import { permutationImportance, sampleRows, takeRows } from '../../src/eval/permutation-importance.js';
import { Random } from '../../src/util/random.js';

/** A table where task 0's label is the sign of x, task 1's is the colour; z is noise. */
function table(n: number): Table {
  const r = new Random(11);
  const x = Float64Array.from({ length: n }, () => r.normal());
  const z = Float64Array.from({ length: n }, () => r.normal());
  const color = Int32Array.from({ length: n }, () => r.int(2));
  return {
    source: 'synthetic',
    rowCount: n,
    columns: [
      { type: 'number', name: 'x', values: x },
      { type: 'number', name: 'z', values: z },
      { type: 'string', name: 'color', codes: color, dictionary: ['red', 'blue'] },
    ],
  };
}

/** A perfect "model": accuracy of sign(x) for task 0 and of the colour for task 1, against the unshuffled truth. */
function scorer(truth: Table) {
  const x0 = (truth.columns[0] as { values: Float64Array }).values;
  const c0 = (truth.columns[2] as { codes: Int32Array }).codes;
  return async (t: Table): Promise<number[]> => {
    const x = (t.columns[0] as { values: Float64Array }).values;
    const c = (t.columns[2] as { codes: Int32Array }).codes;
    let a = 0;
    let b = 0;
    for (let i = 0; i < t.rowCount; i++) {
      a += x[i]! > 0 === x0[i]! > 0 ? 1 : 0;
      b += c[i] === c0[i] ? 1 : 0;
    }
    return [a / t.rowCount, b / t.rowCount];
  };
}

test('a column the score does not read has zero importance; the ones it reads drop by about half', async () => {
  const t = table(2000);
  const drops = await permutationImportance(t, scorer(t), { features: ['x', 'z', 'color'], lowerIsBetter: [false, false], repeats: 3, seed: 1 });
  assert.deepEqual(drops.map((d) => d.feature), ['x', 'z', 'color']);
  assert.ok(Math.abs(drops[0]!.drop[0]! - 0.5) < 0.05, `x on task 0: ${drops[0]!.drop[0]}`);
  assert.equal(drops[0]!.drop[1], 0);
  assert.deepEqual(drops[1]!.drop, [0, 0]);
  assert.equal(drops[2]!.drop[0], 0);
  assert.ok(Math.abs(drops[2]!.drop[1]! - 0.5) < 0.05);
  assert.ok(drops[0]!.std[0]! > 0);
});

test('same seed, same drops; a loss counts a rise as importance; the input table is left as it was', async () => {
  const t = table(500);
  const before = Float64Array.from((t.columns[0] as { values: Float64Array }).values);
  const score = scorer(t);
  const loss = async (u: Table) => (await score(u)).map((a) => 1 - a);
  const options = { features: ['x'], lowerIsBetter: [true, true], repeats: 2, seed: 9 };
  const a = await permutationImportance(t, loss, options);
  const b = await permutationImportance(t, loss, options);
  assert.deepEqual(a, b);
  assert.ok(a[0]!.drop[0]! > 0.3);
  assert.deepEqual((t.columns[0] as { values: Float64Array }).values, before);
  await assert.rejects(permutationImportance(t, loss, { ...options, features: ['nope'] }), /'nope' is not in the table/);
});

test('a seeded sample of rows, in order, and the table of those rows', () => {
  const rows = sampleRows(1000, 10, 3);
  assert.equal(rows.length, 10);
  assert.deepEqual(rows, sampleRows(1000, 10, 3));
  for (let i = 1; i < rows.length; i++) assert.ok(rows[i]! > rows[i - 1]!);
  assert.equal(sampleRows(5, 10, 3).length, 5);
  const t = table(20);
  const sub = takeRows(t, Int32Array.from([4, 2]));
  assert.equal(sub.rowCount, 2);
  assert.deepEqual([...(sub.columns[0] as { values: Float64Array }).values], [(t.columns[0] as { values: Float64Array }).values[4], (t.columns[0] as { values: Float64Array }).values[2]]);
});
