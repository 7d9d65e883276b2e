/** Predictions as CSV: a label column per task (0/1 per label for multi-label), optionally probabilities. */
import type { TaskPrediction } from './model.js';
import type { ModelMetadata } from './metadata.js';

function quote(v: string): string {
  return /[",\n\r]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
}

export function predictionsCsv(meta: ModelMetadata, predictions: TaskPrediction[], withProbabilities: boolean): string {
  const header: string[] = [];
  meta.tasks.forEach((task) => {
    if (task.type === 'multilabel') header.push(...task.classes);
    else header.push(task.name);
    if (withProbabilities) header.push(...task.classes.map((c) => `${task.name}:p(${c})`));
  });
  const n = predictions[0] ? predictions[0].probabilities.length / meta.tasks[0]!.classes.length : 0;
  const lines = [header.map(quote).join(',')];
  for (let i = 0; i < n; i++) {
    const cells: string[] = [];
    predictions.forEach((p, t) => {
      const k = meta.tasks[t]!.classes.length;
      if (p.labels instanceof BigInt64Array) for (let j = 0; j < k; j++) cells.push(String(p.labels[i * k + j]));
      else cells.push(quote(p.labels[i]!));
      if (withProbabilities) for (let j = 0; j < k; j++) cells.push(p.probabilities[i * k + j]!.toPrecision(6));
    });
    lines.push(cells.join(','));
  }
  return lines.join('\n') + '\n';
}
