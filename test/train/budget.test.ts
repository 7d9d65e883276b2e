import assert from 'node:assert/strict';
import { test } from 'node:test';
import { trainingBudget } from '../../src/train/budget.js';

test('batch size, patience and epochs follow the training rows when not given', () => {
  assert.deepEqual(trainingBudget(29_305, {}), { batchSize: 256, epochs: 20, patience: 4 });
  assert.deepEqual(trainingBudget(352, {}), { batchSize: 32, epochs: 95, patience: 19 });
  assert.deepEqual(trainingBudget(2_000, {}), { batchSize: 128, epochs: 65, patience: 13 });
});

test('what the user gives is kept, and the rest is sized around it', () => {
  assert.deepEqual(trainingBudget(352, { batchSize: 256 }), { batchSize: 256, epochs: 500, patience: 100 });
  assert.deepEqual(trainingBudget(352, { epochs: 3 }), { batchSize: 32, epochs: 3, patience: 19 });
  assert.deepEqual(trainingBudget(29_305, { patience: 0, epochs: 7, batchSize: 64 }), { batchSize: 64, epochs: 7, patience: 0 });
});
