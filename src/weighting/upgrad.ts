/**
 * UPGrad, unconflicting projection of gradients (Quinton & Rey, "Jacobian Descent for
 * Multi-Objective Optimization", 2024): each g_i/T is projected onto the dual cone of the task
 * gradients {x : g_j·x ≥ 0 ∀j}, and the projections are summed. In weights, the projection of
 * Σ u_k g_k is Σ v_k g_k with v = argmin_{v ≥ u} vᵀGv, so the coefficients are Σ_i v^(i) with
 * u = e_i/T.
 */
import { z } from 'zod';
import { onPresentTasks, type WeightingMethod } from './method.js';
import { minQuadraticAbove } from './solvers.js';

export function upgradCoefficients(gram: Float64Array, k: number): Float64Array {
  const total = new Float64Array(k);
  for (let i = 0; i < k; i++) {
    const lower = new Float64Array(k);
    lower[i] = 1 / k;
    minQuadraticAbove(gram, lower, k).forEach((v, j) => (total[j]! += v));
  }
  return total;
}

export const upgrad: WeightingMethod<Record<string, never>> = {
  name: 'upgrad',
  needsGram: true,
  options: z.object({}).strict(),
  init: () => ({}),
  weigh: (input, state) => ({ coefficients: onPresentTasks(input, (gram, _l, k) => upgradCoefficients(gram, k)), state }),
};
