/**
 * One task's fusion fitted and applied: the method's own fit, then (when asked for) the macro-F1
 * decision rule fitted on the fused probabilities of the same rows; and the fused probabilities of
 * any rows. fitFusion, applyFusion and the cross-validation of `auto` all go through these two.
 */
import { applyOffsets, fitDecision } from './decision.js';
import type { FusionMethod, Passthrough, ResolvedFusionOptions, TaskInput } from './fusion.js';
import { applyStack } from './logistic.js';
import { mainMetricOf } from './score.js';
import type { TaskFusion } from './spec.js';
import { applyWeighted } from './weighted.js';

/** A single-label task judged by macro-F1: the tasks the decision rule is for. */
export function takesDecision(input: TaskInput, options: ResolvedFusionOptions): boolean {
  return input.labels.type !== 'multilabel' && mainMetricOf(input, options).name === 'macroF1';
}

/** The decision rule fitted on the fusion's rows of a single-label task, kept where it helps there. */
export function decided(f: TaskFusion, input: TaskInput): TaskFusion {
  const l = input.labels;
  if (l.type === 'multilabel') return f;
  const decision = fitDecision(applyTask(f, input.members, input.rows, input.passthrough), l.classIndex, input.width);
  return decision.offsets.some((o) => o !== 0) ? { ...f, decision } : f;
}

/** The macro-F1 decision rule on a task that takes one, when asked for. */
function withDecision(f: TaskFusion, input: TaskInput, options: ResolvedFusionOptions): TaskFusion {
  return options.decision === 'macro-f1' && takesDecision(input, options) ? decided(f, input) : f;
}

export function fitTask(method: FusionMethod, input: TaskInput, options: ResolvedFusionOptions): TaskFusion {
  const f = method.fitTask(input, options);
  return method.decidesItself ? f : withDecision(f, input, options);
}

export function applyTask(f: TaskFusion, probs: readonly Float32Array[], rows: number, passthrough: Passthrough | undefined): Float32Array {
  const fused = f.kind === 'weighted' ? applyWeighted(f, probs) : applyStack(f, probs, rows, passthrough);
  return f.decision ? applyOffsets(fused, f.decision.offsets) : fused;
}
