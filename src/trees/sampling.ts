/**
 * What each round and tree works on: the rows drawn for a round, the features a tree may split on,
 * the outputs a shared tree searches (a sketch of the gradient matrix), and their gradients.
 */
import type { GradientArray, SearchGradients } from './histogram.js';
import { blocks } from './loss.js';
import type { Random } from '../util/random.js';

/** A growable scratch buffer; `alloc` makes its new buffers (shared memory, when threads read them). */
export interface Scratch {
  buffer: GradientArray;
  alloc?: (length: number) => GradientArray;
}

function scratchOf(scratch: Scratch, length: number): GradientArray {
  if (scratch.buffer.length < length) scratch.buffer = scratch.alloc ? scratch.alloc(length) : new Float32Array(length);
  return scratch.buffer;
}

/** 0 .. n - 1. */
export function iota(n: number): Int32Array {
  const out = new Int32Array(n);
  for (let i = 0; i < n; i++) out[i] = i;
  return out;
}

/** Row indices of one round: all rows, or a seeded draw without replacement, in increasing order. */
export function roundRows(n: number, share: number, random: Random): Int32Array {
  if (share >= 1) return iota(n);
  return random.permutation(n).subarray(0, Math.max(1, Math.round(share * n))).sort();
}

export function treeFeatures(count: number, share: number, random: Random): Int32Array {
  if (share >= 1) return iota(count);
  return random.permutation(count).subarray(0, Math.max(1, Math.round(share * count))).sort();
}

/**
 * A sketch of the gradient matrix for a shared tree's split search (SketchBoost's top outputs): k of
 * `outputs` by the sum of squared gradients, taken in turn from each task (its largest, then each
 * task's second largest, ...) so that a wide task cannot crowd a binary one out of the search.
 * All outputs when k is 0 or not smaller than their number.
 */
export function sketchOutputs(gh: GradientArray, outputCount: number, outputs: Int32Array, outputTask: Int32Array, k: number): Int32Array {
  if (k === 0 || k >= outputs.length) return outputs;
  const norm = new Float64Array(outputCount);
  for (let at = 0; at < gh.length; at += 2 * outputCount) {
    for (let o = 0; o < outputCount; o++) norm[o] += gh[at + 2 * o]! * gh[at + 2 * o]!;
  }
  const byTask = new Map<number, number[]>();
  for (const o of outputs) byTask.set(outputTask[o]!, [...(byTask.get(outputTask[o]!) ?? []), o]);
  const queues = [...byTask.values()].map((q) => q.sort((a, b) => norm[b]! - norm[a]! || a - b));
  const chosen: number[] = [];
  for (let rank = 0; chosen.length < k; rank++) for (const q of queues) if (rank < q.length && chosen.length < k) chosen.push(q[rank]!);
  return Int32Array.from(chosen).sort();
}

/**
 * The searched outputs' gradients: a strided view of `gh` ([rows × outputCount × 2]) when they are
 * consecutive outputs, else a gathered copy in `scratch` (grown as needed).
 */
export function searchGradients(gh: GradientArray, outputCount: number, outputs: Int32Array, scratch: Scratch): SearchGradients {
  const k = outputs.length;
  if (outputs.every((o, j) => o === outputs[0]! + j)) return { gh, stride: outputCount, offset: outputs[0]! };
  const rows = gh.length / (2 * outputCount);
  const into = scratchOf(scratch, rows * 2 * k);
  for (let i = 0; i < rows; i++) {
    for (let j = 0; j < k; j++) {
      into[2 * (i * k + j)] = gh[2 * (i * outputCount + outputs[j]!)]!;
      into[2 * (i * k + j) + 1] = gh[2 * (i * outputCount + outputs[j]!) + 1]!;
    }
  }
  return { gh: into, stride: k, offset: 0 };
}

/**
 * SketchBoost's random projection of the gradient matrix, task by task: a task with at most k
 * outputs is searched on its own (g, h) pairs, a wider one on k random combinations of its outputs'
 * gradients (standard normal weights over √k, drawn afresh for each tree), each paired with its
 * outputs' mean Hessian. The split score Σ_j G̃_j²/(H̄ + λ) then estimates Σ_o G_o²/(H̄ + λ) over
 * that task's outputs. Per task, so that a wide task cannot drown a binary one in the mixture; the
 * mean Hessian, not each output's, is what makes the projection a sum of squares. Leaf values still
 * come from every output's own (G, H). The k columns of a task share one mean Hessian value: the
 * gradients come packed ([g̃_1 .. g̃_k, H̄] for a projected task), so histograms add it once.
 * `project` does the rows' work of the drawn projection (projectRows over all rows when not given).
 */
