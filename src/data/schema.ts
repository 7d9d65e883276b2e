/**
 * The inferred (and user-corrected) meaning of each column. Produced by data/, consumed by features/,
 * train/ and bundle/. Helpers that infer it live beside this file; this file is the contract.
 */

/** `image`: a path per row to a PNG or JPEG file, relative to the table file. */
export type FeatureKind = 'numeric' | 'categorical' | 'boolean' | 'text' | 'datetime' | 'image';
export type ExcludedKind = 'identifier' | 'constant' | 'ignored' | 'task' | 'empty';
export type ColumnKind = FeatureKind | ExcludedKind;

export interface FeatureColumn {
  name: string;
  kind: FeatureKind;
  /** Share of rows (0..1) whose value is missing, on the table the schema was inferred from. */
  missingRate: number;
}

export interface ExcludedColumn {
  name: string;
  kind: ExcludedKind;
  /** Why the column is not a feature, in words a user understands. */
  reason: string;
}

/**
 * A prediction target. `binary` and `multiclass` read one column; `multilabel` is a group of
 * binary columns predicted together with sigmoid outputs, and `classes` are then the column names.
 */
export interface Task {
  name: string;
  type: 'binary' | 'multiclass' | 'multilabel';
  columns: string[];
  /** Class labels in the order of the model's outputs (sorted, for reproducibility). */
  classes: string[];
}

export interface SchemaWarning {
  /**
   * `non-numeric`: a numeric column holds a few texts that are not numbers; they are read as missing.
   * `leading-zeros`: numbers written with leading zeros ('08123') are read as codes, not numbers.
   */
  code: 'leakage' | 'rare-class' | 'single-class' | 'high-missing' | 'unseen-label' | 'non-numeric' | 'leading-zeros';
  message: string;
  column?: string;
  task?: string;
}

export interface Schema {
  features: FeatureColumn[];
  excluded: ExcludedColumn[];
  tasks: Task[];
  warnings: SchemaWarning[];
}

/**
 * Per-task labels for a set of rows. Single-column tasks: class index per row, -1 when missing.
 * Multi-label tasks: 0/1 per row and class ([rows × classes], row-major), with `mask` 0 for rows
 * whose labels are missing.
 */
export type TaskLabels =
  | { task: string; type: 'binary' | 'multiclass'; classIndex: Int32Array }
  | { task: string; type: 'multilabel'; targets: Float32Array; mask: Uint8Array };
