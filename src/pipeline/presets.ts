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
 * fast: multi-task GBDT alone (seconds on Adult). balanced: GBDT and shared-bottom, each bagged over
 * 5 folds, fused per task by `auto` on their out-of-fold predictions (the method, with or without
 * the macro-F1 decision rule, whose cross-validated main metric there is best). best: every
 * architecture and both tree modes, bagged, stacked out of fold, with the rule. bench/fusion (loaded
 * machine, test rows): balanced by auto beat HGB per task on all six of Adult's main-metric and
 * accuracy figures (select, the former choice, missed marital-status macro-F1: .3462 against .3487;
 * auto .3550) and its best member on Adult (mean main metric .5738 against .5656) and emotions
 * (micro-F1 .7150 against .7143, where auto chose select); bagging raised every figure of the pair
 * over the held-out share at about 5x the time. Re-run after the network's layer norm became one
 * op (other rounding, another network from the same seed): marital-status .3485 against .3487, the
 * other five above, mean .5727; emotions .6973 against its best member's .6977. Re-run after the
 * trees' minHessian (0.1): all six above HGB again (marital-status .3519), mean .5725 against the
 * best member's .5658; emotions unchanged (.6973 against .6977).
 */
const PRESET_PLANS: Record<string, FusedRunPlan> = {
  fast: { members: ['gbdt'], fusion: 'best' },
  balanced: { members: ['gbdt', 'shared-bottom'], fusion: 'auto', bag: 5, decision: 'macro-f1' },
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
