/** Everything the page is drawn from: model.json's fields, and what predicting on a labelled table adds. */
import type { Calibration } from '../eval/calibration.js';
import type { LabelF1 } from '../eval/label-f1.js';
import type { FeatureDrop } from '../eval/permutation-importance.js';
import type { RocPoint } from '../eval/roc-curve.js';
import type { ReportFields } from './fields.js';

export interface ReportTask {
  name: string;
  type: 'binary' | 'multiclass' | 'multilabel';
  columns: string[];
  classes: string[];
}

export interface TaskAnalysis {
  task: string;
  /** Binary tasks: the ROC curve of class 1 (thinned for drawing). */
  roc?: RocPoint[];
  auc?: number | null;
  calibration: Calibration;
  /** Multi-label tasks. */
  labelF1?: LabelF1[];
  /** Rows per class (multi-label: positives per label) and rows without a label. */
  labelCounts: { counts: number[]; missing: number };
}

export interface ImportanceAnalysis {
  rows: number;
  repeats: number;
  /** Per task, the main metric whose drop is measured. */
  metrics: string[];
  drops: FeatureDrop[];
}

export interface DataAnalysis {
  source: string;
  rows: number;
  tasks: TaskAnalysis[];
  importance?: ImportanceAnalysis;
}

export interface ReportInput {
  model: string;
  polyheadVersion: string;
  arch: string;
  tasks: ReportTask[];
  /** model.json's schema and options, as stored. */
  schema: unknown;
  options: Record<string, unknown>;
  fields: ReportFields;
  data?: DataAnalysis;
  /** Why there is no `data` (which file the charts need), shown where they would be. */
  dataNote?: string;
}
