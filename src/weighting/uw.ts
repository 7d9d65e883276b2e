/**
 * Uncertainty weighting (Kendall, Gal & Cipolla, "Multi-Task Learning Using Uncertainty to Weigh
 * Losses for Scene Geometry and Semantics", CVPR 2018). The classification form of the paper:
 * L = Σ_t e^{−s_t} l_t + s_t/2 with s_t = log σ_t² learned. s is a T-vector, so it is method state
 * updated here by gradient descent (∂L/∂s_t = ½ − e^{−s_t} l_t) rather than a network parameter;
 * the coefficient is e^{−s_t}. s starts at 0, i.e. at equal weighting.
 */
import { z } from 'zod';
import type { WeightingMethod } from './method.js';

const options = z.object({ lr: z.number().positive().default(0.01) }).strict();

export const uw: WeightingMethod<z.infer<typeof options>, { logVariance: number[] }> = {
  name: 'uw',
  needsGram: false,
  options,
  init: (tasks) => ({ logVariance: new Array<number>(tasks).fill(0) }),
  weigh(input, state, o) {
    const s = state.logVariance.map((v, t) => (input.present[t] ? v - o.lr * (0.5 - Math.exp(-v) * input.losses[t]!) : v));
    return { coefficients: Float64Array.from(s, (v, t) => (input.present[t] ? Math.exp(-v) : 0)), state: { logVariance: s } };
  },
};
