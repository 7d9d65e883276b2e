/**
 * The learner's work spread over threads (the pool in pool.ts): gradients by row blocks the threads
 * claim, raw-score updates and a split's partition by row blocks, a large node's histogram and the
 * leaf sums by row halves (one per thread, added in the same order on one thread), smaller nodes'
 * histograms by features (each thread fills its own features' bins, in the same row order), and
 * per-task rounds tree by tree (tree-job.ts). Every part computes exactly what the single-threaded
 * pass computes for its rows or bins, and sums over rows stay in row order (per-row loss terms,
 * summed by the main thread), so 1 and N threads give the same trees to the bit. Small nodes stay
 * on the main thread: below MIN_PART_ROWS rows per part the handshake costs more than the part saves.
 * This module is also the workers' entry: started as a pool worker, it serves jobs.
 */
import { isMainThread, workerData } from 'node:worker_threads';
import type { TaskLabels } from '../data/schema.js';
import type { BinnedInputs } from './binning.js';
import type { GrowParams, TreeGrower } from './grow.js';
import { accumulate, accumulateHalf, addHalves, gatherGradients, HALVES_ROWS, halfRows, orderedGradients, unpack, type GradientArray, type SearchGradients } from './histogram.js';
import { addRowValues, joinedHalves, leafSums, leafSumsOf } from './leaves.js';
import { BLOCK_ROWS, lossSteps, sumTerms, taskGradients } from './loss.js';
import type { Tree, TreeTask } from './model.js';
import { joinBlocks, partition, partitionBlock } from './partition.js';
import { projectRows, type Projection } from './sampling.js';
import { decodeTree, growRoundPart, readFeatures, treeCapacity, writeFeatures, writeRound, type RoundTrees } from './tree-job.js';
import { JobReader, JobWriter, TreePool, claimed, isTreeWorker, serveTreePool, type Arrays } from './pool.js';

/** Rows per part below which a job runs on the main thread alone. */
export const MIN_PART_ROWS = 1024;
/** Training rows below which no worker starts: a worker's start costs tens of milliseconds. */
export const MIN_POOL_ROWS = 8 * MIN_PART_ROWS;
/** The same for a split's partition, a few nanoseconds per row. */
const MIN_PARTITION_PART_ROWS = 4096;

const DATA = 0;
const GRADIENTS = 1;
const GATHER = 2;
const ACCUMULATE = 3;
const PARTITION = 4;
const ADD_VALUES = 5;
const PROJECT = 6;
const LEAF_SUMS = 7;
const ROUND = 8;
const HALVES = 9;

const block = (from: number, to: number, part: number, parts: number): [number, number] =>
  [from + Math.floor(((to - from) * part) / parts), from + Math.floor(((to - from) * (part + 1)) / parts)];