export function projectGradients(
  gh: GradientArray, outputCount: number, outputs: Int32Array, outputTask: Int32Array, k: number, random: Random, scratch: Scratch,
  project?: (plan: Projection) => void,
): { search: SearchGradients; width: number } {
  // A task's outputs are consecutive, [from, to); a projected task's weights are [k × (to - from)].
  const groups: { from: number; to: number; weights: Float64Array | null }[] = [];
  for (let i = 0; i < outputs.length;) {
    let j = i;
    while (j < outputs.length && outputTask[outputs[j]!] === outputTask[outputs[i]!]) j++;
    const [from, to] = [outputs[i]!, outputs[j - 1]! + 1];
    groups.push({ from, to, weights: to - from <= k ? null : Float64Array.from({ length: k * (to - from) }, () => random.normal() / Math.sqrt(k)) });
    i = j;
  }
  const width = groups.reduce((a, g) => a + (g.weights ? k : g.to - g.from), 0);
  const of: number[] = [];
  for (const { from, to, weights } of groups) {
    const at = of.length === 0 ? 0 : Math.max(...of) + 1;
    if (weights) for (let c = 0; c < k; c++) of.push(at + c, at + k);
    else for (let q = 0; q < 2 * (to - from); q++) of.push(at + q);
  }
  const packedWidth = Math.max(...of) + 1;
  const rows = gh.length / (2 * outputCount);
  const plan: Projection = { groups, k, width: packedWidth, into: scratchOf(scratch, rows * packedWidth) };
  if (project) project(plan);
  else projectRows(gh, outputCount, plan, 0, rows);
  const into = plan.into;
  const search: SearchGradients = packedWidth < 2 * width ? { gh: into, stride: 0, offset: 0, packed: { width: packedWidth, of: Int32Array.from(of) } } : { gh: into, stride: width, offset: 0 };
  return { search, width };
}

/** A drawn projection: per task its outputs [from, to) and weights (null: its own pairs), into rows of `width` values. */
export interface Projection {
  groups: { from: number; to: number; weights: Float64Array | null }[];
  k: number;
  width: number;
  into: GradientArray;
}

/** The projection of rows [from, to); each row's values depend on that row alone, so row blocks may run on different threads. */
export function projectRows(gh: GradientArray, outputCount: number, plan: Projection, rowFrom: number, rowTo: number): void {
  blocks(rowFrom, rowTo, (a, b) => projectBlock(gh, outputCount, plan, a, b));
}

/** A block of rows task by task: the loops over a task's outputs and weights keep the same bounds row after row, and the block stays in cache. */
function projectBlock(gh: GradientArray, outputCount: number, plan: Projection, rowFrom: number, rowTo: number): void {
  const { groups, k, width: packedWidth, into } = plan;
  let dst = 0;
  for (const { from, to, weights } of groups) {
    const m = to - from;
    if (!weights) {
      for (let i = rowFrom; i < rowTo; i++) {
        const at = 2 * (i * outputCount + from);
        const d = i * packedWidth + dst;
        for (let q = 0; q < 2 * m; q++) into[d + q] = gh[at + q]!;
      }
      dst += 2 * m;
      continue;
    }
    if (k === 3) {
      projectThree(gh, outputCount, from, m, weights, into, packedWidth, dst, rowFrom, rowTo);
      dst += k + 1;
      continue;
    }
    for (let i = rowFrom; i < rowTo; i++) {
      const at = 2 * (i * outputCount + from);
      const d = i * packedWidth + dst;
      let h = 0;
      for (let o = 0; o < m; o++) h += gh[at + 2 * o + 1]!;
      into[d + k] = h / m;
      for (let c = 0; c < k; c++) {
        let g = 0;
        for (let o = 0; o < m; o++) g += gh[at + 2 * o]! * weights[c * m + o]!;
        into[d + c] = g;
      }
    }
    dst += k + 1;
  }
}

/** projectGradients' inner loop for k = 3 (the default sketch): the three sums in locals, each gradient loaded once. */
function projectThree(gh: GradientArray, outputCount: number, from: number, m: number, weights: Float64Array, into: GradientArray, width: number, dst: number, rowFrom: number, rowTo: number): void {
  for (let i = rowFrom; i < rowTo; i++) {
    const at = 2 * (i * outputCount + from);
    let h = 0;
    let g0 = 0;
    let g1 = 0;
    let g2 = 0;
    for (let o = 0; o < m; o++) {
      const g = gh[at + 2 * o]!;
      h += gh[at + 2 * o + 1]!;
      g0 += g * weights[o]!;
      g1 += g * weights[m + o]!;
      g2 += g * weights[2 * m + o]!;
    }
    const d = i * width + dst;
    into[d] = g0;
    into[d + 1] = g1;
    into[d + 2] = g2;
    into[d + 3] = h / m;
  }
}
