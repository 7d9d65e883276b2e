/**
 * The three losses on raw scores, with their gradients and diagonal Hessians: binary log loss on a
 * logit, softmax cross-entropy over a multiclass task's outputs (Hessian p(1 − p), as LightGBM and
 * scikit-learn use), and one logistic loss per multi-label output. A row without a label for a task
 * (class -1, or mask 0) gets gradient and Hessian 0 on that task's outputs: it adds nothing.
 */
import type { Task, TaskLabels } from '../data/schema.js';
import { OptionError } from '../errors.js';
import type { GradientArray } from './histogram.js';
import type { TreeTask } from './model.js';

const EPS = 1e-15;
const sigmoid = (z: number): number => 1 / (1 + Math.exp(-z));
const logit = (p: number): number => Math.log(p / (1 - p));
const clampP = (p: number): number => Math.min(1 - EPS, Math.max(EPS, p));

export function treeTasks(tasks: Task[]): TreeTask[] {
  let offset = 0;
  return tasks.map((t) => {
    const width = t.type === 'binary' ? 1 : t.classes.length;
    if (t.type !== 'binary' && width < 2) {
      throw new OptionError('tree-task-classes', `task '${t.name}' has ${width} class; a ${t.type} task needs at least 2`, { task: t.name });
    }
    const out = { name: t.name, type: t.type, offset, width };
    offset += width;
    return out;
  });
}

/** Initial raw scores: the training prior of each output (log-odds, or log class share for softmax). */
export function baseScores(tasks: TreeTask[], labels: TaskLabels[], outputCount: number): Float32Array {
  const base = new Float32Array(outputCount);
  tasks.forEach((t, ti) => {
    const l = labels[ti]!;
    const counts = new Float64Array(t.width);
    let rows = 0;
    if (l.type === 'multilabel') {
      for (let i = 0; i < l.mask.length; i++) {
        if (!l.mask[i]) continue;
        rows++;
        for (let k = 0; k < t.width; k++) counts[k] += l.targets[i * t.width + k]!;
      }
    } else {
      for (const c of l.classIndex) {
        if (c < 0) continue;
        rows++;
        counts[t.type === 'binary' ? 0 : c] += t.type === 'binary' ? c : 1;
      }
    }
    for (let k = 0; k < t.width; k++) {
      const p = clampP(rows > 0 ? counts[k]! / rows : 0.5);
      base[t.offset + k] = t.type === 'multiclass' ? Math.log(p) : logit(p);
    }
  });
  return base;
}

/**
 * Where a task's raw scores (and their exponentials) and gradient pairs are: the score of row i,
 * output o at i · rowStep + o · outputStep, its pair at twice that.
 * The rows [from, to) are worked on; with `terms`, each row's loss term goes there (row i's, or row i
 * output k's at i · width + k for multi-label; 0 for a row without a label) instead of into the sum,
 * so that rows worked on in blocks still sum in row order.
 */
export interface LossLayout {
  raw: Float64Array;
  /** exp(raw) kept beside raw (leaves.ts multiplies it as it adds to raw), or null: Math.exp per score. */
  ex: Float64Array | null;
  offset: number;
  width: number;
  gh: GradientArray | null;
  rowStep: number;
  outputStep: number;
  from: number;
  to: number;
  terms: Float64Array | null;
}

/** The summed loss of the rows worked on (0 with `terms`) and how many of them have a label. */
export interface LossSum {
  loss: number;
  count: number;
}

/** Where scores go in a [rows × outputCount] buffer (and pairs in [rows × outputCount × 2]), row- or output-major. */
export const lossSteps = (rows: number, outputCount: number, outputMajor: boolean): [number, number] => (outputMajor ? [1, rows] : [outputCount, 1]);

/**
 * Writes (g, h) per row and output into `gh` at the raw scores `raw` ([rows × outputCount]): the score
 * and pair of row i and output o at i · outputCount + o, or with `outputMajor` at o · rows + i (each
 * output's rows together, as per-task trees read and update them). Returns the mean loss per task over its labelled rows
 * (multi-label: mean over labels too). Tasks with `only[t]` false are skipped (loss NaN).
 */
