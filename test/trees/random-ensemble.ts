/** Seeded random ensembles and inputs (numeric and categorical features, missing values) for the parity tests. */
import type { Tree, TreeEnsemble, TreeFeature, TreeInputs, TreeTask } from '../../src/trees/model.js';

export function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32);
}

export const FEATURES: TreeFeature[] = [
  { name: 'a', kind: 'numeric' },
  { name: 'b', kind: 'numeric' },
  { name: 'c', kind: 'categorical', cardinality: 6 },
  { name: 'd', kind: 'categorical', cardinality: 3 },
];

export const TASKS: TreeTask[] = [
  { name: 'bin', type: 'binary', offset: 0, width: 1 },
  { name: 'multi', type: 'multiclass', offset: 1, width: 3 },
  { name: 'labels', type: 'multilabel', offset: 4, width: 2 },
];

/** A random tree of about `splits` interior nodes adding to `outputs`; splits: 0 gives a single leaf. */
export function randomTree(r: () => number, splits: number, outputs: number[]): Tree {
  const feature: number[] = [-1];
  const threshold: number[] = [0];
  const codes: number[][] = [[]];
  const missingLeft: number[] = [0];
  const left: number[] = [-1];
  const right: number[] = [-1];
  const leaves = [0];
  for (let s = 0; s < splits; s++) {
    const node = leaves.splice(Math.floor(r() * leaves.length), 1)[0]!;
    const f = Math.floor(r() * FEATURES.length);
    feature[node] = f;
    const card = FEATURES[f]!.cardinality;
    if (card) {
      const set = Array.from({ length: card }, (_, c) => c).filter(() => r() < 0.4);
      codes[node] = set.length > 0 ? set : [0];
    } else threshold[node] = Math.fround(r() * 10 - 5);
    missingLeft[node] = r() < 0.5 ? 1 : 0;
    for (const side of [left, right]) {
      const child = feature.push(-1) - 1;
      threshold.push(0), codes.push([]), missingLeft.push(0), left.push(-1), right.push(-1);
      side[node] = child;
      leaves.push(child);
    }
  }
  const n = feature.length;
  const catStart = new Int32Array(n + 1);
  for (let i = 0; i < n; i++) catStart[i + 1] = catStart[i]! + codes[i]!.length;
  const values = new Float32Array(n * outputs.length);
  for (const leaf of leaves) for (let k = 0; k < outputs.length; k++) values[leaf * outputs.length + k] = r() * 2 - 1;
  return {
    feature: Int32Array.from(feature),
    threshold: Float32Array.from(threshold),
    catStart,
    catCodes: Int32Array.from(codes.flat()),
    missingLeft: Uint8Array.from(missingLeft),
    left: Int32Array.from(left),
    right: Int32Array.from(right),
    values,
    outputs: Int32Array.from(outputs),
  };
}

/** Shared trees (every output) or per-task trees (one output each), with some single-leaf trees. */
export function randomEnsemble(seed: number, mode: 'shared' | 'per-task', rounds: number): TreeEnsemble {
  const r = lcg(seed);
  const outputCount = 6;
  const all = Array.from({ length: outputCount }, (_, k) => k);
  const trees: Tree[] = [];
  for (let t = 0; t < rounds; t++) {
    const splits = t % 7 === 3 ? 0 : 1 + Math.floor(r() * 12);
    if (mode === 'shared') trees.push(randomTree(r, splits, all));
    else for (const k of all) trees.push(randomTree(r, splits, [k]));
  }
  return { features: FEATURES, outputCount, tasks: TASKS, base: Float32Array.from(all, () => r() - 0.5), trees };
}

export function randomInputs(seed: number, rows: number): TreeInputs {
  const r = lcg(seed);
  const columns = FEATURES.map((f) =>
    Float32Array.from({ length: rows }, () => (f.cardinality ? Math.floor(r() * f.cardinality) : r() < 0.15 ? NaN : r() * 12 - 6)),
  );
  return { rowCount: rows, features: FEATURES, columns };
}

/** Row-major [rows × features] float32, what the exported model takes. */
export function rowMajor(inputs: TreeInputs): Float32Array {
  const f = inputs.columns.length;
  const out = new Float32Array(inputs.rowCount * f);
  inputs.columns.forEach((col, j) => col.forEach((v, i) => (out[i * f + j] = v)));
  return out;
}
