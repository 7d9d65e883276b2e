/** The fast decimal reading gives exactly `Number()`'s double, or leaves the text to it. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseDecimal } from '../../src/data/decimal.js';
import { parseNumber } from '../../src/data/column-builder.js';
import { Random } from '../../src/util/random.js';

describe('parseDecimal', () => {
  it('agrees with Number() on random decimals of up to 15 digits, signs and leading zeros', () => {
    const rng = new Random(3);
    for (let k = 0; k < 200_000; k++) {
      const digits = Array.from({ length: 1 + rng.int(15) }, () => String(rng.int(10))).join('');
      const dot = rng.int(digits.length + 1);
      const text = `${rng.next() < 0.3 ? '-' : ''}${digits.slice(0, dot)}${rng.next() < 0.8 ? '.' : ''}${digits.slice(dot)}`;
      const x = parseDecimal(text);
      if (x === x) assert.ok(Object.is(x, Number(text)), text);
      else assert.ok(text.replace(/[-.]/g, '') === '' || Number.isNaN(Number(text)), text);
    }
  });

  it('leaves everything else to Number(), which parseNumber still checks', () => {
    for (const text of ['1e5', '+3', '0x10', '1.2.3', '-', '.', '', '12345678901234567', '1,5', ' 1']) assert.ok(Number.isNaN(parseDecimal(text)), text);
    assert.deepEqual(['1e5', '+3', '0x10', '.5', '5.', '-0', '007'].map(parseNumber), [1e5, 3, NaN, 0.5, 5, -0, 7]);
  });
});
