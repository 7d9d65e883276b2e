/**
 * Select: greedy ensemble selection with replacement (Caruana, Niculescu-Mizil, Crew & Ksikes,
 * "Ensemble Selection from Libraries of Models", ICML 2004), as AutoGluon runs it: start empty; at
 * each of `iterations` steps add the member whose addition gives the best main metric of the
 * averaged probabilities (ties to the member listed first, so runs repeat); keep the prefix of
 * steps that scored best; a member's weight is its pick count over the kept steps. Per task.
 */
import type { MainMetric } from '../eval/main-metric.js';
import type { FusionMethod } from './fusion.js';
import { isBetter, requireLabels, scorer } from './score.js';
import { weightedFusion } from './weighted.js';

export const select: FusionMethod = {
  name: 'select',
  description: 'greedy ensemble selection with replacement on validation predictions (Caruana et al. 2004)',
  fitTask(input, options) {
    requireLabels(input, 'select');
    const score = scorer(input, options);
    const size = input.rows * input.width;
    const sum = new Float64Array(size);
    const candidate = new Float32Array(size);
    const picks: number[] = [];
    const trajectory: MainMetric[] = [];
    for (let step = 1; step <= options.iterations; step++) {
      let pick = 0;
      let top: MainMetric | undefined;
      input.members.forEach((p, m) => {
        for (let i = 0; i < size; i++) candidate[i] = (sum[i]! + p[i]!) / step;
        const s = score(candidate);
        if (isBetter(s, top)) [pick, top] = [m, s];
      });
      const chosen = input.members[pick]!;
      for (let i = 0; i < size; i++) sum[i]! += chosen[i]!;
      picks.push(pick);
      trajectory.push(top!);
    }
    let kept = 0;
    trajectory.forEach((s, i) => {
      if (isBetter(s, trajectory[kept])) kept = i;
    });
    const used = picks.slice(0, kept + 1);
    const weights = input.members.map((_, m) => used.filter((p) => p === m).length / used.length);
    return weightedFusion(input, weights, {
      metric: trajectory[kept]!.name,
      scores: trajectory.slice(0, kept + 1).map((s) => s.value),
      picks: used,
    });
  },
};
