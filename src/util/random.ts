/**
 * A small seedable pseudo-random generator (xoshiro128**, seeded through splitmix32), so that
 * splits, initialisation, dropout masks and shuffling repeat exactly for a given seed.
 * Not for cryptography.
 */

/** Anything with indexed elements and a length that can be shuffled in place. */
export interface Shufflable<T> {
  length: number;
  [index: number]: T;
}

export class Random {
  private s0: number;
  private s1: number;
  private s2: number;
  private s3: number;
  private spare: number | undefined;

  /** Any number is a seed; the same seed gives the same sequence. */
  constructor(seed: number = 0) {
    let x = seed | 0;
    // A fractional or large seed still matters: fold the high part in.
    x ^= Math.floor(seed / 0x100000000) | 0;
    const next = (): number => {
      x = (x + 0x9e3779b9) | 0;
      let z = x;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
      return (z ^ (z >>> 16)) >>> 0;
    };
    this.s0 = next();
    this.s1 = next();
    this.s2 = next();
    this.s3 = next();
    if ((this.s0 | this.s1 | this.s2 | this.s3) === 0) this.s0 = 1;
  }

  /** A uniform 32-bit unsigned integer. */
  uint32(): number {
    const result = Math.imul(rotl(Math.imul(this.s1, 5), 7), 9) >>> 0;
    const t = this.s1 << 9;
    this.s2 ^= this.s0;
    this.s3 ^= this.s1;
    this.s1 ^= this.s2;
    this.s0 ^= this.s3;
    this.s2 ^= t;
    this.s3 = rotl(this.s3, 11);
    return result;
  }

  /** A uniform float in [0, 1). */
  next(): number {
    return this.uint32() / 0x100000000;
  }

  /** A uniform float in [low, high). */
  uniform(low: number, high: number): number {
    return low + (high - low) * this.next();
  }

  /** A uniform integer in [0, n), without modulo bias. `n` must be a positive integer ≤ 2^32. */
  int(n: number): number {
    if (!(n > 0) || n > 0x100000000 || !Number.isInteger(n)) {
      throw new RangeError(`Random.int(n) needs an integer 1 ≤ n ≤ 2^32, got ${n}`);
    }
    const limit = 0x100000000 - (0x100000000 % n);
    let x = this.uint32();
    while (x >= limit) x = this.uint32();
    return x % n;
  }

  /** A standard normal sample (Box–Muller; the second value of each pair is kept for the next call). */
  normal(mean = 0, std = 1): number {
    if (this.spare !== undefined) {
      const z = this.spare;
      this.spare = undefined;
      return mean + std * z;
    }
    let u = this.next();
    while (u === 0) u = this.next();
    const v = this.next();
    const r = Math.sqrt(-2 * Math.log(u));
    this.spare = r * Math.sin(2 * Math.PI * v);
    return mean + std * r * Math.cos(2 * Math.PI * v);
  }

  /** Fisher–Yates shuffle in place; returns the same array. */
  shuffle<A extends Shufflable<unknown>>(array: A): A {
    for (let i = array.length - 1; i > 0; i--) {
      const j = this.int(i + 1);
      const tmp = array[i];
      array[i] = array[j];
      array[j] = tmp;
    }
    return array;
  }

  /** A random permutation of 0..n-1. */
  permutation(n: number): Int32Array {
    const p = new Int32Array(n);
    for (let i = 0; i < n; i++) p[i] = i;
    return this.shuffle(p);
  }

  /** An independent generator derived from this one (for a sub-task that must not shift this sequence). */
  fork(): Random {
    return new Random(this.uint32() ^ (this.uint32() << 1));
  }
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}
