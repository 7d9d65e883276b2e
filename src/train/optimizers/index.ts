/** Optimizers by name; adding one is its file and a line here. */
import { OptionError } from '../../errors.js';
import { adam, adamw } from './adam.js';
import type { Optimizer } from './optimizer.js';
import { sgd } from './sgd.js';

export type { Optimizer } from './optimizer.js';
export { adam, adamw, sgd };

export interface OptimizerConfig {
  name: string;
  momentum?: number;
  nesterov?: boolean;
  weightDecay?: number;
  beta1?: number;
  beta2?: number;
  eps?: number;
}

const registry: Record<string, (c: OptimizerConfig) => Optimizer> = {
  sgd: (c) => sgd(c),
  adam: (c) => adam(c),
  adamw: (c) => adamw(c),
};

export const OPTIMIZERS = Object.keys(registry);

export function makeOptimizer(config: OptimizerConfig): Optimizer {
  const make = registry[config.name];
  if (!make) throw new OptionError('unknown-optimizer', `unknown optimizer '${config.name}'; choose one of: ${OPTIMIZERS.join(', ')}`, { value: config.name, allowed: OPTIMIZERS });
  return make(config);
}
