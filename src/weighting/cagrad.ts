/**
 * CAGrad, conflict-averse gradient descent (Liu et al., NeurIPS 2021). With g0 the mean gradient
 * and c = α‖g0‖, w = argmin_{w ∈ Δ} g_wᵀg0 + c‖g_w‖ (g_w = Σ w_t g_t); the update is
 * g0 + (c/‖g_w‖)·g_w, divided by 1 + α² (the official `rescale = 1`). In coefficients:
 * 1/T + (c/‖g_w‖)·w_t, over 1 + α². α = 0.5 as in the paper.
 */
import { z } from 'zod';
import { matVec, quadratic } from './linalg.js';
import { onPresentTasks, type WeightingMethod } from './method.js';
import { minimizeOnSimplex } from './solvers.js';

const options = z.object({ alpha: z.number().min(0).default(0.5) }).strict();

export const cagrad: WeightingMethod<z.infer<typeof options>> = {
  name: 'cagrad',
  needsGram: true,
  options,
  init: () => ({}),
  weigh: (input, state, o) => ({
    coefficients: onPresentTasks(input, (gram, _l, k) => {
      const mean = new Float64Array(k).fill(1 / k);
      const gMean = matVec(gram, mean, k);
      const c = o.alpha * Math.sqrt(Math.max(0, quadratic(gram, mean, k)) + 1e-8);
      const w = minimizeOnSimplex(
        (x) => gMean.reduce((a, v, i) => a + v * x[i]!, 0) + c * Math.sqrt(Math.max(0, quadratic(gram, x, k)) + 1e-8),
        (x) => {
          const gx = matVec(gram, x, k);
          const norm = Math.sqrt(Math.max(0, quadratic(gram, x, k)) + 1e-8);
          return gMean.map((v, i) => v + (c * gx[i]!) / norm);
        },
        k,
      );
      const lambda = c / (Math.sqrt(Math.max(0, quadratic(gram, w, k))) + 1e-8);
      return w.map((wt) => (1 / k + lambda * wt) / (1 + o.alpha ** 2));
    }),
    state,
  }),
};
