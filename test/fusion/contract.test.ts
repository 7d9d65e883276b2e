/**
 * The contract every registered fusion method meets (STYLE rule 7): one fused probability tensor
 * per task of a member's shape; weights that are a convex combination; seeded-free determinism;
 * binary, multiclass and multi-label tasks; missing labels skipped, not guessed; a JSON round trip
 * that changes nothing; no fitting without labels.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { TaskLabels } from '../../src/data/schema.js';
import { OptionError, TrainingError } from '../../src/errors.js';
import { applyFusion, fitFusion, FUSION_METHODS, getFusionMethod, labelsAt, parseFusionSpec } from '../../src/fusion/index.js';
import { problem, TASKS } from './helpers.js';

const data = problem(300, 1);
const OPTIONS = { fittedOn: 'held-out' } as const;

const labelledRows = (l: TaskLabels): Int32Array =>
  Int32Array.from({ length: l.type === 'multilabel' ? l.mask.length : l.classIndex.length }, (_, i) => i).filter((i) =>
    l.type === 'multilabel' ? l.mask[i] === 1 : l.classIndex[i]! >= 0,
  );

test('the registry names every fusion method once; an unknown name lists them', () => {
  assert.deepEqual([...FUSION_METHODS], ['mean', 'select', 'stack', 'best', 'auto']);
  assert.throws(() => getFusionMethod('stak'), (e: unknown) => e instanceof OptionError && e.code === 'unknown-fusion' && FUSION_METHODS.every((n) => e.message.includes(n)));
});

for (const method of FUSION_METHODS) {
  describe(`fusion ${method}`, () => {
    const spec = fitFusion(method, data.members, data.labels, TASKS, OPTIONS);
    const fused = applyFusion(spec, data.members);

    test('records the method, members, rows and which rows it was fitted on', () => {
      assert.equal(spec.method, method);
      assert.equal(spec.members, data.members.length);
      assert.equal(spec.rows, data.rows);
      assert.equal(spec.fittedOn, 'held-out');
      assert.equal(fitFusion(method, data.members, data.labels, TASKS, { fittedOn: 'out-of-fold' }).fittedOn, 'out-of-fold');
      assert.deepEqual(spec.tasks.map((t) => t.task), TASKS.map((t) => t.name));
    });

    test('gives one probability tensor per task, of a member’s shape, finite and normalised', () => {
      assert.equal(fused.length, TASKS.length);
      TASKS.forEach((task, t) => {
        const k = task.classes.length;
        assert.equal(fused[t]!.length, data.rows * k, task.name);
        assert.ok(fused[t]!.every((p) => Number.isFinite(p) && p >= 0 && p <= 1), `${task.name}: a probability outside [0, 1]`);
        if (task.type === 'multilabel') return;
        for (let i = 0; i < data.rows; i++) {
          const sum = fused[t]!.subarray(i * k, (i + 1) * k).reduce((a, b) => a + b, 0);
          assert.ok(Math.abs(sum - 1) < 1e-5, `${task.name} row ${i} sums to ${sum}`);
        }
      });
    });

    test('weights, where it has them, are non-negative and sum to 1', () => {
      for (const f of spec.tasks) {
        if (f.kind !== 'weighted') continue;
        assert.equal(f.weights.length, data.members.length);
        assert.ok(f.weights.every((w) => w >= 0));
        assert.ok(Math.abs(f.weights.reduce((a, b) => a + b, 0) - 1) < 1e-12, `${f.task}: weights ${f.weights}`);
      }
    });

    test('repeats exactly', () => {
      assert.deepEqual(fitFusion(method, data.members, data.labels, TASKS, OPTIONS), spec);
    });

    test('survives a JSON round trip through parseFusionSpec unchanged, predictions included', () => {
      const back = parseFusionSpec(JSON.parse(JSON.stringify(spec)));
      assert.deepEqual(back, spec);
      assert.deepEqual(applyFusion(back, data.members), fused);
    });

    test('rows with a missing label count as if they were not there', () => {
      TASKS.forEach((task, t) => {
        const rows = labelledRows(data.labels[t]!);
        assert.ok(rows.length < data.rows, `${task.name} has missing labels in the fixture`);
        const only = fitFusion(method, data.members.map((m) => [subset(m[t]!, rows, task.classes.length)]), [labelsAt(data.labels[t]!, rows)], [task], OPTIONS);
        assert.deepEqual(only.tasks[0], spec.tasks[t], task.name);
      });
    });

    test('a task without a single label is fused by mean and refused by the fitted methods', () => {
      const none: TaskLabels[] = [
        { task: 'kind', type: 'multiclass', classIndex: new Int32Array(data.rows).fill(-1) },
        data.labels[1]!,
        { task: 'tags', type: 'multilabel', targets: new Float32Array(data.rows * 3), mask: new Uint8Array(data.rows) },
      ];
      if (method === 'mean') {
        assert.deepEqual(fitFusion(method, data.members, none, TASKS, OPTIONS), spec);
        return;
      }
      assert.throws(() => fitFusion(method, data.members, none, TASKS, OPTIONS), (e: unknown) => e instanceof TrainingError && e.code === 'fusion-no-labels' && /'kind'/.test(e.message));
    });

    test('refuses members whose predictions do not match the tasks or are not probabilities', () => {
      const short = data.members.map((m, i) => (i === 1 ? [m[0]!, m[1]!.subarray(2), m[2]!] : m));
      assert.throws(() => fitFusion(method, short, data.labels, TASKS, OPTIONS), (e: unknown) => e instanceof OptionError && e.code === 'fusion-shape' && /member 1/.test(e.message) && /'flag'/.test(e.message));
      assert.throws(() => applyFusion(spec, data.members.slice(1)), (e: unknown) => e instanceof OptionError && e.code === 'fusion-shape');
      const broken = data.members.map((m, i) => (i === 2 ? [m[0]!, m[1]!, Float32Array.from(m[2]!, (v, j) => (j === 7 ? NaN : v))] : m));
      assert.throws(() => fitFusion(method, broken, data.labels, TASKS, OPTIONS), (e: unknown) => e instanceof OptionError && e.code === 'fusion-bad-probability' && /member 2/.test(e.message) && /row 2/.test(e.message));
    });
  });
}

function subset(probs: Float32Array, rows: Int32Array, width: number): Float32Array {
  const out = new Float32Array(rows.length * width);
  rows.forEach((r, i) => out.set(probs.subarray(r * width, (r + 1) * width), i * width));
  return out;
}

test('fusion options are checked once: unknown keys, bad values and a missing fittedOn are OptionErrors', () => {
  const bad = (options: unknown, field: string) =>
    assert.throws(() => fitFusion('select', data.members, data.labels, TASKS, options as never), (e: unknown) => e instanceof OptionError && e.code === 'bad-fusion-option' && e.message.includes(field));
  bad({}, 'fittedOn');
  bad({ fittedOn: 'test' }, 'fittedOn');
  bad({ ...OPTIONS, iterations: 0 }, 'iterations');
  bad({ ...OPTIONS, l2: 0 }, 'l2');
  bad({ ...OPTIONS, iteration: 5 }, 'iteration');
  assert.throws(() => fitFusion('select', data.members, data.labels, TASKS, { ...OPTIONS, metrics: { flag: 'r2' } }), (e: unknown) => e instanceof OptionError && e.code === 'eval-unknown-metric');
});
