/** The seeded generator in src/util/random.ts. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Random } from '../../src/util/random.js';

describe('Random', () => {
  it('repeats a sequence for a seed, differs across seeds', () => {
    const take = (seed: number): number[] => {
      const r = new Random(seed);
      return Array.from({ length: 5 }, () => r.uint32());
    };
    assert.deepEqual(take(1), take(1));
    assert.notDeepEqual(take(1), take(2));
    assert.notDeepEqual(take(0), take(2 ** 32), 'high bits of a seed matter');
  });
  it('next() is uniform in [0, 1)', () => {
    const r = new Random(5);
    const bins = new Array<number>(10).fill(0);
    for (let i = 0; i < 100_000; i++) {
      const x = r.next();
      assert.ok(x >= 0 && x < 1);
      bins[Math.floor(x * 10)]++;
    }
    for (const b of bins) assert.ok(Math.abs(b - 10_000) < 500, `bin count ${b}`);
  });
  it('int(n) covers 0..n-1 evenly and rejects bad n', () => {
    const r = new Random(6);
    const counts = new Array<number>(7).fill(0);
    for (let i = 0; i < 70_000; i++) counts[r.int(7)]++;
    for (const c of counts) assert.ok(Math.abs(c - 10_000) < 450, `count ${c}`);
    assert.throws(() => r.int(0), RangeError);
    assert.throws(() => r.int(2.5), RangeError);
  });
  it('normal() has mean 0 and standard deviation 1', () => {
    const r = new Random(7);
    let sum = 0;
    let sq = 0;
    const n = 100_000;
    for (let i = 0; i < n; i++) {
      const z = r.normal();
      sum += z;
      sq += z * z;
    }
    const mean = sum / n;
    assert.ok(Math.abs(mean) < 0.02, `mean ${mean}`);
    assert.ok(Math.abs(Math.sqrt(sq / n - mean * mean) - 1) < 0.02);
  });
  it('shuffle is a seeded permutation', () => {
    const p = new Random(8).permutation(1000);
    assert.deepEqual(Array.from(p).sort((a, b) => a - b), Array.from({ length: 1000 }, (_, i) => i));
    assert.deepEqual(new Random(8).permutation(1000), p);
    assert.ok(p.some((v, i) => v !== i));
    const words = new Random(9).shuffle(['a', 'b', 'c', 'd']);
    assert.deepEqual([...words].sort(), ['a', 'b', 'c', 'd']);
  });
});
