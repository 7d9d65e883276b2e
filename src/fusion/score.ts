/** Scoring a task's fused probabilities by its main metric, for the methods that choose (select, best). */
import type { TaskLabels } from '../data/schema.js';
import { TrainingError } from '../errors.js';
import { mainMetric, type MainMetric } from '../eval/main-metric.js';
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

export function score(input: TaskInput, probs: Float32Array, options: ResolvedFusionOptions): MainMetric {
  return mainMetric(evaluateLabels(input.labels, probs), options.metrics[input.task.name]);
}

/** Strictly better, so among equal scores the earlier candidate stays. */
export function isBetter(candidate: MainMetric, incumbent: MainMetric | undefined): boolean {
  if (incumbent === undefined) return true;
  return candidate.lowerIsBetter ? candidate.value < incumbent.value : candidate.value > incumbent.value;
}
