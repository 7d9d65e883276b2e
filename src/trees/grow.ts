/**
 * Leaf-wise (best-first) growth of one tree: the leaf with the largest gain splits next, until the
 * leaf cap, the depth guard or no split passing the limits. Rows live in one index array where every
 * leaf owns a contiguous range; a split partitions its range in place. Only the smaller child's
 * histogram is built, the larger one's is the parent's minus it. Leaf values are Newton steps
 * −G/(H + λ) times the learning rate, per tree output, from the full gradients of the leaf's rows.
 */
import type { BinnedInputs } from './binning.js';
import { buildHistogram, strideOf, subtractHistogram, type GradientArray, type SearchGradients } from './histogram.js';
import { leafOfRows, leafSums } from './leaves.js';
import { partition } from './partition.js';
import type { Tree } from './model.js';
import type { TreeWork } from './work.js';
import { emptyCandidate, findBestSplit, leafValue, leftBins, term, type SplitCandidate, type SplitParams } from './split.js';

export interface GrowParams extends SplitParams {
  leaves: number;
  maxDepth: number;
  lr: number;
}

/** What a tree is fitted to: the searched outputs' (g, h), and all outputs' [rows × outputCount × 2]. */
export interface Gradients {
  search: SearchGradients;
  full: GradientArray;
  outputCount: number;
  /** The searched outputs are the tree's outputs, so leaf values come from the leaves' totals. */
  searchIsTree: boolean;
}

/**
 * Rows that ride along a tree's growth without shaping it (validation rows, training rows not drawn
 * this round): partitioned at each split by their bins, so the leaf each one reaches is known
 * without walking the tree again.
 */
export interface Passengers {
  columns: Uint8Array[];
  rows: Int32Array;
}

/** Rows permuted so that the j-th leaf, node `leafNode[j]`, owns rows[start[j] .. end[j]). */
export interface LeafRows {
  rows: Int32Array;
  start: Int32Array;
  end: Int32Array;
}

export interface GrownTree {
  tree: Tree;
  /**
   * Newton gain per node and tree output, [nodes × tree outputs] (0 for leaves), from the outputs'
   * own gradient sums: exact for every output, also those a sketch left out of the search.
   */
  outputGain: Float64Array;
  leafNode: Int32Array;
  /**
   * Per row of the training inputs, the index into leafNode of the leaf it was grown into (-1: not
   * grown on). The grower's buffer: valid until it grows its next tree.
   */
  leafOfRow: Int32Array;
  /** The rows grown on, then each set of passengers, by leaf. */
  grown: LeafRows;
  passengers: LeafRows[];
}

interface Leaf {
  node: number;
  start: number;
  end: number;
  /** The leaf's range in each passenger set. */
  passengerStart: number[];
  passengerEnd: number[];
  depth: number;
  hist: Float64Array | null;
  total: Float64Array;
  best: SplitCandidate;
}

interface NodeSplit {
  feature: number;
  threshold: number;
  codes: number[];
  missingLeft: boolean;
  left: number;
  right: number;
}

/** Reusable buffers for trees that search K outputs: histograms (one per live leaf) and scratch. */
export class TreeGrower {
  private readonly pool: Float64Array[] = [];
  private readonly ordered: GradientArray;
  /** A histogram over packed gradients, before its values are copied to their outputs' positions. */
  private readonly packedHist: Float64Array;
  /** A large node's second half (histogram.ts HALVES_ROWS), packed or not. */
  private readonly halfHist: Float64Array;
  private readonly scratch: Int32Array;
  private readonly leafOfRow: Int32Array;
  private readonly size: number;

  /** With `work`, the buffers live in its shared memory and large nodes are worked on by its threads. */
  constructor(private readonly data: BinnedInputs, private readonly outputs: number, private readonly p: GrowParams, private readonly work: TreeWork | null = null) {
    const f64 = (n: number): Float64Array => (work ? work.f64(n) : new Float64Array(n));
    const i32 = (n: number): Int32Array => (work ? work.i32(n) : new Int32Array(n));
    this.size = data.totalBins * strideOf(outputs);
    this.ordered = work ? work.f32(data.rowCount * 2 * outputs) : new Float32Array(data.rowCount * 2 * outputs);
    this.packedHist = f64(this.size);
    this.halfHist = f64(this.size);
    this.scratch = i32(data.rowCount);
    this.leafOfRow = i32(data.rowCount);
  }

  private take(): Float64Array {
    return this.pool.pop() ?? (this.work ? this.work.f64(this.size) : new Float64Array(this.size));
  }

  private build(hist: Float64Array, features: Int32Array, rows: Int32Array, start: number, end: number, search: SearchGradients): void {
    const buffers = { ordered: this.ordered, packedHist: this.packedHist, halfHist: this.halfHist };
    if (this.work?.histogram(hist, features, rows, start, end, search, this.outputs, buffers)) return;
    buildHistogram(hist, this.data, features, rows, start, end, search, this.outputs, this.ordered, this.packedHist, this.halfHist);
  }

