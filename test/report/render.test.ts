import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFields } from '../../src/report/fields.js';
import { escapeHtml } from '../../src/report/html.js';
import { renderReport } from '../../src/report/render.js';
import { fixtureInput, HOSTILE_CLASS, HOSTILE_COLUMN, modelJson } from './fixture.js';

const count = (html: string, what: string): number => html.split(what).length - 1;

test('every user-provided string is escaped: no tag from a class label or column name reaches the page', async () => {
  const html = await renderReport(fixtureInput());
  assert.equal(count(html, '<script'), 0);
  assert.equal(count(html, '<i>'), 0);
  assert.equal(count(html, '<fused>'), 0);
  assert.ok(html.includes(escapeHtml(HOSTILE_COLUMN)), 'the column name is shown, escaped');
  assert.ok(html.includes(escapeHtml(HOSTILE_CLASS)), 'the class label is shown, escaped');
});

test('a model with every optional part gets every section and chart', async () => {
  const html = await renderReport(fixtureInput());
  for (const id of ['metrics', 'leaderboard', 'task-0', 'task-1', 'task-2', 'training', 'data']) assert.ok(html.includes(`<section id="${id}">`), id);
  for (const title of ['confusion matrix', 'ROC curve', 'reliability', 'F1 per label', 'permutation importance', 'tree gain importance', 'task affinity', 'learning curves']) {
    assert.ok(html.includes(title), title);
  }
  // learning curves ×3, confusion ×2, ROC, reliability ×3, label F1, permutation ×3, gain, affinity
  assert.equal(count(html, '<figure class="chart"><svg'), 15);
  assert.ok(!html.includes('<script'), 'no script at all');
  assert.ok(html.includes('Δm'));
  // The leaderboard ranks the fusion first for every task.
  const board = html.slice(html.indexOf('<section id="leaderboard">'), html.indexOf('<section id="task-0">'));
  assert.equal(count(board, '<td>1. select</td>'), 3);
});

test('the same input renders the same bytes', async () => {
  assert.equal(await renderReport(fixtureInput()), await renderReport(fixtureInput()));
});

test('malformed or missing optional parts drop their section only', async () => {
  const json = modelJson();
  (json.metrics as Record<string, unknown>).leaderboard = 'not a list';
  (json.training as Record<string, unknown>).affinity = [[1, 2]];
  delete json.trees;
  const fields = readFields(json);
  assert.equal(fields.leaderboard, undefined);
  assert.equal(fields.gain, undefined);
  assert.equal(fields.evaluation.length, 3);
  const html = await renderReport(fixtureInput(json));
  assert.ok(!html.includes('<section id="leaderboard">'));
  assert.ok(!html.includes('task affinity'), 'a 1×2 affinity matrix for 3 tasks is not drawn');
  assert.ok(html.includes('<section id="metrics">'));

  const bare = { ...fixtureInput({}), data: undefined, dataNote: 'pass --data FILE' };
  const minimal = await renderReport(bare);
  assert.deepEqual(readFields(null), { evaluation: [] });
  assert.ok(minimal.includes('records no evaluation'));
  assert.ok(minimal.includes('pass --data FILE'));
  assert.ok(!minimal.includes('<section id="training">'));
  assert.equal(count(minimal, '<svg'), 0);
});

test('a trees model: its rounds are drawn as one learning curve with the best round', async () => {
  const json = modelJson();
  json.training = { bestRound: 20, rounds: 30, history: Array.from({ length: 30 }, (_, i) => ({ round: i + 1, trainLoss: 1 / (i + 1), validScore: 0.7 + i / 300 })) };
  const fields = readFields(json);
  assert.equal(fields.best, 20);
  assert.equal(fields.rounds?.length, 30);
  assert.equal(fields.epochs, undefined);
  const html = await renderReport(fixtureInput(json));
  assert.ok(html.includes('trees: learning curves'));
  assert.ok(html.includes('best 20'));
});

test("a fused run's leaderboard (entries scored on the share and the test rows) is read, on the test rows", () => {
  const tasks = (income: number) => ({ tasks: { income: { auc: income, accuracy: 0.8 } } });
  const fields = readFields({
    metrics: {
      leaderboard: {
        mainMetric: { income: 'auc' },
        entries: [
          { name: 'gbdt', kind: 'member', valid: tasks(0.91), test: tasks(0.89) },
          { name: 'fusion:select', kind: 'fusion', chosen: true, valid: tasks(0.92), test: tasks(0.9) },
          { name: 'fusion:mean', kind: 'fusion', valid: tasks(0.88), test: null },
        ],
      },
    },
  });
  assert.deepEqual(fields.leaderboard?.map((e) => [e.name, e.kind, e.metrics.income?.auc]), [
    ['gbdt', 'member', 0.89],
    ['fusion:select (saved)', 'fusion', 0.9],
    ['fusion:mean', 'fusion', 0.88],
  ]);
});
