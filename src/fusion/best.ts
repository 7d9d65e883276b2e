/**
 * Best: per task, the single member with the best validation main metric — the "select the best
 * model" baseline every ensemble is compared with (Caruana et al. 2004 report it beside ensemble
 * selection). Ties go to the member listed first.
 */
import type { MainMetric } from '../eval/main-metric.js';
import type { FusionMethod } from './fusion.js';
import { isBetter, requireLabels, scorer } from './score.js';
import { weightedFusion } from './weighted.js';

export const best: FusionMethod = {
  name: 'best',
  description: 'per task, the member with the best validation main metric',
  fitTask(input, options) {
    requireLabels(input, 'best');
    const score = scorer(input, options);
    const scores = input.members.map(score);
    let chosen = 0;
    let top: MainMetric | undefined;
    scores.forEach((s, m) => {
      if (isBetter(s, top)) [chosen, top] = [m, s];
    });
    return weightedFusion(input, input.members.map((_, m) => (m === chosen ? 1 : 0)), {
      metric: top!.name,
      scores: scores.map((s) => s.value),
    });
  },
};
