/** Which metrics a task's table lists, which one is its main metric, and which are losses. */
import { defaultMainMetric, isLowerBetter, MULTILABEL_METRICS, SINGLE_LABEL_METRICS, type MetricName } from '../eval/main-metric.js';
import type { MetricValues } from './fields.js';

export type TaskType = 'binary' | 'multiclass' | 'multilabel';

export const metricsOf = (type: TaskType): readonly MetricName[] => (type === 'multilabel' ? MULTILABEL_METRICS : SINGLE_LABEL_METRICS);

/** The main metric as training ranked by it: the run's --metric where it exists for the type, the default otherwise, accuracy / micro-F1 when AUC is undefined. */
export function mainMetricName(type: TaskType, values: MetricValues, chosen: unknown): MetricName {
  const allowed: readonly string[] = metricsOf(type);
  const name = typeof chosen === 'string' && allowed.includes(chosen) ? (chosen as MetricName) : defaultMainMetric(type);
  if (values[name] === null) return type === 'multilabel' ? 'microF1' : 'accuracy';
  return name;
}

export const lowerIsBetter = (metric: string): boolean => isLowerBetter(metric as MetricName);

/** Relative change in percent of `value` over `baseline`, positive when `value` is better. */
export function relativeGain(metric: string, value: number | null | undefined, baseline: number | null | undefined): number | null {
  if (value === null || value === undefined || baseline === null || baseline === undefined || baseline === 0) return null;
  return ((lowerIsBetter(metric) ? baseline - value : value - baseline) / baseline) * 100;
}

const LABELS: Record<string, string> = {
  accuracy: 'accuracy',
  balancedAccuracy: 'balanced accuracy',
  macroF1: 'macro-F1',
  microF1: 'micro-F1',
  logLoss: 'log loss',
  auc: 'AUC',
  hammingLoss: 'Hamming loss',
  subsetAccuracy: 'subset accuracy',
};

export const metricLabel = (metric: string): string => LABELS[metric] ?? metric;
