/**
 * DB-MTL with β = 0 (Lin et al., "Dual-Balancing for Multi-Task Learning", 2023): balance loss
 * scales by using log l_t, whose gradient is ∇l_t/l_t, then balance gradient magnitudes by scaling
 * every task's log-gradient to the largest norm. With n_t = ‖∇l_t‖ = √G_tt the coefficients are
 * M/n_t with M = max_s n_s/l_s; β = 0 means the current gradients, no moving average.
 */
import { z } from 'zod';
import { onPresentTasks, type WeightingMethod } from './method.js';

const EPS = 1e-8;

export const dbMtl: WeightingMethod<Record<string, never>> = {
  name: 'db-mtl',
  needsGram: true,
  options: z.object({}).strict(),
  init: () => ({}),
  weigh: (input, state) => ({
    coefficients: onPresentTasks(input, (gram, losses, k) => {
      const norms = Array.from({ length: k }, (_, t) => Math.sqrt(Math.max(0, gram[t * k + t]!)));
      const top = Math.max(...norms.map((n, t) => n / (losses[t]! + EPS)));
      return norms.map((n) => (n > 0 ? top / (n + EPS) : 0));
    }),
    state,
  }),
};
