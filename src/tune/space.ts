/**
 * A search space: named parameters, each a training option (`lr`, `hidden`, `arch`, ...), drawn from
 * a list of choices or a numeric range (log-scaled for rates, integral for counts), some only when
 * another parameter has given values (`experts` only for mmoe and ple). A sampled point is a plain
 * object of option values, handed to trainModel as they are.
 */
import { OptionError } from '../errors.js';
import type { TrainOptions } from '../train/options.js';

export type ParamValue = string | number | boolean | number[] | null;
export type Params = Record<string, ParamValue>;

interface Condition {
  /** Active only when each named parameter took one of the listed values. */
  when?: Record<string, ParamValue[]>;
}

export interface ChoiceParam extends Condition {
  name: string;
  type: 'choice';
  choices: ParamValue[];
}

export interface RangeParam extends Condition {
  name: string;
  type: 'range';
  low: number;
  high: number;
  log: boolean;
  int: boolean;
}

export type SpaceParam = ChoiceParam | RangeParam;

/** Parameters in sampling order: a parameter's conditions only name parameters before it. */
export type SearchSpace = SpaceParam[];

const sameValue = (a: ParamValue, b: ParamValue): boolean => JSON.stringify(a) === JSON.stringify(b);

export function isActive(param: SpaceParam, drawn: Params): boolean {
  if (!param.when) return true;
  return Object.entries(param.when).every(([name, values]) => name in drawn && values.some((v) => sameValue(v, drawn[name]!)));
}

/** Index of a value among a choice parameter's choices (-1: not one of them). */
export function choiceIndex(param: ChoiceParam, value: ParamValue): number {
  return param.choices.findIndex((c) => sameValue(c, value));
}

/** A sampled point as training options; `null` (a choice of "leave it to the default") is left out. */
export function toTrainOptions(params: Params): Partial<TrainOptions> {
  return Object.fromEntries(Object.entries(params).filter(([, v]) => v !== null)) as Partial<TrainOptions>;
}

/** The space's parameters checked against each other: conditions name earlier parameters and their values. */
export function checkSpace(space: SearchSpace, source: string): SearchSpace {
  const seen = new Map<string, SpaceParam>();
  for (const p of space) {
    if (seen.has(p.name)) throw new OptionError('bad-space', `${source}: parameter '${p.name}' appears twice`, { parameter: p.name });
    if (p.type === 'choice' && p.choices.length === 0) throw new OptionError('bad-space', `${source}: parameter '${p.name}' has no choices`, { parameter: p.name });
    if (p.type === 'range' && !(p.low < p.high)) {
      throw new OptionError('bad-space', `${source}: parameter '${p.name}' needs low < high, got ${p.low} and ${p.high} (for a fixed value give it alone)`, { parameter: p.name });
    }
    if (p.type === 'range' && p.log && p.low <= 0) {
      throw new OptionError('bad-space', `${source}: parameter '${p.name}' is log-scaled, so its low end must be above 0 (got ${p.low})`, { parameter: p.name });
    }
    for (const [name, values] of Object.entries(p.when ?? {})) {
      const by = seen.get(name);
      if (!by) throw new OptionError('bad-space', `${source}: parameter '${p.name}' depends on '${name}', which must come before it in the space`, { parameter: p.name, when: name });
      const bad = by.type === 'choice' ? values.find((v) => choiceIndex(by, v) < 0) : undefined;
      if (bad !== undefined) {
        throw new OptionError('bad-space', `${source}: '${p.name}' is conditioned on ${name} = ${JSON.stringify(bad)}, which is not among ${name}'s choices (${by.type === 'choice' ? by.choices.map((c) => JSON.stringify(c)).join(', ') : ''})`, { parameter: p.name });
      }
    }
    seen.set(p.name, p);
  }
  return space;
}
