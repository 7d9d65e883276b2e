/**
 * Geometric loss strategy (Chennupati et al., "MultiNet++: Multi-Stream Feature Aggregation and
 * Geometric Loss Strategy for Multi-Task Learning", CVPR Workshops 2019): minimise (Π_t l_t)^{1/T}.
 * Its gradient is Σ_t L/(T·l_t) ∇l_t, so the coefficients are L/(T·l_t) over the present tasks.
 */
import { z } from 'zod';
import { presentIndices, expand, type WeightingMethod } from './method.js';

const EPS = 1e-8;

export const gls: WeightingMethod<Record<string, never>> = {
  name: 'gls',
  needsGram: false,
  options: z.object({}).strict(),
  init: () => ({}),
  weigh(input, state) {
    const idx = presentIndices(input.present);
    const losses = idx.map((t) => Math.max(EPS, input.losses[t]!));
    const geometric = Math.exp(losses.reduce((a, l) => a + Math.log(l), 0) / Math.max(1, idx.length));
    return { coefficients: expand(losses.map((l) => geometric / (idx.length * l)), idx, input.losses.length), state };
  },
};
