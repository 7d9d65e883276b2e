/**
 * Scoring a task's fused probabilities by its main metric, for the methods that choose (select,
 * best). Select scores hundreds of candidates, so after resolving the metric once (with
 * `mainMetric`'s AUC fallback, which depends on the labels only) each candidate computes just that
 * metric, with the same eval/ functions `evaluateLabels` uses.
 */
import type { TaskLabels } from '../data/schema.js';
import { TrainingError } from '../errors.js';
import { rocAuc } from '../eval/auc.js';
import { accuracy, balancedAccuracy, macroF1 } from '../eval/classification.js';
import { logLoss } from '../eval/log-loss.js';
import { mainMetric, type MainMetric, type MetricName } from '../eval/main-metric.js';
import { hammingLoss, labelAucs, microF1, multilabelMacroF1, subsetAccuracy } from '../eval/multilabel.js';
import { evaluateLabels } from '../eval/task.js';
import type { ResolvedFusionOptions, TaskInput } from './fusion.js';

export function labelledRows(labels: TaskLabels): number {
  if (labels.type === 'multilabel') return labels.mask.reduce((n, m) => n + (m === 1 ? 1 : 0), 0);
  return labels.classIndex.reduce((n, y) => n + (y >= 0 ? 1 : 0), 0);
}

/** Weights fitted on no labels would be arbitrary; say so instead of returning them. */
export function requireLabels(input: TaskInput, method: string): void {
  if (labelledRows(input.labels) === 0) {
    throw new TrainingError(
      'fusion-no-labels',
      `fusion '${method}' needs labels of task '${input.task.name}', but none of the ${input.rows} validation rows has one; use 'mean', or give rows with labels`,
      { task: input.task.name, method, rows: input.rows },
    );
  }
}

type Metric = (probs: Float32Array) => number;

function singleLabel(name: MetricName, y: Int32Array): Metric {
  switch (name) {
    case 'accuracy': return (p) => accuracy(p, y);
    case 'balancedAccuracy': return (p) => balancedAccuracy(p, y);
    case 'macroF1': return (p) => macroF1(p, y);
    case 'logLoss': return (p) => logLoss(p, y);
    default: return (p) => rocAuc(p, y)!;
  }
}

function multiLabel(name: MetricName, targets: Float32Array, mask: Uint8Array): Metric {
  switch (name) {
    case 'hammingLoss': return (p) => hammingLoss(p, targets, mask);
    case 'subsetAccuracy': return (p) => subsetAccuracy(p, targets, mask);
    case 'microF1': return (p) => microF1(p, targets, mask);
    case 'macroF1': return (p) => multilabelMacroF1(p, targets, mask);
    default: return (p) => {
      const defined = labelAucs(p, targets, mask).filter((a): a is number => a !== null);
      return defined.reduce((a, b) => a + b, 0) / defined.length;
    };
  }
}

/** The task's main metric (its name resolved on the first member's predictions: AUC may be undefined for them). */
export function mainMetricOf(input: TaskInput, options: ResolvedFusionOptions): MainMetric {
  return mainMetric(evaluateLabels(input.labels, input.members[0]!), options.metrics[input.task.name]);
}

/** The task's main metric as a function of candidate probabilities; the same values `mainMetric` gives. */
export function scorer(input: TaskInput, options: ResolvedFusionOptions): (probs: Float32Array) => MainMetric {
  const resolved = mainMetricOf(input, options);
  const l = input.labels;
  const metric = l.type === 'multilabel' ? multiLabel(resolved.name, l.targets, l.mask) : singleLabel(resolved.name, l.classIndex);
  return (probs) => ({ name: resolved.name, value: metric(probs), lowerIsBetter: resolved.lowerIsBetter });
}

/** Strictly better, so among equal scores the earlier candidate stays. */
export function isBetter(candidate: MainMetric, incumbent: MainMetric | undefined): boolean {
  if (incumbent === undefined) return true;
  return candidate.lowerIsBetter ? candidate.value < incumbent.value : candidate.value > incumbent.value;
}
