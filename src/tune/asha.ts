/**
 * Asynchronous successive halving (ASHA, Li et al. 2020, "A system for massively parallel
 * hyperparameter tuning"), on a network's epochs or a boosted ensemble's rounds: rungs at r, r·η,
 * r·η², ...; a trial reaching a rung is stopped there unless its best validation score so far is
 * among the top 1/η of the scores every trial of its kind reached that rung with. It is decided when
 * the trial arrives, against the trials that came before it, so no worker ever waits for another.
 * Networks and trees have rungs of their own: a tree at round 7 says nothing about a network at
 * epoch 7.
 */

/** What a rung counts: a network's epochs or a boosted ensemble's rounds. */
export type RungUnit = 'epoch' | 'round';

export interface Halving {
  /** Reduction factor η. */
  eta: number;
  /** First rung r, in epochs (networks) and in rounds (trees). */
  minEpochs: number;
  minRounds: number;
}

/** Rungs below `max` (a trial's last epoch or round ends it anyway), from the first rung `first`. */
export function rungsBelow(first: number, eta: number, max: number): number[] {
  const rungs: number[] = [];
  for (let e = first; e < max; e = Math.max(e + 1, Math.round(e * eta))) rungs.push(e);
  return rungs;
}

/** Default first rung: three halvings before the last epoch (or round), at least the first. */
export function defaultFirstRung(eta: number, max: number): number {
  return Math.max(1, Math.round(max / eta ** 3));
}

/**
 * Whether a trial arriving at a rung with `score` stops there, given the scores of the other trials
 * at that rung: it goes on when it is among the top max(1, ⌊n/η⌋) of the n scores, itself included
 * (so the first trial at a rung always goes on, as in ASHA's promotion rule).
 */
export function stopsAtRung(score: number, others: number[], eta: number): boolean {
  const all = [...others, score].sort((a, b) => b - a);
  const keep = Math.max(1, Math.floor(all.length / eta));
  return score < all[keep - 1]!;
}