/** A thread's side of the jobs: the binned columns once, then any job's part. */
function executor(): (kind: number, args: Float64Array, part: number, parts: number, arrays: Arrays) => number {
  let data: BinnedInputs | null = null;
  const growers = new Map<string, TreeGrower>();
  return (kind, args, part, parts, arrays) => {
    const r = new JobReader(args, arrays);
    if (kind === DATA) {
      const all = r.ref<Uint8Array>();
      const rows = r.num();
      const offsets = r.list(Int32Array);
      const features = readFeatures(r);
      const columns = features.map((_, f) => all.subarray(f * rows, (f + 1) * rows));
      data = { rowCount: rows, features, columns, offsets, totalBins: r.num() };
      growers.clear();
      return 0;
    }
    if (kind === GRADIENTS) {
      const [n, rows, outputMajor, gh] = [r.num(), r.num(), r.num(), r.ref<GradientArray>()];
      const raw = r.ref<Float64Array>();
      const ex = r.num() === 1 ? r.ref<Float64Array>() : null;
      const terms = r.ref<Float64Array>();
      const claims = r.ref<Int32Array>();
      const [rowStep, outputStep] = lossSteps(rows, n, outputMajor === 1);
      const tasks: { task: TreeTask; labels: TaskLabels; termAt: number }[] = [];
      for (let t = r.num(); t > 0; t--) {
        const [type, offset, width, termAt, multilabel] = [r.num(), r.num(), r.num(), r.num(), r.num()];
        const labels: TaskLabels = multilabel
          ? { task: '', type: 'multilabel', targets: r.ref<Float32Array>(), mask: r.ref<Uint8Array>() }
          : { task: '', type: 'binary', classIndex: r.ref<Int32Array>() };
        tasks.push({ task: { name: '', type: (['binary', 'multiclass', 'multilabel'] as const)[type]!, offset, width }, labels, termAt });
      }
      for (let b = claimed(claims); b * BLOCK_ROWS < rows; b = claimed(claims)) {
        const [a, z] = [b * BLOCK_ROWS, Math.min(rows, (b + 1) * BLOCK_ROWS)];
        for (const { task, labels, termAt } of tasks) {
          taskGradients({ raw, ex, offset: task.offset, width: task.width, gh, rowStep, outputStep, from: a, to: z, terms: terms.subarray(termAt) }, task, labels);
        }
      }
      return 0;
    }
    if (kind === GATHER) {
      const [ordered, rows, start, m, outputs] = [r.ref<GradientArray>(), r.ref<Int32Array>(), r.num(), r.num(), r.num()];
      const [from, to] = block(0, m, part, parts);
      gatherGradients(ordered, rows, start, from, to, readSearch(r), outputs);
      return 0;
    }
    if (kind === ACCUMULATE) {
      const [into, ordered, rows, start, m, w] = [r.ref<Float64Array>(), r.ref<GradientArray>(), r.ref<Int32Array>(), r.num(), r.num(), r.num()];
      const features = r.list(Int32Array);
      const [a, b] = block(0, features.length, part, parts);
      const mine = features.subarray(a, b);
      accumulate(into, data!, mine, rows, start, m, ordered, w);
      if (r.num() === 1) unpack(r.ref<Float64Array>(), into, w + 1, data!, mine, r.list(Int32Array));
      return 0;
    }
    if (kind === HALVES) {
      const [into, half, ordered, gather, rows, start, m, outputs] = [r.ref<Float64Array>(), r.ref<Float64Array>(), r.ref<GradientArray>(), r.num(), r.ref<Int32Array>(), r.num(), r.num(), r.num()];
      const features = r.list(Int32Array);
      const search = readSearch(r);
      if (part > 1) return 0;
      const w = search.packed ? search.packed.width : 2 * outputs;
      const side = part === 0 ? 0 : 1;
      if (gather === 1) gatherGradients(ordered, rows, start, ...halfRows(m, side), search, outputs);
      accumulateHalf(side === 0 ? into : half, data!, features, rows, start, m, ordered, w, side);
      return 0;
    }
    if (kind === PARTITION) {
      const [rows, scratch, feature, start, end] = [r.ref<Int32Array>(), r.ref<Int32Array>(), r.num(), r.num(), r.num()];
      const [from, to] = block(start, end, part, parts);
      return partitionBlock(rows, scratch, data!.columns[feature]!, r.list(Uint8Array), from, to);
    }
    if (kind === ADD_VALUES) {
      const [raw, n, outputMajor, leafOfRow] = [r.ref<Float64Array>(), r.num(), r.num(), r.ref<Int32Array>()];
      const ex = r.num() === 1 ? r.ref<Float64Array>() : null;
      const [outputs, leafNode, values] = [r.list(Int32Array), r.list(Int32Array), r.list(Float32Array)];
      const [from, to] = block(0, leafOfRow.length, part, parts);
      addRowValues(leafOfRow, leafNode, values, outputs, raw, n, from, to, ex, outputMajor === 1);
      return 0;
    }
    if (kind === PROJECT) {
      const [gh, n, into, width, k] = [r.ref<GradientArray>(), r.num(), r.ref<GradientArray>(), r.num(), r.num()];
      const groups: Projection['groups'] = [];
      for (let g = r.num(); g > 0; g--) {
        const [from, to, weighted] = [r.num(), r.num(), r.num()];
        groups.push({ from, to, weights: weighted ? r.list(Float64Array) : null });
      }
      const [a, b] = block(0, gh.length / (2 * n), part, parts);
      projectRows(gh, n, { groups, k, width, into }, a, b);
      return 0;
    }
    if (kind === LEAF_SUMS) {
      const [sums, second, leafOf, gh, n] = [r.ref<Float64Array>(), r.ref<Float64Array>(), r.ref<Int32Array>(), r.ref<GradientArray>(), r.num()];
      const outputs = r.list(Int32Array);
      if (part < 2) leafSumsOf(part === 0 ? sums : second, leafOf, gh, n, outputs, part === 0 ? 0 : 1);
      return 0;
    }
    if (kind === ROUND) {
      growRoundPart(r, data!, growers);
      return 0;
    }
    throw new Error(`unknown trees job ${kind}`);
  };
}

