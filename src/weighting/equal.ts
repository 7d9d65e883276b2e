/** Equal weighting: Σ_t l_t, every task with coefficient 1. The default, and the baseline every other method must beat. */
import { z } from 'zod';
import { maskedConstant, type WeightingMethod } from './method.js';

export const equal: WeightingMethod<Record<string, never>> = {
  name: 'equal',
  needsGram: false,
  options: z.object({}).strict(),
  init: () => ({}),
  weigh: (input, state) => ({ coefficients: maskedConstant(input.present), state }),
};
