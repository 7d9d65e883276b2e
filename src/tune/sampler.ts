/**
 * Samplers propose the next trial's parameters from the finished trials. Each proposal takes a
 * generator derived from the study seed and the trial number, so the same seed and the same
 * finished trials give the same proposal, whichever worker makes it and however often it is resumed.
 */
import { Random } from '../util/random.js';
import { isActive, type Params, type RangeParam, type SearchSpace, type SpaceParam } from './space.js';

/** A finished trial as a sampler sees it: higher scores are better. */
export interface Observation {
  params: Params;
  score: number;
}

export interface Sampler {
  name: string;
  propose(space: SearchSpace, finished: Observation[], random: Random): Params;
}

export function trialRandom(seed: number, trial: number): Random {
  return new Random(seed * 7919 + trial * 104729 + 17);
}

/** A value of a range drawn uniformly (in log space when it is log-scaled), rounded when integral. */
export function uniformValue(p: RangeParam, random: Random): number {
  const x = p.log ? Math.exp(random.uniform(Math.log(p.low), Math.log(p.high))) : random.uniform(p.low, p.high);
  return roundTo(p, x);
}

export function roundTo(p: RangeParam, x: number): number {
  const clipped = Math.min(p.high, Math.max(p.low, x));
  return p.int ? Math.round(clipped) : clipped;
}

/** Draws each active parameter in order with `draw`, so conditions see the values already drawn. */
export function drawActive(space: SearchSpace, draw: (p: SpaceParam, drawn: Params) => Params[string]): Params {
  const drawn: Params = {};
  for (const p of space) if (isActive(p, drawn)) drawn[p.name] = draw(p, drawn);
  return drawn;
}

export const randomSampler: Sampler = {
  name: 'random',
  propose: (space, _finished, random) => drawActive(space, (p) => (p.type === 'choice' ? p.choices[random.int(p.choices.length)]! : uniformValue(p, random))),
};
