import { test } from 'node:test';
import assert from 'node:assert/strict';
import { deltaM, taskDeltas } from '../../src/eval/delta-m.js';
import { OptionError } from '../../src/errors.js';

test('Δm by hand: mean relative gain in percent, sign flipped for losses', () => {
  // a: (0.88 − 0.80) / 0.80 = +10 %; b: (0.45 − 0.50) / 0.50 = −10 %;
  // c (log loss, lower is better): −(0.30 − 0.40) / 0.40 = +25 % → Δm = 25 / 3
  const multi = { a: 0.88, b: 0.45, c: 0.3 };
  const single = { a: 0.8, b: 0.5, c: 0.4 };
  const per = taskDeltas(multi, single, { c: true });
  assert.ok(Math.abs(per.a! - 10) < 1e-9 && Math.abs(per.b! + 10) < 1e-9 && Math.abs(per.c! - 25) < 1e-9);
  assert.ok(Math.abs(deltaM(multi, single, { c: true }) - 25 / 3) < 1e-9);
  assert.ok(Math.abs(deltaM(multi, single) - (10 - 10 - 25) / 3) < 1e-9);
  assert.equal(deltaM({ a: 0.7 }, { a: 0.7 }), 0);
});

test('Δm refuses unmatched tasks, empty input and a zero baseline', () => {
  const code = (fn: () => unknown, expected: string): void =>
    assert.throws(fn, (e: unknown) => e instanceof OptionError && e.code === expected);
  code(() => deltaM({ a: 1 }, { b: 1 }), 'eval-task-mismatch');
  code(() => deltaM({}, {}), 'eval-task-mismatch');
  code(() => deltaM({ a: 1 }, { a: 0 }), 'eval-bad-baseline');
  code(() => deltaM({ a: NaN }, { a: 1 }), 'eval-bad-baseline');
});
