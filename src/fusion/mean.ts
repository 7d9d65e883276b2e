/**
 * Mean: the plain average of the members' probabilities — the sum rule of Kittler, Hatef, Duin &
 * Matas, "On Combining Classifiers" (IEEE TPAMI, 1998). Fits nothing, so it needs no labels and
 * cannot overfit the validation rows.
 */
import type { FusionMethod } from './fusion.js';
import { weightedFusion } from './weighted.js';

export const mean: FusionMethod = {
  name: 'mean',
  description: 'average of the members’ probabilities (equal weights)',
  fitTask(input) {
    return weightedFusion(input, input.members.map(() => 1 / input.members.length));
  },
};
