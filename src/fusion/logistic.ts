/**
 * The stacking meta-learner's pieces: its features, its L2-regularised log losses (mean over the
 * labelled rows, plus λ/2·‖θ‖² on every weight and intercept, so the optimum is unique and finite
 * even when a class is absent), and its forward pass — written once, so fitting and applying agree.
 *
 * Features are the members' clipped log-probabilities (softmax link) or logits (sigmoid link): the
 * meta-learner's family then holds the product of experts, and each member alone (a unit weight on
 * its own log-probabilities), so stacking can fall back to `best`.
 */
import type { Passthrough } from './fusion.js';
import type { StackFusion } from './spec.js';
import type { Objective } from './lbfgs.js';

/** Probabilities are clipped to [ε, 1]; the float32 value, so JS and ONNX clip identically. */
export const EPS = Math.fround(1e-7);

const clippedLog = (p: number): number => Math.log(Math.max(p, EPS));
export const clippedLogit = (p: number): number => clippedLog(p) - clippedLog(1 - p);

/** Softmax link: [rows × (M·C + P)], member by member, then the passthrough features. */
export function softmaxFeatures(members: readonly Float32Array[], rows: number, classes: number, passthrough?: Passthrough): Float64Array {
  const pw = passthrough?.width ?? 0;
  const width = members.length * classes + pw;
  const x = new Float64Array(rows * width);
  for (let i = 0; i < rows; i++) {
    members.forEach((p, m) => {
      for (let c = 0; c < classes; c++) x[i * width + m * classes + c] = clippedLog(p[i * classes + c]!);
    });
    for (let j = 0; j < pw; j++) x[i * width + members.length * classes + j] = passthrough!.values[i * pw + j]!;
  }
  return x;
}

/** Sigmoid link, label k: [rows × (M + P)], the members' logits of label k, then the passthrough. */
export function sigmoidFeatures(members: readonly Float32Array[], rows: number, labels: number, k: number, passthrough?: Passthrough): Float64Array {
  const pw = passthrough?.width ?? 0;
  const width = members.length + pw;
  const x = new Float64Array(rows * width);
  for (let i = 0; i < rows; i++) {
    members.forEach((p, m) => (x[i * width + m] = clippedLogit(p[i * labels + k]!)));
    for (let j = 0; j < pw; j++) x[i * width + members.length + j] = passthrough!.values[i * pw + j]!;
  }
  return x;
}

/**
 * Centres and scales the columns of `x` [rows × width] in place to mean 0, variance 1 over `used`
 * rows (a constant column is only centred). The solver then faces a well-conditioned problem: the
 * members' log-probabilities sit around −2 with spreads from 0.1 to 5, which otherwise costs
 * hundreds of L-BFGS iterations.
 */
export function standardize(x: Float64Array, width: number, used: Int32Array): { mean: Float64Array; scale: Float64Array } {
  const mean = new Float64Array(width);
  const scale = new Float64Array(width);
  for (const i of used) for (let f = 0; f < width; f++) mean[f]! += x[i * width + f]! / used.length;
  for (const i of used) for (let f = 0; f < width; f++) scale[f]! += (x[i * width + f]! - mean[f]!) ** 2 / used.length;
  scale.forEach((v, f) => (scale[f] = v > 1e-12 ? Math.sqrt(v) : 1));
  for (let i = 0; i < x.length; i++) x[i] = (x[i]! - mean[i % width]!) / scale[i % width]!;
  return { mean, scale };
}

/** θ = [W (width × outputs), b (outputs)] fitted on standardised columns, as weights on the raw ones. */
export function unstandardize(theta: Float64Array, width: number, outputs: number, { mean, scale }: { mean: Float64Array; scale: Float64Array }): Float64Array {
  const raw = Float64Array.from(theta);
  for (let f = 0; f < width; f++) {
    for (let c = 0; c < outputs; c++) {
      raw[f * outputs + c] = theta[f * outputs + c]! / scale[f]!;
      raw[width * outputs + c]! -= mean[f]! * raw[f * outputs + c]!;
    }
  }
  return raw;
}

