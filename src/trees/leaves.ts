/**
 * A grown tree's leaves over the training rows: which leaf each row reached, the (g, h) sums of
 * every tree output per leaf, and the leaf values added to the rows' raw scores. The training rows
 * are walked in row order, not leaf by leaf: the rows of a leaf are scattered over the gradient
 * matrix, and a sequential pass over it measured 3x faster (29k rows × 14 outputs, 31 leaves).
 */
import type { GrownTree, LeafRows } from './grow.js';
import { halfRows, type GradientArray } from './histogram.js';
import { lossSteps } from './loss.js';

/** Writes into `leafOf` (one per row) each row's leaf index in `byLeaf`, -1 for rows in no leaf. */
export function leafOfRows(byLeaf: LeafRows, leafOf: Int32Array): void {
  leafOf.fill(-1);
  for (let j = 0; j < byLeaf.start.length; j++) {
    for (let i = byLeaf.start[j]!; i < byLeaf.end[j]!; i++) leafOf[byLeaf.rows[i]!] = j;
  }
}

/**
 * Sums of (g, h) per leaf and tree output, [leaves × outputs × 2], from the row-major gradients `gh`
 * ([rows × outputCount × 2]): each half of the rows summed alone (leafSumsOf), then the two added,
 * as two threads sum them, so that any thread count gives the same sums to the bit.
 */
export function leafSums(leafOf: Int32Array, leafCount: number, gh: GradientArray, outputCount: number, outputs: Int32Array): Float64Array {
  const sums = new Float64Array(leafCount * 2 * outputs.length);
  const second = new Float64Array(sums.length);
  leafSumsOf(sums, leafOf, gh, outputCount, outputs, 0);
  leafSumsOf(second, leafOf, gh, outputCount, outputs, 1);
  return joinedHalves(sums, second);
}

/** The leaf sums of the whole rows from those of their two halves: `first` + `second`, in a new array. */
export function joinedHalves(first: Float64Array, second: Float64Array): Float64Array {
  const out = first.slice();
  for (let i = 0; i < out.length; i++) out[i] += second[i]!;
  return out;
}

/**
 * leafSums of the rows of half `half` (histogram.ts halfRows) into `sums` (zeroed), every tree output. Rows in
 * row order: a leaf's rows are scattered over the gradient matrix, and reading it row after row is
 * the pass the memory streams fastest.
 */
export function leafSumsOf(sums: Float64Array, leafOf: Int32Array, gh: GradientArray, outputCount: number, outputs: Int32Array, half: 0 | 1): void {
  const width = outputs.length;
  const w2 = 2 * width;
  const first = outputs[0]!;
  const contiguous = outputs[width - 1]! - first === width - 1;
  const [rFrom, rTo] = halfRows(leafOf.length, half);
  for (let i = rFrom; i < rTo; i++) {
    const j = leafOf[i]!;
    if (j < 0) continue;
    const to = j * w2;
    const base = 2 * i * outputCount;
    if (contiguous) {
      const from = base + 2 * first;
      // Whole (g, h) pairs per step.
      for (let q = 0; q < w2; q += 2) {
        sums[to + q] += gh[from + q]!;
        sums[to + q + 1] += gh[from + q + 1]!;
      }
    } else {
      for (let o = 0; o < width; o++) {
        sums[to + 2 * o] += gh[base + 2 * outputs[o]!]!;
        sums[to + 2 * o + 1] += gh[base + 2 * outputs[o]! + 1]!;
      }
    }
  }
}

/**
 * Adds a grown tree's leaf values to the raw scores [rows × outputCount] of the rows it was grown on
 * (and their exponentials, `ex`); the scores row- or output-major as loss.ts's lossSteps says.
 */
export function addGrownValues(grown: GrownTree, raw: Float64Array, outputCount: number, ex: Float64Array | null = null, outputMajor = false): void {
  addRowValues(grown.leafOfRow, grown.leafNode, grown.tree.values, grown.tree.outputs, raw, outputCount, 0, grown.leafOfRow.length, ex, outputMajor);
}

/** e^v of each leaf value: a score's exponential is multiplied by it as the value is added to the score. */
function factorsOf(values: Float32Array): Float64Array {
  const out = new Float64Array(values.length);
  for (let i = 0; i < values.length; i++) out[i] = Math.exp(values[i]!);
  return out;
}

/**
 * addGrownValues on the rows [from, to): row i gets the values of node leafNode[leafOfRow[i]] (none
 * when -1), and its `ex` their factors. Each row's scores change alone, so row blocks may run on
 * different threads; with `outputMajor` a per-task tree's update streams its output's scores alone
 * (row-major, every row's scores of all outputs pass through the cache for one of them).
 */
export function addRowValues(
  leafOfRow: Int32Array, leafNode: Int32Array, values: Float32Array, outputs: Int32Array, raw: Float64Array, outputCount: number, from: number, to: number,
  ex: Float64Array | null = null, outputMajor = false,
): void {
  const width = outputs.length;
  const factors = ex ? factorsOf(values) : null;
  const [rowStep, outputStep] = lossSteps(raw.length / outputCount, outputCount, outputMajor);
  const first = outputs[0]!;
  if (width === 1) {
    // A per-task tree: one score per row, in a loop of its own (output-major: one stream of scores).
    const base = first * outputStep;
    for (let i = from; i < to; i++) {
      const j = leafOfRow[i]!;
      if (j < 0) continue;
      const at = leafNode[j]!;
      const q = i * rowStep + base;
      raw[q] += values[at]!;
      if (ex) ex[q] *= factors![at]!;
    }
    return;
  }
  // A tree of consecutive outputs (every output, in shared mode) adds its leaf's values in one run.
  const contiguous = outputStep === 1 && outputs[width - 1]! - first === width - 1;
  for (let i = from; i < to; i++) {
    const j = leafOfRow[i]!;
    if (j < 0) continue;
    const at = leafNode[j]! * width;
    const base = i * rowStep;
    if (contiguous) {
      for (let o = 0, to = base + first; o < width; o++) raw[to + o] += values[at + o]!;
      if (ex) for (let o = 0, to = base + first; o < width; o++) ex[to + o] *= factors![at + o]!;
    } else {
      for (let o = 0; o < width; o++) raw[base + outputs[o]! * outputStep] += values[at + o]!;
      if (ex) for (let o = 0; o < width; o++) ex[base + outputs[o]! * outputStep] *= factors![at + o]!;
    }
  }
}

/** Adds a grown tree's leaf values to the raw scores [rows × outputCount] (laid out as in addRowValues) of the rows in `byLeaf` (passengers), and their factors to `ex`. */
export function addLeafValues(grown: GrownTree, byLeaf: LeafRows, raw: Float64Array, outputCount: number, ex: Float64Array | null = null, outputMajor = false): void {
  const { tree } = grown;
  const width = tree.outputs.length;
  const outputs = tree.outputs;
  const factors = ex ? factorsOf(tree.values) : null;
  const [rowStep, outputStep] = lossSteps(raw.length / outputCount, outputCount, outputMajor);
  for (let j = 0; j < grown.leafNode.length; j++) {
    const at = grown.leafNode[j]! * width;
    for (let i = byLeaf.start[j]!; i < byLeaf.end[j]!; i++) {
      const base = byLeaf.rows[i]! * rowStep;
      for (let o = 0; o < width; o++) raw[base + outputs[o]! * outputStep] += tree.values[at + o]!;
      if (ex) for (let o = 0; o < width; o++) ex[base + outputs[o]! * outputStep] *= factors![at + o]!;
    }
  }
}
