/**
 * Adam (Kingma & Ba) and AdamW (Loshchilov & Hutter, decoupled weight decay), with the update
 * written as torch.optim does: p −= lr/(1−β1ᵗ) · m / (√v/√(1−β2ᵗ) + ε).
 */
import { add, div, mul, sqrt, sub } from '../../graph/index.js';
import type { Optimizer } from './optimizer.js';

export interface AdamOptions {
  beta1?: number;
  beta2?: number;
  eps?: number;
  weightDecay?: number;
  /** Decoupled weight decay (AdamW) instead of L2 added to the gradient (Adam). */
  decoupled?: boolean;
}

export function adam(options: AdamOptions = {}): Optimizer {
  const b1 = options.beta1 ?? 0.9;
  const b2 = options.beta2 ?? 0.999;
  const eps = options.eps ?? 1e-8;
  const wd = options.weightDecay ?? (options.decoupled ? 0.01 : 0);
  return {
    name: options.decoupled ? 'adamw' : 'adam',
    slots: ['m', 'v'],
    scalarNames: ['lr', 'stepSize', 'invSqrtBias2'],
    update(p, g, state, s) {
      const grad = wd > 0 && !options.decoupled ? add(g, mul(p, wd)) : g;
      const m = add(mul(state.m!, b1), mul(grad, 1 - b1));
      const v = add(mul(state.v!, b2), mul(mul(grad, grad), 1 - b2));
      const denom = add(mul(sqrt(v), s.invSqrtBias2!), eps);
      const decayed = wd > 0 && options.decoupled ? sub(p, mul(p, mul(s.lr!, wd))) : p;
      return { param: sub(decayed, mul(s.stepSize!, div(m, denom))), state: { m, v } };
    },
    scalars: (step, lr) => ({
      lr,
      stepSize: lr / (1 - b1 ** step),
      invSqrtBias2: 1 / Math.sqrt(1 - b2 ** step),
    }),
  };
}

export const adamw = (options: Omit<AdamOptions, 'decoupled'> = {}): Optimizer => adam({ ...options, decoupled: true });