function writeSearch(w: JobWriter, s: SearchGradients): void {
  w.ref(s.gh).num(s.stride, s.offset);
  if (s.packed) w.num(s.packed.width).list(s.packed.of);
  else w.num(0);
}

/** A nullable array: a flag, then the array when there is one. */
function optional(w: JobWriter, array: Float64Array | null): void {
  if (array) w.num(1).ref(array);
  else w.num(0);
}

function readSearch(r: JobReader): SearchGradients {
  const [gh, stride, offset, width] = [r.ref<GradientArray>(), r.num(), r.num(), r.num()];
  return width > 0 ? { gh, stride, offset, packed: { width, of: r.list(Int32Array) } } : { gh, stride, offset };
}

/** A grower's scratch: node-ordered gradients, a packed histogram, a node's second half. */
export interface HistogramBuffers {
  ordered: GradientArray;
  packedHist: Float64Array;
  halfHist: Float64Array;
}

/** Labels in shared memory, and where each task's loss terms go. */
interface SharedTask {
  task: TreeTask;
  labels: TaskLabels;
  count: number;
  termAt: number;
}

/** The main thread's handle on the workers: shared buffers, and each kind of job split into parts. */
export class TreeWork {
  private tasks: SharedTask[] = [];
  private terms: Float64Array = new Float64Array(0);
  private sums: Float64Array = new Float64Array(0);
  private trees: Float64Array = new Float64Array(0);
  private claims: Int32Array | null = null;
  private maxCodes = 1;
  private data: BinnedInputs | null = null;

  private constructor(readonly pool: TreePool) {}

  /** Starts `threads` - 1 workers (they end with close()). */
  static open(threads: number): TreeWork {
    return new TreeWork(TreePool.open(threads, new URL(import.meta.url), executor()));
  }

  close(): void {
    this.pool.close();
  }

  f64 = (length: number): Float64Array => this.pool.alloc(Float64Array, length);
  i32 = (length: number): Int32Array => this.pool.alloc(Int32Array, length);
  f32 = (length: number): Float32Array => this.pool.alloc(Float32Array, length);

  /** `data` with its columns in shared memory, known to every thread. */
  shareData(data: BinnedInputs): BinnedInputs {
    const rows = data.rowCount;
    const all = this.pool.alloc(Uint8Array, rows * data.columns.length);
    data.columns.forEach((c, f) => all.set(c, f * rows));
    const shared = { ...data, columns: data.columns.map((_, f) => all.subarray(f * rows, (f + 1) * rows)) };
    const meta = data.features.reduce((a, f) => a + 8 + f.edges.length + f.binCodes.reduce((b, c) => b + 1 + c.length, 0), 0);
    const w = this.writer(16 + data.features.length + meta);
    w.ref(all).num(rows).list(data.offsets);
    writeFeatures(w, data.features);
    w.num(data.totalBins);
    this.maxCodes = Math.max(1, ...data.features.map((f) => f.binCodes.reduce((a, c) => a + c.length, 0)));
    this.pool.run(DATA);
    this.data = shared;
    return shared;
  }

  /** The training labels in shared memory, for gradients(). */
  shareLabels(tasks: TreeTask[], labels: TaskLabels[], rows: number): void {
    let termAt = 0;
    this.tasks = tasks.map((task, t) => {
      const l = labels[t]!;
      const shared: TaskLabels = l.type === 'multilabel'
        ? { ...l, targets: this.pool.share(l.targets), mask: this.pool.share(l.mask) }
        : { ...l, classIndex: this.pool.share(l.classIndex) };
      const count = l.type === 'multilabel' ? l.mask.reduce((a, m) => a + m, 0) : l.classIndex.reduce((a, c) => a + (c >= 0 ? 1 : 0), 0);
      const out = { task, labels: shared, count, termAt };
      termAt += l.type === 'multilabel' ? rows * task.width : rows;
      return out;
    });
    this.terms = this.f64(termAt);
  }

