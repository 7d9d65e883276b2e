import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { defaultFirstRung, rungsBelow, stopsAtRung } from '../../src/tune/asha.js';

test('rungs sit at r, r·η, r·η², ... below the last epoch or round', () => {
  assert.deepEqual(rungsBelow(1, 3, 20), [1, 3, 9]);
  assert.deepEqual(rungsBelow(2, 2, 17), [2, 4, 8, 16]);
  assert.deepEqual(rungsBelow(5, 3, 5), []);
  assert.equal(defaultFirstRung(3, 20), 1);
  assert.equal(defaultFirstRung(3, 100), 4);
  assert.deepEqual(rungsBelow(defaultFirstRung(3, 200), 3, 200), [7, 21, 63, 189], 'the default 200 boosting rounds');
});

test('at a rung the top 1/η go on: the first arrival always, then only scores among the best ⌊n/η⌋', () => {
  assert.equal(stopsAtRung(0.1, [], 3), false);
  assert.equal(stopsAtRung(0.85, [0.9, 0.8], 3), true);
  assert.equal(stopsAtRung(0.95, [0.9, 0.8], 3), false);
  assert.equal(stopsAtRung(0.85, [0.9, 0.8, 0.7, 0.6, 0.5], 3), false, 'second of six, ⌊6/3⌋ = 2 go on');
  assert.equal(stopsAtRung(0.9, [0.9, 0.8], 3), false, 'a tie with the cut goes on');
});

test('whatever the arrival order, a new best always goes on and, past η arrivals, a new worst stops', () => {
  fc.assert(
    fc.property(fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: 1, maxLength: 40 }), fc.integer({ min: 2, max: 5 }), (scores, eta) => {
      for (let i = 0; i < scores.length; i++) {
        const before = scores.slice(0, i);
        const s = scores[i]!;
        if (before.every((b) => s > b)) assert.equal(stopsAtRung(s, before, eta), false);
        if (before.length + 1 >= eta && before.every((b) => s < b)) assert.equal(stopsAtRung(s, before, eta), true);
      }
    }),
  );
});
