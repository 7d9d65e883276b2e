import assert from 'node:assert/strict';
import { test } from 'node:test';
import { getArchitecture } from '../../src/arch/index.js';
import { paramLayout } from '../../src/train/step-graph.js';
import { Random } from '../../src/util/random.js';
import { FIELDS, frozenLogits, lossBuild, maxAbsDiff, NUMERIC, synthetic, TASKS } from './harness.js';

const linear = getArchitecture('linear');
const CATEGORIES = FIELDS.reduce((s, f) => s + f.cardinality, 0);

test('linear declares, per task, only a bias, numeric weights and a weight row per category', () => {
  const defs = paramLayout(lossBuild(linear)).defs.map((d) => `${d.name}[${d.shape}]`);
  const expected = TASKS.flatMap((t) => [
    `task:${t.name}.linear.b[${t.outputs}]`,
    `task:${t.name}.linear.w[${NUMERIC},${t.outputs}]`,
    `task:${t.name}.linear.categories[${CATEGORIES},${t.outputs}]`,
  ]);
  assert.deepEqual(defs, expected);
});

test('linear logits are b + x·W + the weight rows of the row’s categories, as one-hot logistic regression computes them', async () => {
  const r = new Random(9);
  const values = new Map<string, Float32Array>();
  for (const d of paramLayout(lossBuild(linear)).defs) {
    values.set(d.name, Float32Array.from({ length: d.shape.reduce((a, b) => a * b, 1) }, () => r.normal()));
  }
  const data = synthetic(30, 4);
  const logits = await frozenLogits(linear, values, data);
  TASKS.forEach((t, k) => {
    const b = values.get(`task:${t.name}.linear.b`)!;
    const w = values.get(`task:${t.name}.linear.w`)!;
    const table = values.get(`task:${t.name}.linear.categories`)!;
    const expected = new Float32Array(data.rows * t.outputs);
    for (let i = 0; i < data.rows; i++) {
      const color = Number(data.categorical[2 * i]);
      const city = FIELDS[0]!.cardinality + Number(data.categorical[2 * i + 1]);
      for (let c = 0; c < t.outputs; c++) {
        let z = b[c]! + table[color * t.outputs + c]! + table[city * t.outputs + c]!;
        for (let j = 0; j < NUMERIC; j++) z += data.numeric[i * NUMERIC + j]! * w[j * t.outputs + c]!;
        expected[i * t.outputs + c] = z;
      }
    }
    assert.ok(maxAbsDiff(logits[k]!, expected) < 1e-5, `task ${t.name} differs by ${maxAbsDiff(logits[k]!, expected)}`);
  });
});
