/**
 * MGDA (Sener & Koltun, "Multi-Task Learning as Multi-Objective Optimization", NeurIPS 2018): the
 * coefficients are the min-norm point of the convex hull of the task gradients, argmin_{α ∈ Δ} αᵀGα,
 * whose direction decreases every task's loss when one exists. With `--gram-on representation` G is
 * over the shared representation instead of the shared parameters: the paper's MGDA-UB bound.
 */
import { z } from 'zod';
import { onPresentTasks, type WeightingMethod } from './method.js';
import { minNormOnSimplex } from './solvers.js';

export const mgda: WeightingMethod<Record<string, never>> = {
  name: 'mgda',
  needsGram: true,
  options: z.object({}).strict(),
  init: () => ({}),
  weigh: (input, state) => ({ coefficients: onPresentTasks(input, (gram, _l, k) => minNormOnSimplex(gram, k)), state }),
};
