import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Schema } from '../../src/data/schema.js';
import type { Column, Table } from '../../src/data/table.js';
import { applyFeaturePlan, fitFeaturePlan, tokenize, type FeatureOptions } from '../../src/features/index.js';
import { hashToken } from '../../src/features/text.js';

const str = (name: string, values: (string | null)[]): Column => {
  const dictionary = [...new Set(values.filter((v): v is string => v !== null))];
  return { type: 'string', name, dictionary, codes: Int32Array.from(values, (v) => (v === null ? -1 : dictionary.indexOf(v))) };
};
const tableOf = (values: (string | null)[]): Table => ({ source: 'test.csv', rowCount: values.length, columns: [str('t', values)] });
const schema: Schema = { features: [{ name: 't', kind: 'text', missingRate: 0 }], excluded: [], tasks: [], warnings: [] };

function fit(values: (string | null)[], options: FeatureOptions = {}, rows?: number[]) {
  return fitFeaturePlan(tableOf(values), schema, Int32Array.from(rows ?? values.map((_, i) => i)), options);
}
function encode(plan: ReturnType<typeof fit>, values: (string | null)[]): number[][] {
  const out = applyFeaturePlan(plan, tableOf(values));
  return Array.from({ length: out.rowCount }, (_, r) => Array.from(out.numeric.subarray(r * out.numericWidth, (r + 1) * out.numericWidth)));
}

describe('text features', () => {
  it('tokenize: ASCII lower case, split on runs of spaces only, then word pairs', () => {
    assert.deepEqual(tokenize('Hello  World!', true), ['hello', 'world!', 'hello world!']);
    assert.deepEqual(tokenize('  A\tB  c\n ', false), ['a\tb', 'c\n']);
    assert.deepEqual(tokenize('ÉCOLE Straße ΣΑΣ', false), ['École', 'straße', 'ΣΑΣ']);
    assert.deepEqual(tokenize('', true), []);
    assert.deepEqual(tokenize('   ', true), []);
    assert.deepEqual(tokenize('one', true), ['one']);
  });

  it('hashToken is 32-bit FNV-1a of the UTF-8 bytes', () => {
    assert.equal(hashToken(''), 0x811c9dc5);
    assert.equal(hashToken('a'), 0xe40c292c);
    assert.equal(hashToken('foobar'), 0xbf9cf968);
  });

  it('keeps tokens found in at least textMinFrequency rows, with their hash buckets', () => {
    const plan = fit(['good food', 'Good service', 'bad food', 'odd'], { textBuckets: 16 });
    const step = plan.text[0]!;
    assert.deepEqual(step.tokens, ['food', 'good']);
    assert.deepEqual(step.tokenBuckets, step.tokens.map((t) => hashToken(t) % 16));
    assert.equal(plan.numericNames.length, 16);
    assert.equal(plan.numericNames[3], 't:#3');
  });

  it('frequency counts rows, not repetitions within a row', () => {
    const plan = fit(['spam spam spam', 'ham'], {});
    assert.equal(plan.text.length, 0);
    assert.match(plan.dropped[0]!.reason, /textMinFrequency/);
  });

  it('counts each occurrence in its bucket; unseen tokens are dropped', () => {
    const plan = fit(['good food', 'good food', 'good'], { textWeighting: 'count', textBuckets: 64 });
    const step = plan.text[0]!;
    const bucket = (t: string) => step.tokenBuckets[step.tokens.indexOf(t)]!;
    assert.deepEqual(step.tokens, ['good', 'food', 'good food']);
    const [row, unseen, empty] = encode(plan, ['GOOD good food unseen', 'nothing known here', null]);
    const expected = new Array<number>(64).fill(0);
    expected[bucket('good')] += 2;
    expected[bucket('food')] += 1;
    expected[bucket('good food')] += 1;
    assert.deepEqual(row, expected);
    assert.ok(unseen!.every((v) => v === 0));
    assert.ok(empty!.every((v) => v === 0));
  });

  it('log1p weighting takes log(1 + count) per bucket', () => {
    const plan = fit(['a b', 'a b'], { textBigrams: false, textBuckets: 1 });
    const [row] = encode(plan, ['a b a']);
    assert.deepEqual(row, [Math.fround(Math.log1p(3))]);
  });

  it('textMaxTokens keeps the most frequent tokens', () => {
    const plan = fit(['a b c', 'a b', 'a'], { textMinFrequency: 1, textMaxTokens: 2, textBigrams: false });
    assert.deepEqual(plan.text[0]!.tokens, ['a', 'b']);
  });

  it('fitting uses only the given rows', () => {
    const plan = fit(['x y', 'x y', 'z w', 'z w'], { textBigrams: false }, [0, 1]);
    assert.deepEqual(plan.text[0]!.tokens, ['x', 'y']);
  });
});
