/**
 * GradNorm (Chen et al., "GradNorm: Gradient Normalization for Adaptive Loss Balancing in Deep
 * Multitask Networks", ICML 2018). Learned weights w (Σw = T) are used for this step; then w moves
 * down the gradient of Σ_t |w_t‖g_t‖ − mean_s(w_s‖g_s‖)·r_t^α|, with the target held constant,
 * r_t the task's loss ratio l_t/l_t(0) over its mean, ‖g_t‖ = √G_tt, and is renormalised to Σw = T.
 * α = 1.5 as in LibMTL's default; lr is the weights' own step size.
 */
import { z } from 'zod';
import type { WeightingMethod } from './method.js';

const options = z.object({ alpha: z.number().min(0).default(1.5), lr: z.number().positive().default(0.025) }).strict();

export const gradnorm: WeightingMethod<z.infer<typeof options>, { weights: number[]; initialLosses: number[] }> = {
  name: 'gradnorm',
  needsGram: true,
  options,
  init: (tasks) => ({ weights: new Array<number>(tasks).fill(1), initialLosses: new Array<number>(tasks).fill(0) }),
  weigh(input, state, o) {
    const T = input.losses.length;
    const gram = input.gram!;
    const live = (t: number): boolean => input.present[t] === 1;
    const initialLosses = state.initialLosses.map((l0, t) => (l0 === 0 && live(t) ? input.losses[t]! : l0));
    const coefficients = Float64Array.from(state.weights, (w, t) => (live(t) ? w : 0));
    const idx = [...Array(T).keys()].filter((t) => live(t) && initialLosses[t]! > 0);
    if (idx.length === 0) return { coefficients, state: { weights: state.weights, initialLosses } };
    const norms = idx.map((t) => Math.sqrt(Math.max(0, gram[t * T + t]!)));
    const scaled = idx.map((t, i) => state.weights[t]! * norms[i]!);
    const meanNorm = scaled.reduce((a, b) => a + b, 0) / idx.length;
    const ratios = idx.map((t) => input.losses[t]! / initialLosses[t]!);
    const meanRatio = ratios.reduce((a, b) => a + b, 0) / idx.length;
    const weights = [...state.weights];
    idx.forEach((t, i) => {
      const target = meanNorm * (ratios[i]! / meanRatio) ** o.alpha;
      weights[t] = Math.max(1e-6, weights[t]! - o.lr * Math.sign(scaled[i]! - target) * norms[i]!);
    });
    const before = idx.reduce((a, t) => a + state.weights[t]!, 0);
    const after = idx.reduce((a, t) => a + weights[t]!, 0);
    idx.forEach((t) => (weights[t] = (weights[t]! * before) / after));
    return { coefficients, state: { weights, initialLosses } };
  },
};