function addPenalty(theta: Float64Array, grad: Float64Array, count: number, l2: number): number {
  let penalty = 0;
  for (let j = 0; j < theta.length; j++) {
    grad[j] = grad[j]! / count + l2 * theta[j]!;
    penalty += theta[j]! * theta[j]!;
  }
  return (l2 / 2) * penalty;
}

/** Multinomial: θ = [W (F × C) row-major, b (C)]; `rows` are the labelled rows, `y` their classes. */
export function softmaxObjective(x: Float64Array, width: number, classes: number, rows: Int32Array, y: Int32Array, l2: number): Objective {
  const z = new Float64Array(classes);
  return (theta, grad) => {
    grad.fill(0);
    let loss = 0;
    for (const i of rows) {
      const lse = softmaxLogits(x, i, width, classes, theta, z);
      loss += lse - z[y[i]!]!;
      for (let c = 0; c < classes; c++) {
        const r = Math.exp(z[c]! - lse) - (c === y[i] ? 1 : 0);
        grad[width * classes + c]! += r;
        for (let f = 0; f < width; f++) grad[f * classes + c]! += x[i * width + f]! * r;
      }
    }
    return loss / rows.length + addPenalty(theta, grad, rows.length, l2);
  };
}

/** Fills `z` with row i's logits and returns their log-sum-exp. */
export function softmaxLogits(x: Float64Array, i: number, width: number, classes: number, theta: ArrayLike<number>, z: Float64Array): number {
  for (let c = 0; c < classes; c++) z[c] = theta[width * classes + c]!;
  for (let f = 0; f < width; f++) {
    const v = x[i * width + f]!;
    for (let c = 0; c < classes; c++) z[c]! += v * theta[f * classes + c]!;
  }
  const top = z.reduce((m, v) => Math.max(m, v), -Infinity);
  let sum = 0;
  for (let c = 0; c < classes; c++) sum += Math.exp(z[c]! - top);
  return top + Math.log(sum);
}

/** Binary logistic: θ = [a (F), b]; `y` holds 0/1 targets of the labelled `rows`. */
export function sigmoidObjective(x: Float64Array, width: number, rows: Int32Array, y: ArrayLike<number>, l2: number): Objective {
  return (theta, grad) => {
    grad.fill(0);
    let loss = 0;
    for (const i of rows) {
      const z = sigmoidLogit(x, i, width, theta);
      loss += Math.max(z, 0) + Math.log1p(Math.exp(-Math.abs(z))) - y[i]! * z;
      const r = 1 / (1 + Math.exp(-z)) - y[i]!;
      grad[width]! += r;
      for (let f = 0; f < width; f++) grad[f]! += x[i * width + f]! * r;
    }
    return loss / rows.length + addPenalty(theta, grad, rows.length, l2);
  };
}

export function sigmoidLogit(x: Float64Array, i: number, width: number, theta: ArrayLike<number>): number {
  let z = theta[width]!;
  for (let f = 0; f < width; f++) z += x[i * width + f]! * theta[f]!;
  return z;
}

/** The stack's probabilities in JS, [rows × outputs], as the ONNX ops compute them. */
export function applyStack(fusion: StackFusion, members: readonly Float32Array[], rows: number, passthrough?: Passthrough): Float32Array {
  const k = fusion.outputs;
  const out = new Float32Array(rows * k);
  if (fusion.link === 'softmax') {
    const x = softmaxFeatures(members, rows, k, passthrough);
    const theta = [...fusion.coefficients, ...fusion.passthrough, ...fusion.intercepts];
    const width = x.length / rows;
    const z = new Float64Array(k);
    for (let i = 0; i < rows; i++) {
      const lse = softmaxLogits(x, i, width, k, theta, z);
      for (let c = 0; c < k; c++) out[i * k + c] = Math.exp(z[c]! - lse);
    }
    return out;
  }
  const pw = passthrough?.width ?? 0;
  for (let label = 0; label < k; label++) {
    const x = sigmoidFeatures(members, rows, k, label, passthrough);
    const theta = [...members.map((_, m) => fusion.coefficients[m * k + label]!), ...Array.from({ length: pw }, (_, j) => fusion.passthrough[j * k + label]!), fusion.intercepts[label]!];
    for (let i = 0; i < rows; i++) out[i * k + label] = 1 / (1 + Math.exp(-sigmoidLogit(x, i, members.length + pw, theta)));
  }
  return out;
}
