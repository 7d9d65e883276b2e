/**
 * Presets, as AutoGluon users expect them: a named set of members and a fusion method, so that a
 * user picks a trade-off between time and quality rather than architectures.
 */
import { ARCHITECTURES } from '../arch/index.js';
import type { ResolvedTrainOptions } from '../train/options.js';

export interface FusedRunPlan {
  members: string[];
  fusion: string;
}

/**
 * fast: multi-task GBDT alone (seconds on Adult). balanced: GBDT and one neural multi-task model,
 * fused per task by greedy selection. best: every architecture and both tree modes, fused by greedy
 * selection too: without out-of-fold bagging the stack is fitted on the held-out share only and
 * overfits it (bench/fusion, shared machine: emotions, 59 share rows, seven members: stack micro-F1
 * .643 on the test rows against select .685 and the best member .703; Adult balanced: stack .558
 * mean main metric against select .562).
 */
const PRESET_PLANS: Record<string, FusedRunPlan> = {
  fast: { members: ['gbdt'], fusion: 'best' },
  balanced: { members: ['gbdt', 'shared-bottom'], fusion: 'select' },
  best: { members: ['gbdt', 'gbdt-per-task', ...ARCHITECTURES.filter((a) => a !== 'linear')], fusion: 'select' },
};

/** The members and fusion of a fused run (--members, or --preset), or null for a single model. */
export function fusedRunPlan(o: ResolvedTrainOptions): FusedRunPlan | null {
  if (o.members) return { members: o.members, fusion: o.fusion ?? 'select' };
  if (o.preset) {
    const plan = PRESET_PLANS[o.preset]!;
    return { members: plan.members, fusion: o.fusion ?? plan.fusion };
  }
  return null;
}
