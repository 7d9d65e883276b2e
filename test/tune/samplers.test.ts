import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fitParzen, parzenLogDensity } from '../../src/tune/parzen.js';
import { randomSampler, trialRandom, type Observation, type Sampler } from '../../src/tune/sampler.js';
import { makeSampler } from '../../src/tune/samplers.js';
import type { Params, SearchSpace } from '../../src/tune/space.js';
import { OptionError } from '../../src/errors.js';

const space: SearchSpace = [
  { name: 'arch', type: 'choice', choices: ['a', 'b', 'c', 'mmoe'] },
  { name: 'lr', type: 'range', low: 1e-5, high: 1e-1, log: true, int: false },
  { name: 'width', type: 'range', low: 8, high: 64, log: false, int: true },
  { name: 'experts', type: 'range', low: 2, high: 8, log: false, int: true, when: { arch: ['mmoe'] } },
];

/** Best at lr = 1e-3 and arch 'b'. */
const objective = (p: Params): number => -((Math.log10(p.lr as number) + 3) ** 2) - (p.arch === 'b' ? 0 : 1);

function study(sampler: Sampler, seed: number, n: number): Observation[] {
  const done: Observation[] = [];
  for (let i = 0; i < n; i++) {
    const params = sampler.propose(space, done, trialRandom(seed, i));
    done.push({ params, score: objective(params) });
  }
  return done;
}

test('a Parzen estimator is a density on its range: it integrates to 1', () => {
  for (const values of [[], [0.1], [0.2, 0.25, 0.9], Array.from({ length: 30 }, (_, i) => (i * 0.37) % 1)]) {
    const p = fitParzen(values, 0, 1);
    const steps = 4000;
    let sum = 0;
    for (let i = 0; i <= steps; i++) sum += Math.exp(parzenLogDensity(p, i / steps)) * (i === 0 || i === steps ? 0.5 : 1);
    assert.ok(Math.abs(sum / steps - 1) < 1e-3, `integral ${sum / steps} for ${values.length} points`);
  }
});

test('the random sampler keeps to ranges, integers, log scales and conditions', () => {
  const seen = study(randomSampler, 1, 300).map((o) => o.params);
  for (const p of seen) {
    assert.ok((p.lr as number) >= 1e-5 && (p.lr as number) <= 1e-1);
    assert.ok(Number.isInteger(p.width) && (p.width as number) >= 8 && (p.width as number) <= 64);
    assert.equal('experts' in p, p.arch === 'mmoe', 'experts drawn exactly when the architecture is mmoe');
  }
  // Log-uniform: about half the draws fall below the geometric middle (1e-3).
  const below = seen.filter((p) => (p.lr as number) < 1e-3).length / seen.length;
  assert.ok(below > 0.4 && below < 0.6, `share below 1e-3: ${below}`);
});

for (const name of ['random', 'tpe']) {
  test(`${name}: the same seed gives the same trial sequence; another seed another`, () => {
    const sampler = makeSampler(name, 5);
    const a = study(sampler, 42, 15).map((o) => o.params);
    assert.deepEqual(study(sampler, 42, 15).map((o) => o.params), a);
    assert.notDeepEqual(study(sampler, 43, 15).map((o) => o.params), a);
  });
}

test('TPE proposes better points than random search once it has results to model', () => {
  const tail = (obs: Observation[]) => obs.slice(20).reduce((a, o) => a + o.score, 0) / (obs.length - 20);
  for (const seed of [1, 2, 3]) {
    const tpe = tail(study(makeSampler('tpe', 10), seed, 50));
    const random = tail(study(randomSampler, seed, 50));
    assert.ok(tpe > random, `seed ${seed}: mean objective of trials 20-49, TPE ${tpe.toFixed(3)} vs random ${random.toFixed(3)}`);
  }
});

test('an unknown sampler is refused with the known ones', () => {
  assert.throws(() => makeSampler('grid', 10), (e: unknown) => e instanceof OptionError && /grid/.test(e.message) && /tpe, random/.test(e.message));
});
