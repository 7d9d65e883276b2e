import assert from 'node:assert/strict';
import { test } from 'node:test';
import { defaultSpace } from '../../src/tune/default-space.js';
import { defaultsTrial } from '../../src/tune/defaults-trial.js';
import { trialRandom } from '../../src/tune/sampler.js';
import { mergeSpace } from '../../src/tune/space-file.js';

test("trial 0 is train's defaults: static ones as values, data-sized ones left to the trainer", () => {
  const d = defaultSpace(5000);
  const p = defaultsTrial(d, d, trialRandom(1, 0));
  assert.equal(p.arch, 'shared-bottom');
  assert.equal(p.lr, 2e-3);
  assert.equal(p.weightDecay, 1e-4);
  assert.equal(p.hidden, null);
  assert.equal(p.batchSize, null);
  assert.equal('experts' in p, false, 'not an expert architecture');
});

test("a default the user's space excludes gives way to a draw inside the space", () => {
  const d = defaultSpace(5000);
  const space = mergeSpace(d, { arch: ['mmoe', 'ple'], lr: { low: 1e-4, high: 5e-4, log: true }, hidden: { choices: [[32], [64]] } }, 'space.json');
  const p = defaultsTrial(space, d, trialRandom(1, 0));
  assert.ok(['mmoe', 'ple'].includes(p.arch as string));
  assert.ok((p.lr as number) >= 1e-4 && (p.lr as number) <= 5e-4);
  assert.ok([[32], [64]].some((h) => JSON.stringify(h) === JSON.stringify(p.hidden)), 'a user-given choice, not the trainer\'s own size');
  assert.equal(p.experts, null, 'the expert count, active for an expert architecture, is left to the trainer as in the default space');
  assert.equal(p.weightDecay, 1e-4, 'an untouched default stays');
});