export function gradients(
  tasks: TreeTask[], labels: TaskLabels[], raw: Float64Array, outputCount: number, gh: GradientArray | null, outputMajor = false, only?: boolean[],
  ex: Float64Array | null = null,
): number[] {
  const rows = raw.length / outputCount;
  const [rowStep, outputStep] = lossSteps(rows, outputCount, outputMajor);
  const sums = tasks.map((): LossSum => ({ loss: 0, count: 0 }));
  const on = tasks.map((_, ti) => !only || only[ti]!);
  blocks(0, rows, (from, to) => tasks.forEach((t, ti) => {
    if (on[ti]) taskGradients({ raw, ex, offset: t.offset, width: t.width, gh, rowStep, outputStep, from, to, terms: null }, t, labels[ti]!, sums[ti]);
  }));
  return tasks.map((t, ti) => {
    if (!on[ti]) return NaN;
    const { loss, count } = sums[ti]!;
    return count > 0 ? loss / (count * (labels[ti]!.type === 'multilabel' ? t.width : 1)) : 0;
  });
}

/**
 * Rows in blocks small enough that a block's raw scores and gradient pairs stay in cache while every
 * task works on them: task by task over all rows streamed both arrays from memory once per task.
 */
export const BLOCK_ROWS = 2048;

export function blocks(from: number, to: number, each: (from: number, to: number) => void): void {
  for (let at = from; at < to; at += BLOCK_ROWS) each(at, Math.min(to, at + BLOCK_ROWS));
}

/** Adds the rows [from, to) to `sum`, continuing its row-order sum (so blocks sum as one pass). */
export function taskGradients(at: LossLayout, t: TreeTask, l: TaskLabels, sum: LossSum = { loss: 0, count: 0 }): LossSum {
  if (l.type === 'multilabel') logistic(at, l.targets, l.mask, sum);
  else if (t.type === 'binary') binary(at, l.classIndex, sum);
  else softmax(at, l.classIndex, sum);
  return sum;
}

/** The score's probability: from its kept exponential e^z when within range, else from z. */
function sigmoidOf(raw: Float64Array, ex: Float64Array | null, at: number): number {
  if (ex) {
    const e = ex[at]!;
    if (e >= EX_MIN && e <= EX_MAX) return e / (1 + e);
  }
  return sigmoid(raw[at]!);
}

/**
 * Kept exponentials are used within [EX_MIN, EX_MAX]: beyond, e^z has under- or overflowed (a
 * logit past ±690, where the probability is 0 or 1 anyway) and the score itself is used.
 */
const EX_MIN = 1e-300;
const EX_MAX = 1e300;

/** exp(raw) of `rows` rows of `outputCount` scores: the `ex` the gradients read. */
export function exponentials(raw: Float64Array, into: Float64Array): Float64Array {
  for (let i = 0; i < raw.length; i++) into[i] = Math.exp(raw[i]!);
  return into;
}

function binary(a: LossLayout, classIndex: Int32Array, sum: LossSum): void {
  const { raw, ex, offset, gh, rowStep, outputStep, terms } = a;
  let { loss, count } = sum;
  for (let i = a.from; i < a.to; i++) {
    const c = classIndex[i]!;
    const at = i * rowStep + offset * outputStep;
    const p = sigmoidOf(raw, ex, at);
    const pair = 2 * at;
    if (c < 0) {
      if (gh) gh[pair] = gh[pair + 1] = 0;
      if (terms) terms[i] = 0;
      continue;
    }
    count++;
    const term = Math.log(clampP(c === 1 ? p : 1 - p));
    if (terms) terms[i] = term;
    else loss -= term;
    if (gh) {
      gh[pair] = p - c;
      gh[pair + 1] = Math.max(p * (1 - p), 1e-16);
    }
  }
  sum.loss = loss;
  sum.count = count;
}

/** A row's exponentials: one buffer per thread, not one per block of rows. */
let expBuffer = new Float64Array(0);
function expScratch(w: number): Float64Array {
  if (expBuffer.length < w) expBuffer = new Float64Array(w);
  return expBuffer;
}

