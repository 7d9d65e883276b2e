/**
 * Stack: stacked generalisation (Wolpert, "Stacked Generalization", Neural Networks 1992) with a
 * logistic meta-learner on the members' out-of-fold probabilities, in the form of Ting & Witten
 * ("Issues in Stacked Generalization", JAIR 1999), who found class probabilities and a linear
 * meta-learner work best. Per task: multinomial logistic regression over every member's
 * log-probabilities for binary and multiclass tasks, one logistic regression per label over the
 * members' logits of that label for multi-label tasks; optionally with the encoded numeric features
 * passed through (as scikit-learn's StackingClassifier `passthrough`). Fitted by L-BFGS on
 * standardised columns with an L2 penalty there (so λ does not depend on the features' units, as
 * with scikit-learn's StandardScaler before LogisticRegression); the coefficients are then mapped
 * back to the raw columns and stored as float32 values, the ones the ONNX model runs.
 */
import type { FusionMethod, TaskInput } from './fusion.js';
import { minimize } from './lbfgs.js';
import { sigmoidFeatures, sigmoidObjective, softmaxFeatures, softmaxObjective, standardize, unstandardize } from './logistic.js';
import { requireLabels } from './score.js';
import type { StackFusion } from './spec.js';

/** On the mean log loss a gradient below 1e-6 leaves the loss within ~1e-11 of its minimum. */
const SOLVER = { gradientTolerance: 1e-6 };

const float32 = (values: ArrayLike<number>): number[] => Array.from(values, (v) => Math.fround(v));

function fitSoftmax(input: TaskInput, y: Int32Array, l2: number): StackFusion {
  const classes = input.width;
  const width = input.members.length * classes + (input.passthrough?.width ?? 0);
  const x = softmaxFeatures(input.members, input.rows, classes, input.passthrough);
  const rows = Int32Array.from(y.keys()).filter((i) => y[i]! >= 0);
  const columns = standardize(x, width, rows);
  const fitted = minimize(softmaxObjective(x, width, classes, rows, y, l2), new Float64Array((width + 1) * classes), SOLVER).x;
  const theta = unstandardize(fitted, width, classes, columns);
  const memberWeights = input.members.length * classes * classes;
  return {
    task: input.task.name,
    kind: 'stack',
    link: 'softmax',
    outputs: classes,
    coefficients: float32(theta.subarray(0, memberWeights)),
    passthrough: float32(theta.subarray(memberWeights, width * classes)),
    intercepts: float32(theta.subarray(width * classes)),
  };
}

function fitSigmoid(input: TaskInput, targets: Float32Array, mask: Uint8Array, l2: number): StackFusion {
  const labels = input.width;
  const members = input.members.length;
  const pw = input.passthrough?.width ?? 0;
  const rows = Int32Array.from(mask.keys()).filter((i) => mask[i] === 1);
  const coefficients = new Array<number>(members * labels);
  const passthrough = new Array<number>(pw * labels);
  const intercepts = new Array<number>(labels);
  for (let k = 0; k < labels; k++) {
    const x = sigmoidFeatures(input.members, input.rows, labels, k, input.passthrough);
    const y = Float64Array.from({ length: input.rows }, (_, i) => targets[i * labels + k]!);
    const columns = standardize(x, members + pw, rows);
    const fitted = minimize(sigmoidObjective(x, members + pw, rows, y, l2), new Float64Array(members + pw + 1), SOLVER).x;
    const theta = unstandardize(fitted, members + pw, 1, columns);
    for (let m = 0; m < members; m++) coefficients[m * labels + k] = Math.fround(theta[m]!);
    for (let j = 0; j < pw; j++) passthrough[j * labels + k] = Math.fround(theta[members + j]!);
    intercepts[k] = Math.fround(theta[members + pw]!);
  }
  return { task: input.task.name, kind: 'stack', link: 'sigmoid', outputs: labels, coefficients, passthrough, intercepts };
}

export const stack: FusionMethod = {
  name: 'stack',
  description: 'per-task logistic meta-learner on the members’ out-of-fold probabilities (stacked generalisation)',
  fitTask(input, options) {
    requireLabels(input, 'stack');
    const labels = input.labels;
    return labels.type === 'multilabel' ? fitSigmoid(input, labels.targets, labels.mask, options.l2) : fitSoftmax(input, labels.classIndex, options.l2);
  },
};
