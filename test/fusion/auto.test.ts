/**
 * auto: per task, every candidate (mean, best, select, stack; with the decision rule where a
 * macro-F1 task is asked for one) scored cross-validated on the fusion rows, the top one chosen and
 * fitted on all of them, the choice recorded; on few rows with many members it does not take the
 * stack that wins in-sample.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { macroF1 } from '../../src/eval/classification.js';
import { applyFusion, fitFusion, type TaskFusion } from '../../src/fusion/index.js';
import { problem, TASKS } from './helpers.js';

const data = problem(400, 11);
const spec = fitFusion('auto', data.members, data.labels, TASKS, { fittedOn: 'out-of-fold', decision: 'macro-f1' });

const withoutChoice = (f: TaskFusion): TaskFusion => {
  const rest = { ...f };
  delete rest.choice;
  return rest;
};

test('every task records its choice among every candidate, the decision rule only on the macro-F1 task', () => {
  const [kind, flag, tags] = spec.tasks.map((f) => f.choice!);
  assert.deepEqual(kind!.candidates.map((c) => `${c.method}/${c.decision}`), ['mean', 'best', 'select', 'stack'].flatMap((m) => [`${m}/argmax`, `${m}/macro-f1`]));
  assert.equal(kind!.metric, 'macroF1');
  for (const c of [flag!, tags!]) assert.deepEqual(c.candidates.map((x) => `${x.method}/${x.decision}`), ['mean/argmax', 'best/argmax', 'select/argmax', 'stack/argmax']);
  assert.equal(spec.tasks.every((f) => f.choice!.folds === 5), true);
});

test('the chosen candidate has the top cross-validated score, ties to the one listed first', () => {
  for (const f of spec.tasks) {
    const c = f.choice!;
    const lower = c.metric === 'hammingLoss' || c.metric === 'logLoss';
    const top = c.candidates.reduce((best, x) => ((lower ? x.score < best.score : x.score > best.score) ? x : best));
    assert.deepEqual([c.method, c.decision], [top.method, top.decision], f.task);
  }
});

test('the saved fusion of each task is its chosen method fitted on all the rows, with the chosen decision', () => {
  spec.tasks.forEach((f, t) => {
    const c = f.choice!;
    const direct = fitFusion(c.method, data.members, data.labels, TASKS, { fittedOn: 'out-of-fold', decision: c.decision });
    assert.deepEqual(withoutChoice(f), direct.tasks[t], f.task);
  });
});

test('on 80 rows and eight members the stack wins in-sample, and auto, cross-validated, takes another method', () => {
  const small = problem(80, 12, [1, 1.2, 1.4, 1.6, 1.8, 2, 2.2, 2.4]);
  const options = { fittedOn: 'out-of-fold', decision: 'argmax' } as const;
  const chosen = fitFusion('auto', small.members, small.labels, TASKS, options).tasks[0]!.choice!;
  const y = small.labels[0]!.type === 'multilabel' ? null : small.labels[0]!.classIndex;
  const inSample = (method: string) => macroF1(applyFusion(fitFusion(method, small.members, small.labels, TASKS, options), small.members)[0]!, y!);
  const others = ['mean', 'best', 'select'].map(inSample);
  assert.ok(inSample('stack') > Math.max(...others), `in-sample: stack ${inSample('stack')}, others ${others}`);
  const stackCv = chosen.candidates.find((x) => x.method === 'stack')!.score;
  assert.notEqual(chosen.method, 'stack', `cross-validated: ${JSON.stringify(chosen.candidates)}`);
  assert.ok(stackCv < Math.max(...chosen.candidates.map((x) => x.score)));
});
