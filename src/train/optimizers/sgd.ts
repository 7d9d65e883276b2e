/** SGD with momentum and Nesterov momentum, as torch.optim.SGD (no dampening). */
import { add, mul, sub } from '../../graph/index.js';
import type { Optimizer } from './optimizer.js';

export interface SgdOptions {
  momentum?: number;
  nesterov?: boolean;
  weightDecay?: number;
}

export function sgd(options: SgdOptions = {}): Optimizer {
  const mu = options.momentum ?? 0;
  const wd = options.weightDecay ?? 0;
  return {
    name: 'sgd',
    slots: mu > 0 ? ['momentum'] : [],
    scalarNames: ['lr'],
    update(p, g, state, s): ReturnType<Optimizer['update']> {
      const grad = wd > 0 ? add(g, mul(p, wd)) : g;
      if (mu === 0) return { param: sub(p, mul(s.lr!, grad)), state: {} };
      const buf = add(mul(state.momentum!, mu), grad);
      const direction = options.nesterov ? add(grad, mul(buf, mu)) : buf;
      return { param: sub(p, mul(s.lr!, direction)), state: { momentum: buf } };
    },
    scalars: (_step, lr) => ({ lr }),
  };
}
