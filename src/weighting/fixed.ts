/** Fixed weighting: Σ_t w_t l_t with weights the user chose (one per task, in task order). */
import { z } from 'zod';
import { OptionError } from '../errors.js';
import type { WeightingMethod } from './method.js';

const options = z.object({ weights: z.array(z.number().min(0)).min(1) }).strict();

export const fixed: WeightingMethod<z.infer<typeof options>> = {
  name: 'fixed',
  needsGram: false,
  options,
  init(tasks, o) {
    if (o.weights.length !== tasks) {
      throw new OptionError('bad-weighting-option', `weighting 'fixed' got ${o.weights.length} weights for ${tasks} tasks; give one weight per task, e.g. {"weights":[${new Array(tasks).fill(1).join(',')}]}`, { option: 'weights', value: o.weights });
    }
    return {};
  },
  weigh: (input, state, o) => ({ coefficients: Float64Array.from(input.present, (p, t) => (p ? o.weights[t]! : 0)), state }),
};
