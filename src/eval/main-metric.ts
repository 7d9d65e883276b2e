/**
 * The one number per task that model comparisons (Δm, fusion's per-task choice, tuning) rank by.
 *
 * Defaults, and why:
 * - binary → `auc`: threshold-free and insensitive to class balance, the usual figure for a
 *   binary tabular target; falls back to `accuracy` when AUC is undefined (one class present).
 * - multiclass → `macroF1`: every class counts equally, so rare classes are not drowned out the
 *   way they are in accuracy.
 * - multilabel → `microF1`: pools all label decisions, stable when some labels are rare (macro-F1
 *   swings on labels with a handful of positives).
 * Any metric of the evaluation can be chosen instead by name.
 */
import { OptionError } from '../errors.js';
import type { TaskEvaluation } from './task.js';

export type SingleLabelMetric = 'accuracy' | 'balancedAccuracy' | 'macroF1' | 'logLoss' | 'auc';
export type MultilabelMetric = 'hammingLoss' | 'subsetAccuracy' | 'microF1' | 'macroF1' | 'auc';
export type MetricName = SingleLabelMetric | MultilabelMetric;

export const SINGLE_LABEL_METRICS: readonly SingleLabelMetric[] = ['accuracy', 'balancedAccuracy', 'macroF1', 'logLoss', 'auc'];
export const MULTILABEL_METRICS: readonly MultilabelMetric[] = ['hammingLoss', 'subsetAccuracy', 'microF1', 'macroF1', 'auc'];

const LOWER_IS_BETTER: ReadonlySet<MetricName> = new Set<MetricName>(['logLoss', 'hammingLoss']);

/** True for losses (log loss, Hamming loss), where a smaller value is the better model. */
export function isLowerBetter(name: MetricName): boolean {
  return LOWER_IS_BETTER.has(name);
}

export function defaultMainMetric(type: TaskEvaluation['type']): MetricName {
  if (type === 'binary') return 'auc';
  if (type === 'multiclass') return 'macroF1';
  return 'microF1';
}

export interface MainMetric {
  /** The metric actually used (differs from the requested one after an AUC fallback). */
  name: MetricName;
  value: number;
  lowerIsBetter: boolean;
}

/**
 * The main metric of `evaluation`: `override` when given (a metric name of that kind of task),
 * the default for the task's type otherwise. A null AUC falls back to `accuracy` for single-label
 * tasks and `microF1` for multi-label ones.
 */
export function mainMetric(evaluation: TaskEvaluation, override?: string): MainMetric {
  const allowed: readonly string[] = evaluation.type === 'multilabel' ? MULTILABEL_METRICS : SINGLE_LABEL_METRICS;
  if (override !== undefined && !allowed.includes(override)) {
    throw new OptionError(
      'eval-unknown-metric',
      `unknown metric '${override}' for ${evaluation.type} task '${evaluation.task}'; allowed: ${allowed.join(', ')}`,
      { metric: override, task: evaluation.task, allowed: [...allowed] },
    );
  }
  let name = (override ?? defaultMainMetric(evaluation.type)) as MetricName;
  const metrics = evaluation.metrics as unknown as Record<string, number | null>;
  let value = metrics[name] ?? null;
  if (value === null) {
    name = evaluation.type === 'multilabel' ? 'microF1' : 'accuracy';
    value = metrics[name] as number;
  }
  return { name, value, lowerIsBetter: isLowerBetter(name) };
}
