import { test } from 'node:test';
import assert from 'node:assert/strict';
import { defaultMainMetric, isLowerBetter, mainMetric } from '../../src/eval/main-metric.js';
import { evaluateLabels } from '../../src/eval/task.js';
import { OptionError } from '../../src/errors.js';

const binary = evaluateLabels(
  { task: 'income', type: 'binary', classIndex: new Int32Array([0, 1, 1, 0]) },
  new Float32Array([0.9, 0.1, 0.3, 0.7, 0.6, 0.4, 0.2, 0.8]),
);

test('defaults: AUC for binary, macro-F1 for multiclass, micro-F1 for multilabel', () => {
  assert.equal(defaultMainMetric('binary'), 'auc');
  assert.equal(defaultMainMetric('multiclass'), 'macroF1');
  assert.equal(defaultMainMetric('multilabel'), 'microF1');
  assert.deepEqual(mainMetric(binary), { name: 'auc', value: 0.5, lowerIsBetter: false });
});

test('override by name, including a lower-is-better metric', () => {
  assert.equal(mainMetric(binary, 'accuracy').value, 0.5);
  const ll = mainMetric(binary, 'logLoss');
  assert.equal(ll.name, 'logLoss');
  assert.equal(ll.lowerIsBetter, true);
  assert.equal(isLowerBetter('hammingLoss'), true);
  assert.equal(isLowerBetter('microF1'), false);
});

test('binary AUC undefined falls back to accuracy', () => {
  const oneClass = evaluateLabels(
    { task: 'income', type: 'binary', classIndex: new Int32Array([1, 1]) },
    new Float32Array([0.9, 0.1, 0.3, 0.7]),
  );
  assert.deepEqual(mainMetric(oneClass), { name: 'accuracy', value: 0.5, lowerIsBetter: false });
});

test('multilabel default and unknown names', () => {
  const ml = evaluateLabels(
    { task: 'tags', type: 'multilabel', targets: new Float32Array([1, 0, 0, 1]), mask: new Uint8Array([1, 1]) },
    new Float32Array([0.9, 0.2, 0.7, 0.6]),
  );
  // tp 2, fp 1, fn 0 → micro-F1 = 4 / 5
  assert.equal(mainMetric(ml).name, 'microF1');
  assert.ok(Math.abs(mainMetric(ml).value - 0.8) < 1e-12);
  assert.throws(
    () => mainMetric(ml, 'logLoss'),
    (e: unknown) => e instanceof OptionError && e.code === 'eval-unknown-metric' && /hammingLoss/.test(e.message),
  );
});