function softmax(a: LossLayout, classIndex: Int32Array, sum: LossSum): void {
  const { raw, ex, offset, width: w, gh, rowStep, outputStep, terms } = a;
  const exps = expScratch(w);
  const step = 2 * outputStep;
  let { loss, count } = sum;
  for (let i = a.from; i < a.to; i++) {
    const c = classIndex[i]!;
    const at = i * rowStep + offset * outputStep;
    const pair = 2 * at;
    if (c < 0) {
      if (gh) for (let k = 0; k < w; k++) gh[pair + k * step] = gh[pair + k * step + 1] = 0;
      if (terms) terms[i] = 0;
      continue;
    }
    count++;
    let total = 0;
    let term = 0;
    let inRange = ex !== null;
    if (ex) {
      for (let k = 0; k < w; k++) {
        const e = ex[at + k * outputStep]!;
        exps[k] = e;
        total += e;
        if (!(e >= EX_MIN)) inRange = false;
      }
    }
    // Softmax is the same for every multiple of a row's exponentials: any multiple within range will
    // do, and the exact path below keeps the row's as e^(z - max).
    if (inRange && total <= EX_MAX) term = Math.log(total) - Math.log(exps[c]!);
    else {
      let max = raw[at]!;
      for (let k = 1; k < w; k++) if (raw[at + k * outputStep]! > max) max = raw[at + k * outputStep]!;
      total = 0;
      for (let k = 0; k < w; k++) {
        const e = Math.exp(raw[at + k * outputStep]! - max);
        exps[k] = e;
        total += e;
        if (ex) ex[at + k * outputStep] = e;
      }
      // −log p_c = log Σ exp − (z_c − max): one log per row, exact where p_c underflows.
      term = Math.log(total) - (raw[at + c * outputStep]! - max);
    }
    if (terms) terms[i] = term;
    else loss += term;
    if (!gh) continue;
    const inv = 1 / total;
    for (let k = 0; k < w; k++) {
      const p = exps[k]! * inv;
      const q = pair + k * step;
      gh[q] = p;
      gh[q + 1] = p * (1 - p) > 1e-16 ? p * (1 - p) : 1e-16;
    }
    gh[pair + c * step] -= 1;
  }
  sum.loss = loss;
  sum.count = count;
}

function logistic(a: LossLayout, targets: Float32Array, mask: Uint8Array, sum: LossSum): void {
  const { raw, ex, offset, width: w, gh, rowStep, outputStep, terms } = a;
  let { loss, count } = sum;
  for (let i = a.from; i < a.to; i++) {
    const on = mask[i] === 1;
    if (on) count++;
    const at = i * rowStep + offset * outputStep;
    for (let k = 0; k < w; k++) {
      const q = 2 * (at + k * outputStep);
      if (!on) {
        if (gh) gh[q] = gh[q + 1] = 0;
        if (terms) terms[i * w + k] = 0;
        continue;
      }
      const p = sigmoidOf(raw, ex, at + k * outputStep);
      const y = targets[i * w + k]!;
      const term = y * Math.log(clampP(p)) + (1 - y) * Math.log(clampP(1 - p));
      if (terms) terms[i * w + k] = term;
      else loss -= term;
      if (gh) {
        gh[q] = p - y;
        gh[q + 1] = Math.max(p * (1 - p), 1e-16);
      }
    }
  }
  sum.loss = loss;
  sum.count = count;
}

/** The loss of a task whose rows wrote their `terms`, summed in row order as the single pass sums it. */
export function sumTerms(t: TreeTask, l: TaskLabels, terms: Float64Array, rows: number, count: number): number {
  let loss = 0;
  if (t.type === 'multiclass' && l.type !== 'multilabel') for (let i = 0; i < rows; i++) loss += terms[i]!;
  else for (let i = 0, m = l.type === 'multilabel' ? rows * t.width : rows; i < m; i++) loss -= terms[i]!;
  return count > 0 ? loss / (count * (l.type === 'multilabel' ? t.width : 1)) : 0;
}
