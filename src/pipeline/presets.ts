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
 * fused per task by greedy selection. best: every architecture and both tree modes, stacked.
 */
const PRESET_PLANS: Record<string, FusedRunPlan> = {
  fast: { members: ['gbdt'], fusion: 'best' },
  balanced: { members: ['gbdt', 'shared-bottom'], fusion: 'select' },
  best: { members: ['gbdt', 'gbdt-per-task', ...ARCHITECTURES.filter((a) => a !== 'linear')], fusion: 'stack' },
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