  private release(leaf: Leaf): void {
    if (leaf.hist) this.pool.push(leaf.hist);
    leaf.hist = null;
  }

  /** Grows one tree on `rows` (permuted in place, as the passengers' rows are) over `features`, adding to `treeOutputs`. */
  grow(rows: Int32Array, features: Int32Array, g: Gradients, treeOutputs: Int32Array, passengers: Passengers[] = []): GrownTree {
    const splits: (NodeSplit | null)[] = [null];
    const hist = this.take();
    this.build(hist, features, rows, 0, rows.length, g.search);
    const root = this.leaf(0, 0, rows.length, 0, this.histogramTotal(hist, features[0]!));
    root.passengerStart = passengers.map(() => 0);
    root.passengerEnd = passengers.map((p) => p.rows.length);
    root.hist = hist;
    this.search(root, features);
    const leaves = [root];
    const byLeaf = (r: Int32Array, start: (l: Leaf) => number, end: (l: Leaf) => number): LeafRows => ({ rows: r, start: Int32Array.from(leaves, start), end: Int32Array.from(leaves, end) });
    for (;;) {
      let at = -1;
      for (let j = 0; j < leaves.length; j++) if (leaves[j]!.best.gain > (at < 0 ? -Infinity : leaves[at]!.best.gain)) at = j;
      if (at < 0 || leaves.length >= this.p.leaves) break;
      const parent = leaves[at]!;
      const goLeft = leftBins(parent.best, this.data);
      // The split that fills the leaf cap: its children are never split, so they need no histogram.
      const [left, right] = this.split(parent, goLeft, rows, features, g.search, splits, leaves.length + 1 >= this.p.leaves);
      this.carry(parent, goLeft, left, right, passengers);
      leaves.splice(at, 1, left, right);
    }
    for (const leaf of leaves) this.release(leaf);
    const grown = byLeaf(rows, (l) => l.start, (l) => l.end);
    leafOfRows(grown, this.leafOfRow);
    const { tree, outputGain } = this.finish(leaves, splits, g, treeOutputs);
    return {
      tree, outputGain, leafNode: Int32Array.from(leaves, (l) => l.node), leafOfRow: this.leafOfRow, grown,
      passengers: passengers.map((p, j) => byLeaf(p.rows, (l) => l.passengerStart[j]!, (l) => l.passengerEnd[j]!)),
    };
  }

  private leaf(node: number, start: number, end: number, depth: number, total: Float64Array): Leaf {
    return { node, start, end, passengerStart: [], passengerEnd: [], depth, hist: null, total, best: emptyCandidate(this.outputs) };
  }

  /** Partitions each passenger set's rows of `parent` by the split just made. */
  private carry(parent: Leaf, goLeft: Uint8Array, left: Leaf, right: Leaf, passengers: Passengers[]): void {
    passengers.forEach((p, j) => {
      const [start, end] = [parent.passengerStart[j]!, parent.passengerEnd[j]!];
      const scratch = this.scratch.length >= end ? this.scratch : new Int32Array(end);
      const nl = partition(p.rows, scratch, p.columns[parent.best.feature]!, goLeft, start, end);
      left.passengerStart[j] = start;
      left.passengerEnd[j] = right.passengerStart[j] = start + nl;
      right.passengerEnd[j] = end;
    });
  }

  /**
   * A node's count and (g, h) sums per searched output, from its histogram: every row is in one bin
   * of each feature (missing values in their own), so one feature's bins add up to the node. A pass
   * over a few hundred bins instead of the node's rows, and the same totals the children's come from.
   */
  private histogramTotal(hist: Float64Array, feature: number): Float64Array {
    const s = strideOf(this.outputs);
    const total = new Float64Array(s);
    const first = this.data.offsets[feature]!;
    for (let b = first, last = first + this.data.features[feature]!.valueBins; b <= last; b++) {
      for (let j = 0; j < s; j++) total[j] += hist[b * s + j]!;
    }
    return total;
  }

  private search(leaf: Leaf, features: Int32Array): void {
    const splittable = leaf.end - leaf.start >= 2 * this.p.minLeaf && (this.p.maxDepth === 0 || leaf.depth < this.p.maxDepth);
    if (splittable) findBestSplit(leaf.hist!, this.data, features, leaf.total, this.outputs, this.p, leaf.best);
    else leaf.best.gain = -Infinity;
    if (leaf.best.gain === -Infinity) this.release(leaf);
  }

