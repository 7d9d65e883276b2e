/**
 * Trees applied in JS: raw scores per row and output, and the probabilities the exported model gives
 * (sigmoid for a binary task's logit and for each multi-label output, softmax over a multiclass task).
 * The learner scores validation rows with the same function the parity test checks against ONNX.
 */
import type { Tree, TreeEnsemble, TreeInputs } from './model.js';

/** The leaf a row of `inputs` reaches in `tree`. */
export function leafOf(tree: Tree, columns: Float32Array[], row: number): number {
  let node = 0;
  while (tree.feature[node]! >= 0) {
    const x = columns[tree.feature[node]!]![row]!;
    let left: boolean;
    if (x !== x) left = tree.missingLeft[node] === 1;
    else if (tree.catStart[node]! < tree.catStart[node + 1]!) left = hasCode(tree, node, x);
    else left = x <= tree.threshold[node]!;
    node = left ? tree.left[node]! : tree.right[node]!;
  }
  return node;
}

function hasCode(tree: Tree, node: number, x: number): boolean {
  for (let k = tree.catStart[node]!; k < tree.catStart[node + 1]!; k++) if (tree.catCodes[k] === x) return true;
  return false;
}

/** Adds `tree`'s leaf values to `scores` (row-major [rows × outputCount]). */
export function addTree(tree: Tree, inputs: TreeInputs, scores: Float64Array, outputCount: number): void {
  const width = tree.outputs.length;
  for (let i = 0; i < inputs.rowCount; i++) {
    const leaf = leafOf(tree, inputs.columns, i);
    const base = i * outputCount;
    for (let k = 0; k < width; k++) scores[base + tree.outputs[k]!] += tree.values[leaf * width + k]!;
  }
}

/** Raw scores [rows × outputCount]: the base score plus every tree (or the first `trees` of them). */
export function predictRaw(ensemble: TreeEnsemble, inputs: TreeInputs, trees = ensemble.trees.length): Float64Array {
  const scores = new Float64Array(inputs.rowCount * ensemble.outputCount);
  for (let i = 0; i < inputs.rowCount; i++) scores.set(ensemble.base, i * ensemble.outputCount);
  for (let t = 0; t < trees; t++) addTree(ensemble.trees[t]!, inputs, scores, ensemble.outputCount);
  return scores;
}

const sigmoid = (z: number): number => 1 / (1 + Math.exp(-z));

/**
 * Per task, row-major probabilities: binary [rows × 2] (class 0, class 1), multiclass [rows × K]
 * by softmax, multi-label [rows × labels] by sigmoid — the shapes the network's tasks have.
 */
export function scoresToProbabilities(ensemble: TreeEnsemble, raw: Float64Array, rows: number): Float32Array[] {
  const n = ensemble.outputCount;
  return ensemble.tasks.map((task) => {
    if (task.type === 'binary') {
      const out = new Float32Array(rows * 2);
      for (let i = 0; i < rows; i++) {
        const p = sigmoid(raw[i * n + task.offset]!);
        out[2 * i] = 1 - p;
        out[2 * i + 1] = p;
      }
      return out;
    }
    const w = task.width;
    const out = new Float32Array(rows * w);
    for (let i = 0; i < rows; i++) {
      const at = i * n + task.offset;
      if (task.type === 'multilabel') {
        for (let k = 0; k < w; k++) out[i * w + k] = sigmoid(raw[at + k]!);
        continue;
      }
      let max = -Infinity;
      for (let k = 0; k < w; k++) max = Math.max(max, raw[at + k]!);
      let sum = 0;
      for (let k = 0; k < w; k++) sum += (out[i * w + k] = Math.exp(raw[at + k]! - max));
      for (let k = 0; k < w; k++) out[i * w + k]! /= sum;
    }
    return out;
  });
}

export function predictProbabilities(ensemble: TreeEnsemble, inputs: TreeInputs): Float32Array[] {
  return scoresToProbabilities(ensemble, predictRaw(ensemble, inputs), inputs.rowCount);
}
