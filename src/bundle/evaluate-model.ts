/** Scoring a saved model on a labelled table: the same metrics as during training, from the ONNX model. */
import { encodeLabels } from '../data/labels.js';
import type { Table } from '../data/table.js';
import { DataError } from '../errors.js';
import { mainMetric } from '../eval/main-metric.js';
import { evaluateLabels, type TaskEvaluation } from '../eval/task.js';
import type { PolyheadModel } from './model.js';

export interface ModelEvaluation {
  rows: number;
  tasks: Array<{ evaluation: TaskEvaluation; main: { metric: string; value: number }; unseenLabels: Record<string, number> }>;
}

export async function evaluateModel(model: PolyheadModel, table: Table): Promise<ModelEvaluation> {
  const present = new Set(table.columns.map((c) => c.name));
  for (const task of model.meta.tasks) {
    const missing = task.columns.filter((c) => !present.has(c));
    if (missing.length > 0) {
      throw new DataError('missing-label-column', `task '${task.name}' needs column '${missing[0]}' to be evaluated; it is not in the file (predict needs no labels)`, { file: table.source, column: missing[0]! });
    }
  }
  const predictions = await model.predict(table);
  return {
    rows: table.rowCount,
    tasks: model.meta.tasks.map((task, t) => {
      const { labels, unseen } = encodeLabels(table, task, task.classes);
      const evaluation = evaluateLabels(labels, predictions[t]!.probabilities);
      const main = mainMetric(evaluation);
      return { evaluation, main: { metric: main.name, value: main.value }, unseenLabels: Object.fromEntries(unseen) };
    }),
  };
}
