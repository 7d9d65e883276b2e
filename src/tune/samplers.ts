/** The samplers by name: one line each. */
import { OptionError } from '../errors.js';
import { randomSampler, type Sampler } from './sampler.js';
import { tpeSampler } from './tpe.js';

export const SAMPLERS = ['tpe', 'random'] as const;

export function makeSampler(name: string, startup: number): Sampler {
  if (name === 'random') return randomSampler;
  if (name === 'tpe') return tpeSampler(startup);
  throw new OptionError('unknown-sampler', `unknown sampler '${name}'; choose one of: ${SAMPLERS.join(', ')}`, { value: name });
}
