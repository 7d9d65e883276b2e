import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { TaskLabels } from '../../src/data/schema.js';
import { mainMetric, MULTILABEL_METRICS, SINGLE_LABEL_METRICS } from '../../src/eval/main-metric.js';
import { evaluateLabels } from '../../src/eval/task.js';
import { parseFusionOptions } from '../../src/fusion/index.js';
import { scorer } from '../../src/fusion/score.js';
import { problem, TASKS } from './helpers.js';

const data = problem(200, 6);

test('the fusion scorer gives, for every metric, exactly the value mainMetric(evaluateLabels(…)) gives', () => {
  TASKS.forEach((task, t) => {
    const names = task.type === 'multilabel' ? MULTILABEL_METRICS : SINGLE_LABEL_METRICS;
    for (const name of names) {
      const input = { task, labels: data.labels[t]!, members: data.members.map((m) => m[t]!), rows: data.rows, width: task.classes.length };
      const score = scorer(input, parseFusionOptions({ fittedOn: 'held-out', metrics: { [task.name]: name } }));
      for (const member of data.members) {
        assert.deepEqual(score(member[t]!), mainMetric(evaluateLabels(data.labels[t]!, member[t]!), name), `${task.name} ${name}`);
      }
    }
  });
});

test('the fusion scorer falls back from AUC as mainMetric does when only one class is labelled', () => {
  const labels: TaskLabels = { task: 'flag', type: 'binary', classIndex: new Int32Array(data.rows).fill(1) };
  const input = { task: TASKS[1]!, labels, members: data.members.map((m) => m[1]!), rows: data.rows, width: 2 };
  const s = scorer(input, parseFusionOptions({ fittedOn: 'held-out' }))(data.members[2]![1]!);
  assert.equal(s.name, 'accuracy');
  assert.deepEqual(s, mainMetric(evaluateLabels(labels, data.members[2]![1]!)));
});
