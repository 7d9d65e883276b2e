/**
 * The three losses on raw scores, with their gradients and diagonal Hessians: binary log loss on a
 * logit, softmax cross-entropy over a multiclass task's outputs (Hessian p(1 − p), as LightGBM and
 * scikit-learn use), and one logistic loss per multi-label output. A row without a label for a task
 * (class -1, or mask 0) gets gradient and Hessian 0 on that task's outputs: it adds nothing.
 */
import type { Task, TaskLabels } from '../data/schema.js';
import { OptionError } from '../errors.js';
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
 * Writes (g, h) per row and output into `gh` at the raw scores `raw` ([rows × outputCount]): the pair
 * of row i and output o at i · outputCount + o, or with `outputMajor` at o · rows + i (each output's
 * rows together, as per-task trees read them). Returns the mean loss per task over its labelled rows
 * (multi-label: mean over labels too).
 */
export function gradients(tasks: TreeTask[], labels: TaskLabels[], raw: Float64Array, outputCount: number, gh: Float64Array | null, outputMajor = false): number[] {
  const rows = raw.length / outputCount;
  const [rowStep, outputStep] = outputMajor ? [1, rows] : [outputCount, 1];
  const exps = new Float64Array(outputCount);
  return tasks.map((t, ti) => {
    const l = labels[ti]!;
    const w = t.width;
    let loss = 0;
    let count = 0;
    for (let i = 0; i < rows; i++) {
      const at = i * outputCount + t.offset;
      const pair = i * rowStep + t.offset * outputStep;
      if (l.type === 'multilabel') {
        const on = l.mask[i] === 1;
        if (on) count++;
        for (let k = 0; k < w; k++) {
          const p = sigmoid(raw[at + k]!);
          const y = l.targets[i * w + k]!;
          if (on) loss -= y * Math.log(clampP(p)) + (1 - y) * Math.log(clampP(1 - p));
          if (gh) setGH(gh, pair + k * outputStep, on, p - y, p * (1 - p));
        }
        continue;
      }
      const c = l.classIndex[i]!;
      const on = c >= 0;
      if (on) count++;
      if (t.type === 'binary') {
        const p = sigmoid(raw[at]!);
        if (on) loss -= Math.log(clampP(c === 1 ? p : 1 - p));
        if (gh) setGH(gh, pair, on, p - c, p * (1 - p));
        continue;
      }
      let max = -Infinity;
      for (let k = 0; k < w; k++) max = Math.max(max, raw[at + k]!);
      let sum = 0;
      for (let k = 0; k < w; k++) sum += (exps[k] = Math.exp(raw[at + k]! - max));
      for (let k = 0; k < w; k++) {
        const p = exps[k]! / sum;
        if (on && k === c) loss -= Math.log(clampP(p));
        if (gh) setGH(gh, pair + k * outputStep, on, p - (k === c ? 1 : 0), p * (1 - p));
      }
    }
    return count > 0 ? loss / (count * (l.type === 'multilabel' ? w : 1)) : 0;
  });
}

function setGH(gh: Float64Array, at: number, on: boolean, g: number, h: number): void {
  gh[2 * at] = on ? g : 0;
  gh[2 * at + 1] = on ? Math.max(h, 1e-16) : 0;
}
