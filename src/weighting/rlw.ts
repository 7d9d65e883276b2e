/**
 * Random loss weighting (Lin et al., "Reasonable Effectiveness of Random Weighting: A Litmus Test
 * for Multi-Task Learning", TMLR 2022): each step, weights softmax(z) with z ~ N(0, I) over the
 * present tasks. The draws come from a generator seeded by the run's seed and the step count, so a
 * resumed run draws what an uninterrupted one would.
 */
import { z } from 'zod';
import { Random } from '../util/random.js';
import { expand, presentIndices, type WeightingMethod } from './method.js';

export const rlw: WeightingMethod<Record<string, never>, { seed: number; draws: number }> = {
  name: 'rlw',
  needsGram: false,
  options: z.object({}).strict(),
  init: (_tasks, _o, seed) => ({ seed, draws: 0 }),
  weigh(input, state) {
    const r = new Random(state.seed * 15485863 + state.draws);
    const idx = presentIndices(input.present);
    const z = idx.map(() => r.normal());
    const top = Math.max(...z);
    const e = z.map((v) => Math.exp(v - top));
    const total = e.reduce((a, b) => a + b, 0);
    return { coefficients: expand(e.map((v) => v / total), idx, input.losses.length), state: { seed: state.seed, draws: state.draws + 1 } };
  },
};
