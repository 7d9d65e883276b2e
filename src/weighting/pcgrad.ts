/**
 * PCGrad, projecting conflicting gradients (Yu et al., "Gradient Surgery for Multi-Task Learning",
 * NeurIPS 2020): each g_i is projected, in a random order of the others, onto the normal plane of
 * every g_j it conflicts with (g_i·g_j < 0), and the projected gradients are summed. Every
 * projection is a linear combination, so g_i' = Σ_k A_ik g_k is tracked through its coefficient row
 * A_i (dot products come from G), and the coefficients are the column sums of A. The order is drawn
 * from the run's seed and the step count.
 */
import { z } from 'zod';
import { Random } from '../util/random.js';
import { onPresentTasks, type WeightingMethod } from './method.js';

/** The column sums of PCGrad's combination matrix for Gram matrix `gram` (k×k) and an order source. */
export function pcgradCoefficients(gram: Float64Array, k: number, r: Random): Float64Array {
  const total = new Float64Array(k);
  for (let i = 0; i < k; i++) {
    const a = new Float64Array(k);
    a[i] = 1;
    for (const j of r.permutation(k)) {
      if (j === i || gram[j * k + j]! <= 0) continue;
      let d = 0;
      for (let m = 0; m < k; m++) d += a[m]! * gram[m * k + j]!;
      if (d < 0) a[j]! -= d / gram[j * k + j]!;
    }
    for (let m = 0; m < k; m++) total[m]! += a[m]!;
  }
  return total;
}

export const pcgrad: WeightingMethod<Record<string, never>, { seed: number; draws: number }> = {
  name: 'pcgrad',
  needsGram: true,
  options: z.object({}).strict(),
  init: (_tasks, _o, seed) => ({ seed, draws: 0 }),
  weigh(input, state) {
    const r = new Random(state.seed * 2654435761 + state.draws);
    return { coefficients: onPresentTasks(input, (gram, _l, k) => pcgradCoefficients(gram, k, r)), state: { seed: state.seed, draws: state.draws + 1 } };
  },
};
