/**
 * Trial 0 runs what `train` runs without options, wherever the space allows it, so a study never
 * ends below the defaults on the validation score. A parameter the trainer sizes to the data
 * (widths, batch size, dropout) is left to it (`null`) when the space is the default one for it; a
 * default outside the user's space gives way to a random draw.
 */
import { trainOptionsSchema } from '../train/options.js';
import type { Random } from '../util/random.js';
import { drawActive, uniformValue } from './sampler.js';
import { choiceIndex, type Params, type SearchSpace } from './space.js';

export function defaultsTrial(space: SearchSpace, defaults: SearchSpace, random: Random): Params {
  const fixed = trainOptionsSchema.parse({}) as Record<string, unknown>;
  // Conditions may have narrowed with the architectures a space file keeps: compare the values only.
  const values = (p: SearchSpace[number]): string => JSON.stringify({ ...p, when: undefined });
  const untouched = new Set(defaults.filter((d) => space.some((p) => values(p) === values(d))).map((d) => d.name));
  return drawActive(space, (p) => {
    const value = fixed[p.name] as Params[string] | undefined;
    if (value === undefined && untouched.has(p.name)) return null;
    if (value !== undefined && p.type === 'choice' && choiceIndex(p, value) >= 0) return value;
    if (typeof value === 'number' && p.type === 'range' && value >= p.low && value <= p.high) return value;
    return p.type === 'choice' ? p.choices[random.int(p.choices.length)]! : uniformValue(p, random);
  });
}