  private split(parent: Leaf, goLeft: Uint8Array, rows: Int32Array, features: Int32Array, gh: SearchGradients, splits: (NodeSplit | null)[], final: boolean): [Leaf, Leaf] {
    const c = parent.best;
    const nl = this.work
      ? this.work.partition(rows, this.scratch, this.data, c.feature, goLeft, parent.start, parent.end)
      : partition(rows, this.scratch, this.data.columns[c.feature]!, goLeft, parent.start, parent.end);
    const nr = parent.end - parent.start - nl;

    const ids = [splits.length, splits.length + 1] as const;
    splits.push(null, null);
    splits[parent.node] = this.nodeSplit(c, ids[0], ids[1]);

    const rightTotal = parent.total.map((t, j) => t - c.left[j]!);
    const left = this.leaf(ids[0], parent.start, parent.start + nl, parent.depth + 1, Float64Array.from(c.left));
    const right = this.leaf(ids[1], parent.start + nl, parent.end, parent.depth + 1, rightTotal);
    if (final) {
      this.release(parent);
      return [left, right];
    }
    const [small, large] = nl <= nr ? [left, right] : [right, left];
    small.hist = this.take();
    this.build(small.hist, features, rows, small.start, small.end, gh);
    subtractHistogram(parent.hist!, small.hist, this.data, features, this.outputs);
    large.hist = parent.hist;
    parent.hist = null;
    this.search(left, features);
    this.search(right, features);
    return [left, right];
  }

  private nodeSplit(c: SplitCandidate, left: number, right: number): NodeSplit {
    const bins = this.data.features[c.feature]!;
    if (c.bin >= 0) {
      const threshold = c.bin < bins.valueBins - 1 ? bins.edges[c.bin]! : Infinity;
      return { feature: c.feature, threshold, codes: [], missingLeft: c.missingLeft, left, right };
    }
    const codes = Array.from(c.catBins).filter((b) => b < bins.valueBins).flatMap((b) => Array.from(bins.binCodes[b] ?? []));
    // Only missing goes left: no code list, so a threshold test no code (>= 0) passes.
    if (codes.length === 0) return { feature: c.feature, threshold: -1, codes: [], missingLeft: true, left, right };
    return { feature: c.feature, threshold: 0, codes: codes.sort((a, b) => a - b), missingLeft: c.missingLeft, left, right };
  }

  private finish(leaves: Leaf[], splits: (NodeSplit | null)[], g: Gradients, treeOutputs: Int32Array): { tree: Tree; outputGain: Float64Array } {
    const nodes = splits.length;
    const width = treeOutputs.length;
    const tree: Tree = {
      feature: new Int32Array(nodes).fill(-1), threshold: new Float32Array(nodes), catStart: new Int32Array(nodes + 1),
      catCodes: new Int32Array(splits.reduce((a, s) => a + (s?.codes.length ?? 0), 0)), missingLeft: new Uint8Array(nodes),
      left: new Int32Array(nodes).fill(-1), right: new Int32Array(nodes).fill(-1), values: new Float32Array(nodes * width), outputs: treeOutputs,
    };
    let code = 0;
    splits.forEach((s, i) => {
      tree.catStart[i] = code;
      if (!s) return;
      tree.feature[i] = s.feature;
      tree.threshold[i] = s.threshold;
      for (const c of s.codes) tree.catCodes[code++] = c;
      tree.missingLeft[i] = s.missingLeft ? 1 : 0;
      tree.left[i] = s.left;
      tree.right[i] = s.right;
    });
    tree.catStart[nodes] = code;
    // (g, h) sums per node and tree output: the leaves', then each split node's as its children's.
    const sums = new Float64Array(nodes * 2 * width);
    const sumLeaves = this.work ? this.work.leafSums.bind(this.work) : leafSums;
    const fromRows = g.searchIsTree ? null : sumLeaves(this.leafOfRow, leaves.length, g.full, g.outputCount, treeOutputs);
    leaves.forEach((leaf, j) => {
      sums.set(fromRows ? fromRows.subarray(2 * width * j, 2 * width * (j + 1)) : leaf.total.subarray(1), leaf.node * 2 * width);
      for (let o = 0; o < width; o++) {
        const at = (leaf.node * width + o) * 2;
        tree.values[leaf.node * width + o] = leafValue(sums[at]!, sums[at + 1]!, this.p.l2, this.p.lr, this.p.minHessian);
      }
    });
    const outputGain = new Float64Array(nodes * width);
    const { l2, minHessian } = this.p;
    // Children are numbered after their parent: from the last node back, both children are summed.
    for (let i = nodes - 1; i >= 0; i--) {
      const s = splits[i];
      if (!s) continue;
      for (let j = 0; j < 2 * width; j++) sums[i * 2 * width + j] = sums[s.left * 2 * width + j]! + sums[s.right * 2 * width + j]!;
      for (let o = 0; o < width; o++) {
        const [p, l, r] = [i, s.left, s.right].map((node) => (node * width + o) * 2) as [number, number, number];
        outputGain[i * width + o] = term(sums[l]!, sums[l + 1]!, l2, minHessian) + term(sums[r]!, sums[r + 1]!, l2, minHessian) - term(sums[p]!, sums[p + 1]!, l2, minHessian);
      }
    }
    return { tree, outputGain };
  }
}
