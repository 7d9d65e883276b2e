/**
 * Presets, as AutoGluon users expect them: a named set of members and a fusion method, so that a
 * user picks a trade-off between time and quality rather than architectures.
 */
import { ARCHITECTURES } from '../arch/index.js';
import type { ResolvedTrainOptions } from '../train/options.js';

/** The held-out share of the training rows a fusion is fitted on when the members are not bagged. */
export const DEFAULT_FUSION_SHARE = 0.15;

export interface FusedRunPlan {
  members: string[];
  fusion: string;
  /** Bag each member over this many folds and fit the fusion out of fold (else on a held-out share). */
  bag?: number;
  /** How single-label macro-F1 tasks decide the label (fusion/decision.ts); default argmax. */
  decision?: 'argmax' | 'macro-f1';
}

/**
 * fast: multi-task GBDT alone (seconds on Adult). balanced: GBDT and one neural multi-task model,
 * fused per task by greedy selection on a held-out share. best: every architecture and both tree
 * modes, each bagged over 5 folds, stacked on their out-of-fold predictions: a stack fitted on a
 * held-out share alone overfits it (bench/fusion, shared machine: emotions, 59 share rows, seven
 * members: stack micro-F1 .643 on the test rows against select .685 and the best member .703),
 * while out of fold it is fitted on every training row.
 */
const PRESET_PLANS: Record<string, FusedRunPlan> = {
  fast: { members: ['gbdt'], fusion: 'best' },
  balanced: { members: ['gbdt', 'shared-bottom'], fusion: 'select', bag: 5, decision: 'macro-f1' },
  best: { members: ['gbdt', 'gbdt-per-task', ...ARCHITECTURES.filter((a) => a !== 'linear')], fusion: 'stack', bag: 5, decision: 'macro-f1' },
};

/** What `--preset` without a name trains (README: why). */
export const DEFAULT_PRESET = 'balanced';

/** The members and fusion of a fused run (--members, or --preset), or null for a single model. */
export function fusedRunPlan(o: ResolvedTrainOptions): FusedRunPlan | null {
  const given = (bag: number | undefined, decision: FusedRunPlan['decision']) => ({ ...(bag !== undefined ? { bag } : {}), ...(decision !== undefined ? { decision } : {}) });
  if (o.members) return { members: o.members, fusion: o.fusion ?? 'select', ...given(o.bag, o.decision) };
  if (o.preset) {
    const plan = PRESET_PLANS[o.preset]!;
    // A fusion share asks for the fusion to be fitted on held-out rows: the cheaper run, without bagging.
    const bag = o.bag ?? (o.fusionShare === undefined ? plan.bag : undefined);
    return { members: plan.members, fusion: o.fusion ?? plan.fusion, ...given(bag, o.decision ?? plan.decision) };
  }
  return null;
}
