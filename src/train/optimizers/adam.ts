/**
 * Adam (Kingma & Ba) and AdamW (Loshchilov & Hutter, decoupled weight decay), with the update
 * torch.optim makes: p −= lr/(1−β1ᵗ) · m / (√v/√(1−β2ᵗ) + ε). Written as p −= a · m / (√v + ε̂)
 * with a = lr·√(1−β2ᵗ)/(1−β1ᵗ) and ε̂ = ε·√(1−β2ᵗ), both fed per step, so the graph has one op fewer.
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
    scalarNames: ['lr', 'stepSize', 'epsHat'],
    update(p, g, state, s) {
      const grad = wd > 0 && !options.decoupled ? add(g, mul(p, wd)) : g;
      const m = add(mul(state.m!, b1), mul(grad, 1 - b1));
      const v = add(mul(state.v!, b2), mul(mul(grad, grad), 1 - b2));
      const denom = add(sqrt(v), s.epsHat!);
      const decayed = wd > 0 && options.decoupled ? sub(p, mul(p, mul(s.lr!, wd))) : p;
      return { param: sub(decayed, mul(s.stepSize!, div(m, denom))), state: { m, v } };
    },
    scalars: (step, lr) => {
      const root = Math.sqrt(1 - b2 ** step);
      return { lr, stepSize: (lr * root) / (1 - b1 ** step), epsHat: eps * root };
    },
  };
}

export const adamw = (options: Omit<AdamOptions, 'decoupled'> = {}): Optimizer => adam({ ...options, decoupled: true });
