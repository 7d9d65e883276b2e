/**
 * Asynchronous successive halving (ASHA, Li et al. 2020, "A system for massively parallel
 * hyperparameter tuning"), on epochs: rungs at epochs r, r·η, r·η², ...; a trial reaching a rung is
 * stopped there unless its best validation score so far is among the top 1/η of the scores every
 * trial reached that rung with. It is decided when the trial arrives, against the trials that came
 * before it, so no worker ever waits for another.
 */

export interface Halving {
  /** Reduction factor η. */
  eta: number;
  /** First rung r, in epochs. */
  minEpochs: number;
}

/** Rung epochs below `maxEpochs` (a trial's last epoch ends it anyway). */
export function rungEpochs(h: Halving, maxEpochs: number): number[] {
  const rungs: number[] = [];
  for (let e = h.minEpochs; e < maxEpochs; e = Math.max(e + 1, Math.round(e * h.eta))) rungs.push(e);
  return rungs;
}

/** Default first rung: three halvings before the last epoch, at least the first epoch. */
export function defaultMinEpochs(eta: number, maxEpochs: number): number {
  return Math.max(1, Math.round(maxEpochs / eta ** 3));
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
