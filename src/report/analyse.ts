/**
 * What the charts need beyond model.json: per-row probabilities of a labelled table, from the
 * saved ONNX model itself, turned into ROC points, calibration bins, per-label F1 and the
 * permutation importance of each raw feature column.
 */
import { encodeLabels, labelCounts } from '../data/labels.js';
import type { TaskLabels } from '../data/schema.js';
import type { Table } from '../data/table.js';
import type { PolyheadModel, TaskPrediction } from '../bundle/model.js';
import { calibrationBins, calibrationPairs } from '../eval/calibration.js';
import { labelF1 } from '../eval/label-f1.js';
import { mainMetric, MULTILABEL_METRICS, SINGLE_LABEL_METRICS } from '../eval/main-metric.js';
import { permutationImportance, sampleRows, takeRows } from '../eval/permutation-importance.js';
import { rocCurve, thinCurve } from '../eval/roc-curve.js';
import { binaryAuc } from '../eval/auc.js';
import { evaluateLabels } from '../eval/task.js';
import type { DataAnalysis, ImportanceAnalysis, TaskAnalysis } from './input.js';

export interface AnalyseOptions {
  /** Rows shuffled for permutation importance (a seeded sample of the table); 0 skips it. */
  importanceRows: number;
  repeats: number;
  seed: number;
}

const ROC_POINTS = 300;

function taskAnalysis(labels: TaskLabels, prediction: TaskPrediction, classes: number): TaskAnalysis {
  const pairs = calibrationPairs(labels, prediction.probabilities);
  const analysis: TaskAnalysis = { task: labels.task, calibration: calibrationBins(pairs.confidence, pairs.correct), labelCounts: labelCounts(labels, classes) };
  if (labels.type === 'binary') {
    const rows = [...labels.classIndex.keys()].filter((i) => labels.classIndex[i]! >= 0);
    const scores = Float64Array.from(rows, (i) => prediction.probabilities[i * 2 + 1]!);
    const positive = Uint8Array.from(rows, (i) => labels.classIndex[i]!);
    analysis.roc = thinCurve(rocCurve(scores, positive), ROC_POINTS);
    analysis.auc = binaryAuc(scores, positive);
  }
  if (labels.type === 'multilabel') analysis.labelF1 = labelF1(prediction.probabilities, labels.targets, labels.mask);
  return analysis;
}

async function importance(model: PolyheadModel, table: Table, o: AnalyseOptions): Promise<ImportanceAnalysis> {
  const sample = takeRows(table, sampleRows(table.rowCount, o.importanceRows, o.seed));
  const labels = model.meta.tasks.map((t) => encodeLabels(sample, t, t.classes).labels);
  const scoreAll = async (t: Table) => (await model.predict(t)).map((p, i) => mainMetric(evaluateLabels(labels[i]!, p.probabilities), metricOf(model, p.type)));
  const base = await scoreAll(sample);
  const drops = await permutationImportance(sample, async (t) => (await scoreAll(t)).map((m) => m.value), {
    features: model.meta.onnx.inputs.map((i) => i.name),
    lowerIsBetter: base.map((m) => m.lowerIsBetter),
    repeats: o.repeats,
    seed: o.seed,
  });
  return { rows: sample.rowCount, repeats: o.repeats, metrics: base.map((m) => m.name), drops };
}

/** The training run's --metric where it exists for the task's type (as the trainer applies it), else the default. */
function metricOf(model: PolyheadModel, type: TaskPrediction['type']): string | undefined {
  const chosen = model.meta.options.metric;
  const allowed: readonly string[] = type === 'multilabel' ? MULTILABEL_METRICS : SINGLE_LABEL_METRICS;
  return typeof chosen === 'string' && allowed.includes(chosen) ? chosen : undefined;
}

export async function analyse(model: PolyheadModel, table: Table, o: AnalyseOptions): Promise<DataAnalysis> {
  const predictions = await model.predict(table);
  const tasks = model.meta.tasks.map((t, i) => taskAnalysis(encodeLabels(table, t, t.classes).labels, predictions[i]!, t.classes.length));
  return {
    source: table.source,
    rows: table.rowCount,
    tasks,
    ...(o.importanceRows > 0 ? { importance: await importance(model, table, o) } : {}),
  };
}
