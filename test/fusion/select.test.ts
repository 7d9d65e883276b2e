import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Task, TaskLabels } from '../../src/data/schema.js';
import { fitFusion } from '../../src/fusion/index.js';
import { problem, TASKS } from './helpers.js';

const FLAG: Task = { name: 'flag', type: 'binary', columns: ['flag'], classes: ['no', 'yes'] };
const labels: TaskLabels[] = [{ task: 'flag', type: 'binary', classIndex: Int32Array.from([0, 0, 1, 1, 0, 1]) }];

/** P(yes) per row: right rows get 0.8 for the true class, the member's two wrong rows 0.6 for the wrong one. */
function member(wrong: number[]): Float32Array[] {
  const y = labels[0]!.type === 'binary' ? labels[0]!.classIndex : new Int32Array();
  const probs = new Float32Array(12);
  y.forEach((c, i) => {
    const yes = wrong.includes(i) ? (c === 1 ? 0.4 : 0.6) : c === 1 ? 0.8 : 0.2;
    probs.set([1 - yes, yes], 2 * i);
  });
  return [probs];
}

test('select by hand: three members wrong on different rows; the first two together are right everywhere', () => {
  // Step 1: all score 4/6, the first wins the tie. Step 2: adding B or C makes every row right, B is
  // listed first. Later steps only tie 6/6, so the kept prefix ends at step 2.
  const members = [member([0, 1]), member([2, 3]), member([4, 5])];
  const spec = fitFusion('select', members, labels, [FLAG], { fittedOn: 'held-out', metrics: { flag: 'accuracy' } });
  const f = spec.tasks[0]!;
  assert.equal(f.kind, 'weighted');
  if (f.kind !== 'weighted') return;
  assert.deepEqual(f.picks, [0, 1]);
  assert.deepEqual(f.weights, [0.5, 0.5, 0]);
  assert.equal(f.metric, 'accuracy');
  assert.deepEqual(f.scores, [4 / 6, 1]);
});

test('select by hand: one member better than the others alone and in every mixture is picked alone', () => {
  const members = [member([0, 1]), member([]), member([0, 1, 2, 3])];
  const f = fitFusion('select', members, labels, [FLAG], { fittedOn: 'held-out', metrics: { flag: 'accuracy' } }).tasks[0]!;
  assert.ok(f.kind === 'weighted');
  assert.deepEqual(f.weights, [0, 1, 0]);
  assert.deepEqual(f.picks, [1]);
});

test('select never scores below best, and best takes the top member, on the rows it is fitted on, for a gain or a loss metric', () => {
  const data = problem(400, 8);
  const overrides: Record<string, string>[] = [{}, { kind: 'logLoss', flag: 'logLoss', tags: 'hammingLoss' }];
  for (const metrics of overrides) {
    const options = { fittedOn: 'out-of-fold' as const, metrics };
    const sel = fitFusion('select', data.members, data.labels, TASKS, options).tasks;
    const top = fitFusion('best', data.members, data.labels, TASKS, options).tasks;
    sel.forEach((s, t) => {
      assert.ok(s.kind === 'weighted' && top[t]!.kind === 'weighted');
      const selected = s.scores!.at(-1)!;
      const scores = top[t]!.scores!;
      const lower = ['logLoss', 'hammingLoss'].includes(s.metric!);
      const bestScore = lower ? Math.min(...scores) : Math.max(...scores);
      assert.ok(lower ? selected <= bestScore : selected >= bestScore, `${s.task} ${s.metric}: select ${selected} vs best ${bestScore}`);
      assert.deepEqual(top[t]!.weights, scores.map((_, m) => (m === scores.indexOf(bestScore) ? 1 : 0)), `${s.task}: best takes the first top scorer`);
    });
  }
});

test('select weights are pick counts over the kept iterations', () => {
  const data = problem(300, 9);
  const f = fitFusion('select', data.members, data.labels, TASKS, { fittedOn: 'held-out', iterations: 7 }).tasks;
  for (const s of f) {
    assert.ok(s.kind === 'weighted');
    assert.ok(s.picks!.length >= 1 && s.picks!.length <= 7);
    assert.equal(s.scores!.length, s.picks!.length);
    assert.deepEqual(s.weights, s.weights.map((_, m) => s.picks!.filter((p) => p === m).length / s.picks!.length));
  }
});
