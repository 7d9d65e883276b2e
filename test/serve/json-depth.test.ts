/** The JSON-depth check against the depth of the value itself, for any JSON (strings full of brackets, quotes and backslashes too). */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { jsonDepthExceeds } from '../../src/serve/json-depth.js';

function depth(v: unknown): number {
  if (Array.isArray(v)) return 1 + Math.max(0, ...v.map(depth));
  if (typeof v === 'object' && v !== null) return 1 + Math.max(0, ...Object.values(v).map(depth));
  return 0;
}

const tricky = fc.string({ unit: fc.constantFrom('[', ']', '{', '}', '"', '\\', 'a', ' ') });

test('jsonDepthExceeds(text, max) says whether the value nests deeper than max', () => {
  const value = fc.letrec((tie) => ({
    node: fc.oneof({ depthSize: 'small' }, tricky, fc.integer(), fc.constant(null), fc.array(tie('node'), { maxLength: 3 }), fc.dictionary(tricky, tie('node'), { maxKeys: 3 })),
  })).node;
  fc.assert(
    fc.property(value, fc.integer({ min: 1, max: 6 }), fc.boolean(), (v, max, indent) => {
      assert.equal(jsonDepthExceeds(JSON.stringify(v, null, indent ? 1 : 0), max), depth(v) > max);
    }),
    { numRuns: 2000 },
  );
});

test('a body of brackets far past the limit is caught however it is padded', () => {
  assert.equal(jsonDepthExceeds('['.repeat(100_000), 8), true);
  assert.equal(jsonDepthExceeds(`{"a":"${'['.repeat(50)}"}`, 8), false);
  // An escaped backslash just before a closing quote: the string ends there, the nesting after it counts.
  assert.equal(jsonDepthExceeds('{"a":"\\\\", "c": [[[[[[[[[1]]]]]]]]]}', 8), true);
});
