/**
 * A report input with every optional part present (leaderboard, trees gain, task affinity, a
 * multi-label task) and hostile names, built the way write-report builds one, without training.
 */
import { calibrationBins } from '../../src/eval/calibration.js';
import { rocCurve } from '../../src/eval/roc-curve.js';
import { readFields } from '../../src/report/fields.js';
import type { ReportInput } from '../../src/report/input.js';
import { Random } from '../../src/util/random.js';

export const HOSTILE_CLASS = '<script>alert("x")</script>';
export const HOSTILE_COLUMN = 'a&b<i>"q"</i>';

const tasks: ReportInput['tasks'] = [
  { name: 'income<b>', type: 'binary', columns: ['income<b>'], classes: ['no', HOSTILE_CLASS] },
  { name: 'colour', type: 'multiclass', columns: ['colour'], classes: ['red', 'green', 'blue'] },
  { name: 'mood', type: 'multilabel', columns: ['happy', 'sad', 'calm'], classes: ['happy', 'sad', 'calm'] },
];

const metrics = (bump: number) => ({
  'income<b>': { accuracy: 0.8 + bump, balancedAccuracy: 0.7, macroF1: 0.72, logLoss: 0.4 - bump, auc: 0.85 + bump },
  colour: { accuracy: 0.6 + bump, balancedAccuracy: 0.5, macroF1: 0.55 + bump, logLoss: 0.9, auc: 0.75 },
  mood: { hammingLoss: 0.2 - bump, subsetAccuracy: 0.3, microF1: 0.6 + bump, macroF1: 0.5, auc: 0.7 },
});

/** model.json as a fused, gradient-weighted model would write it. */
export function modelJson(): Record<string, unknown> {
  const m = metrics(0.01);
  return {
    metrics: {
      evaluation: [
        { task: 'income<b>', type: 'binary', metrics: { ...m['income<b>'], confusion: [[50, 10], [8, 32]], count: 100 } },
        { task: 'colour', type: 'multiclass', metrics: { ...m.colour, confusion: [[20, 5, 5], [4, 22, 4], [6, 6, 28]], count: 100 } },
        { task: 'mood', type: 'multilabel', metrics: { ...m.mood, labelAuc: [0.7, 0.6, null], count: 100 } },
      ],
      evaluatedOn: 'test.csv',
      singleTask: metrics(0),
      deltaM: 1.23,
      leaderboard: [
        { name: 'select', kind: 'fusion', metrics: metrics(0.02), deltaM: 2.5 },
        { name: 'mmoe', kind: 'member', metrics: metrics(0.01), deltaM: 1.23 },
        { name: 'gbdt', kind: 'member', metrics: metrics(-0.01), deltaM: -0.8 },
      ],
    },
    training: {
      bestEpoch: 3,
      history: [1, 2, 3, 4].map((epoch) => ({
        epoch,
        trainLoss: [0.6 / epoch, 1 / epoch, 0.7 / epoch],
        valid: { 'income<b>': { metric: 'auc', value: 0.8 + epoch / 100 }, colour: { metric: 'macroF1', value: 0.5 + epoch / 100 }, mood: { metric: 'microF1', value: 0.55 + epoch / 100 } },
        best: epoch === 3,
      })),
      affinity: [[1, 0.3, -0.2], [0.3, 1, null], [-0.2, null, 1]],
    },
    trees: { importance: { 'income<b>': [{ feature: HOSTILE_COLUMN, gain: 30, splits: 4 }, { feature: 'age', gain: 10, splits: 2 }] } },
  };
}

export function fixtureInput(json: Record<string, unknown> = modelJson()): ReportInput {
  const r = new Random(1);
  const scores = Array.from({ length: 400 }, () => r.next());
  const positive = scores.map((s) => (r.next() < s ? 1 : 0));
  const calibration = calibrationBins(scores, positive);
  return {
    model: 'models/<fused>',
    polyheadVersion: '0.1.0',
    arch: 'mmoe',
    tasks,
    schema: {
      features: [{ name: HOSTILE_COLUMN, kind: 'numeric', missingRate: 0.1 }, { name: 'age', kind: 'numeric', missingRate: 0 }],
      excluded: [{ name: 'id', kind: 'identifier', reason: 'a distinct value on every row' }],
      tasks,
      warnings: [{ code: 'rare-class', message: `class '${HOSTILE_CLASS}' has few rows` }],
    },
    options: { arch: 'mmoe', epochs: 4, seed: 42 },
    fields: readFields(json),
    data: {
      source: 'test.csv',
      rows: 400,
      tasks: [
        { task: 'income<b>', roc: rocCurve(scores, positive), auc: 0.8, calibration, labelCounts: { counts: [200, 200], missing: 0 } },
        { task: 'colour', calibration, labelCounts: { counts: [100, 150, 150], missing: 0 } },
        { task: 'mood', calibration, labelF1: [{ f1: 0.7, support: 90 }, { f1: 0.4, support: 30 }, { f1: 0, support: 2 }], labelCounts: { counts: [90, 30, 2], missing: 5 } },
      ],
      importance: {
        rows: 400,
        repeats: 3,
        metrics: ['auc', 'macroF1', 'microF1'],
        drops: [
          { feature: HOSTILE_COLUMN, drop: [0.1, 0.02, 0.03], std: [0.01, 0.01, 0.01] },
          { feature: 'age', drop: [0.05, -0.01, 0], std: [0.01, 0, 0] },
        ],
      },
    },
  };
}