  /**
   * loss.ts's gradients() for the shared labels, by row blocks the threads claim; the same losses to
   * the bit. Started on the workers at once; the returned function joins in and gives the losses, so
   * the main thread may first do work of its own (the validation scores) while they compute.
   */
  startGradients(raw: Float64Array, outputCount: number, gh: GradientArray, outputMajor: boolean, only?: boolean[], ex: Float64Array | null = null): () => number[] {
    const rows = raw.length / outputCount;
    const active = this.tasks.filter((_, t) => !only || only[t]);
    const w = this.writer(28 + 24 * active.length);
    w.num(outputCount, rows, outputMajor ? 1 : 0).ref(gh).ref(raw);
    optional(w, ex);
    w.ref(this.terms).ref(this.resetClaims()).num(active.length);
    for (const { task, labels, termAt } of active) {
      w.num(['binary', 'multiclass', 'multilabel'].indexOf(task.type), task.offset, task.width, termAt, labels.type === 'multilabel' ? 1 : 0);
      if (labels.type === 'multilabel') w.ref(labels.targets).ref(labels.mask);
      else w.ref(labels.classIndex);
    }
    this.pool.post(GRADIENTS);
    return () => {
      this.pool.join();
      return this.tasks.map((s, t) => (only && !only[t] ? NaN : sumTerms(s.task, s.labels, this.terms.subarray(s.termAt), rows, s.count)));
    };
  }

  /** The claim counter (see `claimed`), set to 0 for the next job. */
  private resetClaims(): Int32Array {
    this.claims ??= this.i32(1);
    Atomics.store(this.claims, 0, 0);
    return this.claims;
  }

  /**
   * histogram.ts's buildHistogram: a large node's two halves on two threads (each gathering and
   * adding its own rows; more threads idle), a smaller one's gather by row blocks and bins by
   * features; false (nothing done) when too small to gain.
   */
  histogram(hist: Float64Array, features: Int32Array, rows: Int32Array, start: number, end: number, search: SearchGradients, outputs: number, buffers: HistogramBuffers): boolean {
    const m = end - start;
    if (m < MIN_PART_ROWS * this.pool.parts) return false;
    const { ordered: scratch, packedHist, halfHist } = buffers;
    const ordered = orderedGradients(search, outputs, rows, start, m, scratch);
    const { packed } = search;
    const w = packed ? packed.width : 2 * outputs;
    const into = packed ? packedHist : hist;
    if (m >= HALVES_ROWS) {
      const j = this.writer(48 + features.length + (packed?.of.length ?? 0));
      j.ref(into).ref(halfHist).ref(ordered).num(ordered === scratch ? 1 : 0).ref(rows).num(start, m, outputs).list(features);
      writeSearch(j, search);
      this.pool.run(HALVES);
      addHalves(into, halfHist, this.data!, features, w + 1);
      if (packed) unpack(hist, into, w + 1, this.data!, features, packed.of);
      return true;
    }
    if (ordered === scratch) {
      const g = this.writer(32 + (search.packed?.of.length ?? 0));
      g.ref(scratch).ref(rows).num(start, m, outputs);
      writeSearch(g, search);
      this.pool.run(GATHER);
    }
    const a = this.writer(32 + features.length + (packed?.of.length ?? 0));
    a.ref(into).ref(ordered).ref(rows).num(start, m, w).list(features);
    if (packed) a.num(1).ref(hist).list(packed.of);
    else a.num(0);
    this.pool.run(ACCUMULATE);
    return true;
  }

  /** partition.ts's partition of rows[start .. end) by a split on `feature`, by row blocks. */
  partition(rows: Int32Array, scratch: Int32Array, data: BinnedInputs, feature: number, goLeft: Uint8Array, start: number, end: number): number {
    const parts = this.pool.parts;
    if (end - start < MIN_PARTITION_PART_ROWS * parts) return partition(rows, scratch, data.columns[feature]!, goLeft, start, end);
    this.writer(16 + goLeft.length).ref(rows).ref(scratch).num(feature, start, end).list(goLeft);
    const lefts = this.pool.run(PARTITION);
    return joinBlocks(rows, scratch, Array.from({ length: parts }, (_, p) => block(start, end, p, parts)[0]), end, lefts);
  }

