/**
 * Tree-structured Parzen estimator (Bergstra et al. 2011, "Algorithms for hyper-parameter
 * optimization"): the finished trials are split into the best γ and the rest; per parameter, one
 * density l(x) is fitted on the good trials' values and one g(x) on the others'; candidates drawn
 * from l are scored by l(x)/g(x) and the best is proposed. Rates are modelled in log space, choices
 * (architecture, widths) as smoothed frequencies. The first `startup` trials are random.
 */
import type { Random } from '../util/random.js';
import { fitParzen, parzenLogDensity, sampleParzen } from './parzen.js';
import { drawActive, randomSampler, roundTo, type Observation, type Sampler } from './sampler.js';
import { choiceIndex, type ChoiceParam, type ParamValue, type RangeParam } from './space.js';

const CANDIDATES = 24;

/** Share of trials counted as good: Optuna's default, 10% of them, at most 25. */
const goodCount = (n: number): number => Math.max(1, Math.min(Math.ceil(0.1 * n), 25));

function pickRange(p: RangeParam, good: Observation[], bad: Observation[], random: Random): number {
  const inward = (v: number): number => (p.log ? Math.log(v) : v);
  const values = (obs: Observation[]): number[] =>
    obs.map((o) => o.params[p.name]).filter((v): v is number => typeof v === 'number' && v >= p.low && v <= p.high).map(inward);
  const [low, high] = [inward(p.low), inward(p.high)];
  const l = fitParzen(values(good), low, high);
  const g = fitParzen(values(bad), low, high);
  let best = { x: low, ratio: -Infinity };
  for (let i = 0; i < CANDIDATES; i++) {
    const x = sampleParzen(l, random);
    const ratio = parzenLogDensity(l, x) - parzenLogDensity(g, x);
    if (ratio > best.ratio) best = { x, ratio };
  }
  return roundTo(p, p.log ? Math.exp(best.x) : best.x);
}

/** Choice frequencies among `obs`, with one prior observation spread evenly over the choices. */
function frequencies(p: ChoiceParam, obs: Observation[]): number[] {
  const counts = p.choices.map(() => 1 / p.choices.length);
  let n = 1;
  for (const o of obs) {
    const i = p.name in o.params ? choiceIndex(p, o.params[p.name]!) : -1;
    if (i >= 0) (counts[i]! += 1, (n += 1));
  }
  return counts.map((c) => c / n);
}

function pickChoice(p: ChoiceParam, good: Observation[], bad: Observation[], random: Random): ParamValue {
  const l = frequencies(p, good);
  const g = frequencies(p, bad);
  let best = { i: 0, ratio: -Infinity };
  for (let c = 0; c < CANDIDATES; c++) {
    let u = random.next();
    let i = 0;
    while (i < l.length - 1 && u >= l[i]!) u -= l[i++]!;
    const ratio = l[i]! / g[i]!;
    if (ratio > best.ratio) best = { i, ratio };
  }
  return p.choices[best.i]!;
}

export function tpeSampler(startup: number): Sampler {
  return {
    name: 'tpe',
    propose(space, finished, random) {
      if (finished.length < startup) return randomSampler.propose(space, finished, random);
      // A stable sort: equal scores keep the order of the trial numbers, so proposals repeat.
      const ranked = [...finished].sort((a, b) => b.score - a.score);
      const k = goodCount(ranked.length);
      const good = ranked.slice(0, k);
      const bad = ranked.slice(k);
      return drawActive(space, (p) => (p.type === 'choice' ? pickChoice(p, good, bad, random) : pickRange(p, good, bad, random)));
    },
  };
}
