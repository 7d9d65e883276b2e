/**
 * Per-task mode's round over threads, tree by tree: a round's trees (one per output) read the same
 * gradients and each adds to its own output's raw scores only, so each thread grows whole trees,
 * with its own grower, taking the next tree not yet taken until none is left. The features each
 * tree may use are drawn by the main thread in the serial order, and the trees come back in output
 * order: the same ensemble as one thread grows.
 */
import type { GradientArray } from './histogram.js';
import type { BinnedInputs, FeatureBins } from './binning.js';
import { TreeGrower, type GrowParams, type Passengers } from './grow.js';
import { addGrownValues, addLeafValues } from './leaves.js';
import type { Tree } from './model.js';
import { claimed, type JobReader, type JobWriter } from './pool.js';

/** What the trees of a round are grown on. */
export interface RoundTrees {
  outputs: Int32Array;
  features: Int32Array[];
  gh: GradientArray;
  raw: Float64Array;
  ex: Float64Array;
  outputCount: number;
  sample: Int32Array;
  undrawn: Int32Array | null;
  valid: { raw: Float64Array; columns: Uint8Array; rows: number } | null;
}

/** The binned features' split data (kinds, edges, category codes), which a whole tree needs. */
export function writeFeatures(w: JobWriter, features: FeatureBins[]): void {
  w.num(features.length);
  for (const f of features) {
    w.num(f.kind === 'numeric' ? 0 : 1, f.valueBins).list(f.edges).num(f.binCodes.length);
    for (const c of f.binCodes) w.list(c);
  }
}

export function readFeatures(r: JobReader): FeatureBins[] {
  return Array.from({ length: r.num() }, () => {
    const [kind, valueBins, edges] = [r.num(), r.num(), r.list(Float32Array)];
    const binCodes = Array.from({ length: r.num() }, () => r.list(Int32Array));
    return { kind: kind === 0 ? 'numeric' : 'categorical', valueBins, edges, binCodes, codeBin: new Int32Array(0), hasMissing: false };
  });
}

/** Room for one encoded tree of `p.leaves` leaves over features of at most `maxCodes` category codes. */
export const treeCapacity = (leaves: number, maxCodes: number): number => 16 + (2 * leaves) * (12 + maxCodes);

export function writeRound(w: JobWriter, t: RoundTrees, p: GrowParams, out: Float64Array, capacity: number, claims: Int32Array): void {
  w.ref(claims).ref(t.gh).ref(t.raw).ref(t.ex).num(t.outputCount).ref(t.sample).num(t.undrawn ? 1 : 0);
  if (t.undrawn) w.ref(t.undrawn);
  w.num(t.valid ? 1 : 0);
  if (t.valid) w.ref(t.valid.raw).ref(t.valid.columns).num(t.valid.rows);
  w.num(p.leaves, p.minLeaf, p.minHessian, p.l2, p.lr, p.maxDepth, p.minGain).ref(out).num(capacity).list(t.outputs);
  for (const f of t.features) w.list(f);
}

/** A thread's part of a round: the trees it claims grown, their values added, each tree encoded at its slot of `out`. */
export function growRoundPart(r: JobReader, data: BinnedInputs, growers: Map<string, TreeGrower>): void {
  const claims = r.ref<Int32Array>();
  const [gh, raw, ex, n, sample] = [r.ref<GradientArray>(), r.ref<Float64Array>(), r.ref<Float64Array>(), r.num(), r.ref<Int32Array>()];
  const undrawn = r.num() ? r.ref<Int32Array>() : null;
  const valid = r.num() ? { raw: r.ref<Float64Array>(), columns: r.ref<Uint8Array>(), rows: r.num() } : null;
  const p: GrowParams = { leaves: r.num(), minLeaf: r.num(), minHessian: r.num(), l2: r.num(), lr: r.num(), maxDepth: r.num(), minGain: r.num() };
  const [out, capacity, outputs] = [r.ref<Float64Array>(), r.num(), r.list(Int32Array)];
  const features = Array.from(outputs, () => r.list(Int32Array));
  const key = JSON.stringify(p);
  if (!growers.has(key)) growers.set(key, new TreeGrower(data, 1, p));
  const grower = growers.get(key)!;
  const rows = new Int32Array(sample.length);
  const validColumns = valid ? Array.from(data.features, (_, f) => valid.columns.subarray(f * valid.rows, (f + 1) * valid.rows)) : [];
  // Passenger rows in their first order, and the buffers each tree permutes.
  const validOrder = valid ? Int32Array.from({ length: valid.rows }, (_, i) => i) : null;
  const [undrawnRows, validRows] = [undrawn ? new Int32Array(undrawn.length) : null, validOrder ? new Int32Array(validOrder.length) : null];
  for (let j = claimed(claims); j < outputs.length; j = claimed(claims)) {
    const k = outputs[j]!;
    const passengers: Passengers[] = [];
    if (undrawn && undrawnRows) {
      undrawnRows.set(undrawn);
      passengers.push({ columns: data.columns, rows: undrawnRows });
    }
    if (validOrder && validRows) {
      validRows.set(validOrder);
      passengers.push({ columns: validColumns, rows: validRows });
    }
    rows.set(sample);
    const grown = grower.grow(rows, features[j]!, { search: { gh, stride: 1, offset: k * (gh.length / (2 * n)) }, full: gh, outputCount: n, searchIsTree: true }, Int32Array.of(k), passengers);
    addGrownValues(grown, raw, n, ex, true);
    if (undrawn) addLeafValues(grown, grown.passengers[0]!, raw, n, ex, true);
    if (valid) addLeafValues(grown, grown.passengers[passengers.length - 1]!, valid.raw, n);
    encodeTree(out.subarray(j * capacity, (j + 1) * capacity), grown.tree, grown.outputGain);
  }
}

const FIELDS = ['feature', 'threshold', 'catStart', 'catCodes', 'missingLeft', 'left', 'right', 'values', 'outputs'] as const;

function encodeTree(into: Float64Array, tree: Tree, outputGain: Float64Array): void {
  let at = 0;
  for (const a of [...FIELDS.map((f) => tree[f]), outputGain]) {
    if (at + 1 + a.length > into.length) throw new Error(`a tree of ${tree.feature.length} nodes does not fit its ${into.length} slots`);
    into[at++] = a.length;
    for (let i = 0; i < a.length; i++) into[at++] = a[i]!;
  }
}

export function decodeTree(from: Float64Array): { tree: Tree; outputGain: Float64Array } {
  let at = 0;
  const next = <T extends Int32Array | Float32Array | Uint8Array | Float64Array>(C: new (n: number) => T): T => {
    const a = new C(from[at++]!);
    for (let i = 0; i < a.length; i++) a[i] = from[at++]!;
    return a;
  };
  const tree: Tree = {
    feature: next(Int32Array), threshold: next(Float32Array), catStart: next(Int32Array), catCodes: next(Int32Array), missingLeft: next(Uint8Array),
    left: next(Int32Array), right: next(Int32Array), values: next(Float32Array), outputs: next(Int32Array),
  };
  return { tree, outputGain: next(Float64Array) };
}