  /** leaves.ts's addGrownValues, by row blocks. */
  addValues(leafOfRow: Int32Array, leafNode: Int32Array, values: Float32Array, outputs: Int32Array, raw: Float64Array, outputCount: number, ex: Float64Array | null, outputMajor: boolean): void {
    if (leafOfRow.length < MIN_PART_ROWS * this.pool.parts) {
      addRowValues(leafOfRow, leafNode, values, outputs, raw, outputCount, 0, leafOfRow.length, ex, outputMajor);
      return;
    }
    const w = this.writer(24 + outputs.length + leafNode.length + values.length).ref(raw).num(outputCount, outputMajor ? 1 : 0).ref(leafOfRow);
    optional(w, ex);
    w.list(outputs).list(leafNode).list(values);
    this.pool.run(ADD_VALUES);
  }

  /** sampling.ts's projectRows over all rows of `gh`, by row blocks. */
  project(gh: GradientArray, outputCount: number, plan: Projection): void {
    const rows = gh.length / (2 * outputCount);
    if (rows < MIN_PART_ROWS * this.pool.parts) {
      projectRows(gh, outputCount, plan, 0, rows);
      return;
    }
    const w = this.writer(16 + plan.groups.reduce((a, g) => a + 4 + (g.weights?.length ?? 0), 0));
    w.ref(gh).num(outputCount).ref(plan.into).num(plan.width, plan.k, plan.groups.length);
    for (const g of plan.groups) {
      w.num(g.from, g.to, g.weights ? 1 : 0);
      if (g.weights) w.list(g.weights);
    }
    this.pool.run(PROJECT);
  }

  /** leaves.ts's leafSums: one half of the rows on each of two threads (more threads idle), the halves added here. */
  leafSums(leafOf: Int32Array, leafCount: number, gh: GradientArray, outputCount: number, outputs: Int32Array): Float64Array {
    const length = leafCount * 2 * outputs.length;
    if (leafOf.length < MIN_PART_ROWS * this.pool.parts) return leafSums(leafOf, leafCount, gh, outputCount, outputs);
    if (this.sums.length < 2 * length) this.sums = this.f64(2 * length);
    const [sums, second] = [this.sums.subarray(0, length), this.sums.subarray(length, 2 * length)];
    this.sums.fill(0, 0, 2 * length);
    this.writer(24 + outputs.length).ref(sums).ref(second).ref(leafOf).ref(gh).num(outputCount).list(outputs);
    this.pool.run(LEAF_SUMS);
    return joinedHalves(sums, second);
  }

  /** Per-task mode's round: each thread grows whole trees (tree-job.ts); the trees in output order. */
  growRound(t: RoundTrees, p: GrowParams): { tree: Tree; outputGain: Float64Array }[] {
    const capacity = treeCapacity(p.leaves, this.maxCodes);
    if (this.trees.length < capacity * t.outputs.length) this.trees = this.f64(capacity * t.outputs.length);
    writeRound(this.writer(68 + t.features.reduce((a, f) => a + 1 + f.length, 0) + t.outputs.length), t, p, this.trees, capacity, this.resetClaims());
    this.pool.run(ROUND);
    return Array.from(t.outputs, (_, j) => decodeTree(this.trees.subarray(j * capacity, (j + 1) * capacity)));
  }

  /** `columns` (each `rows` long) in one shared array, column after column. */
  shareColumns(columns: Uint8Array[], rows: number): Uint8Array {
    const all = this.pool.alloc(Uint8Array, rows * columns.length);
    columns.forEach((c, f) => all.set(c, f * rows));
    return all;
  }

  share<T extends Float64Array | Int32Array>(array: T): T {
    return this.pool.share(array);
  }

  private writer(length: number): JobWriter {
    return new JobWriter(this.pool, this.pool.argsOf(length));
  }
}

if (!isMainThread && isTreeWorker(workerData)) serveTreePool(workerData, executor());
