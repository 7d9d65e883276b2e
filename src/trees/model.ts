/**
 * The contract of the trees folder: what the learner takes (columnar inputs), what it produces (an
 * ensemble as plain typed arrays), shared by the learner, the JS predictor and the ONNX export.
 * Plain data, so an ensemble serialises to JSON and back without loss.
 */

export type TreeFeatureKind = 'numeric' | 'categorical';

export interface TreeFeature {
  name: string;
  kind: TreeFeatureKind;
  /** Categorical: codes are integers 0 .. cardinality - 1 (0 is the unknown / other bucket). */
  cardinality?: number;
}

/**
 * The rows a tree member sees, one Float32Array per feature (columnar). Numeric features hold raw
 * values with NaN for missing; categorical features hold integer codes. Float32 because the exported
 * model takes float32 inputs: learner, JS predictor and ONNX compare the same numbers.
 */
export interface TreeInputs {
  rowCount: number;
  features: TreeFeature[];
  columns: Float32Array[];
}

/**
 * One tree. Node 0 is the root; a node with feature -1 is a leaf. Numeric split: x <= threshold goes
 * left. Categorical split (catStart[i] < catStart[i + 1]): the codes catCodes[catStart[i] ..
 * catStart[i + 1]) go left, every other code right. Missing (NaN) goes left when missingLeft is 1.
 */
export interface Tree {
  feature: Int32Array;
  threshold: Float32Array;
  /** Length nodes + 1. */
  catStart: Int32Array;
  catCodes: Int32Array;
  missingLeft: Uint8Array;
  left: Int32Array;
  right: Int32Array;
  /** Leaf values, row-major [nodes × outputs.length]; rows of internal nodes are 0. */
  values: Float32Array;
  /** The ensemble outputs this tree adds to: all of them for a shared tree, one for a per-task tree. */
  outputs: Int32Array;
}

export interface TreeTask {
  name: string;
  type: 'binary' | 'multiclass' | 'multilabel';
  /** This task's raw scores are outputs offset .. offset + width - 1 (binary: width 1, a logit). */
  offset: number;
  width: number;
}

export interface TreeEnsemble {
  features: TreeFeature[];
  /** Raw-score outputs over all tasks, in task order. */
  outputCount: number;
  tasks: TreeTask[];
  /** Initial raw score per output (prior log-odds). */
  base: Float32Array;
  trees: Tree[];
}
