/**
 * Binning fitted on the training rows: each feature becomes a Uint8Array column of bin indices.
 * Numeric features get at most `maxBins` value bins cut at quantiles of the distinct values, with
 * float32 upper edges chosen so that a training value lies in bin b exactly when it is <= edge[b]
 * and > edge[b - 1]: a split "bins <= b go left" is then the threshold test `x <= edge[b]` of the
 * exported tree. Categorical codes keep a bin each up to the cap; beyond it the rarest codes share
 * one 'other' bin. Missing values (NaN) always have their own bin, right after the value bins.
 * On more than BIN_SAMPLE_ROWS rows the numeric edges come from a seeded sample of them; a value
 * outside the sample still falls in the bin its edges bound.
 */
import { DataError } from '../errors.js';
import type { TreeFeature, TreeInputs } from './model.js';
import { Random } from '../util/random.js';
import { MAX_TREE_BINS } from './options.js';

export interface FeatureBins {
  kind: TreeFeature['kind'];
  /** Value bins; the missing bin is `valueBins` itself. */
  valueBins: number;
  /** Numeric: upper edge of bins 0 .. valueBins - 2 (the last bin has no upper edge). */
  edges: Float32Array;
  /** Categorical: code → bin, for codes 0 .. cardinality - 1. */
  codeBin: Int32Array;
  /** Categorical: the codes of each value bin (several for the 'other' bin). */
  binCodes: Int32Array[];
  /** Whether the training rows had a missing value in this feature. */
  hasMissing: boolean;
}

export interface BinnedInputs {
  rowCount: number;
  features: FeatureBins[];
  columns: Uint8Array[];
  /** Histogram offset of each feature's first bin; feature f spans valueBins + 1 slots. */
  offsets: Int32Array;
  totalBins: number;
}

/** Float32 thresholds between sorted distinct float32 values a < b with a <= t < b. */
function edgeBetween(a: number, b: number): number {
  const t = Math.fround((a + b) / 2);
  return t >= b ? a : t;
}

export function numericEdges(column: Float32Array, maxBins: number): Float32Array {
  const values = Float32Array.from(column.filter((x) => x === x)).sort();
  const distinct: number[] = [];
  const counts: number[] = [];
  for (let i = 0; i < values.length; i++) {
    if (i > 0 && values[i] === values[i - 1]) counts[counts.length - 1]!++;
    else {
      distinct.push(values[i]!);
      counts.push(1);
    }
  }
  const edges: number[] = [];
  if (distinct.length <= maxBins) {
    for (let i = 0; i + 1 < distinct.length; i++) edges.push(edgeBetween(distinct[i]!, distinct[i + 1]!));
    return Float32Array.from(edges);
  }
  // Greedy quantile cuts: close a bin once the running count reaches the next of maxBins equal shares.
  let seen = 0;
  for (let i = 0; i + 1 < distinct.length && edges.length < maxBins - 1; i++) {
    seen += counts[i]!;
    if (seen >= ((edges.length + 1) * values.length) / maxBins) edges.push(edgeBetween(distinct[i]!, distinct[i + 1]!));
  }
  return Float32Array.from(edges);
}

function categoricalBins(feature: TreeFeature, column: Float32Array, maxBins: number): { codeBin: Int32Array; binCodes: Int32Array[] } {
  let cardinality = feature.cardinality ?? 0;
  for (let i = 0; i < column.length; i++) {
    const x = column[i]!;
    if (x !== x) continue;
    if (!Number.isInteger(x) || x < 0 || (feature.cardinality !== undefined && x >= feature.cardinality)) {
      throw new DataError('bad-category-code', `categorical feature '${feature.name}' has code ${x} at row ${i}; codes must be integers 0 .. ${(feature.cardinality ?? Infinity) - 1}`, { column: feature.name });
    }
    if (feature.cardinality === undefined) cardinality = Math.max(cardinality, x + 1);
  }
  const codeBin = new Int32Array(cardinality);
  if (cardinality <= maxBins) {
    for (let c = 0; c < cardinality; c++) codeBin[c] = c;
    return { codeBin, binCodes: Array.from({ length: cardinality }, (_, c) => Int32Array.of(c)) };
  }
  const counts = new Float64Array(cardinality);
  for (let i = 0; i < column.length; i++) if (column[i] === column[i]) counts[column[i]!]++;
  const byCount = Array.from({ length: cardinality }, (_, c) => c).sort((a, b) => counts[b]! - counts[a]! || a - b);
  const other = maxBins - 1;
  const binCodes: number[][] = Array.from({ length: maxBins }, () => []);
  byCount.forEach((c, rank) => {
    codeBin[c] = Math.min(rank, other);
    binCodes[Math.min(rank, other)]!.push(c);
  });
  return { codeBin, binCodes: binCodes.map((codes) => Int32Array.from(codes.sort((a, b) => a - b))) };
}

/**
 * Numeric edges come from at most this many training rows (a seeded sample beyond), as scikit-learn's
 * HGB fits its bins: quantiles of 200,000 rows are as good as all rows', and sorting every value of
 * a million-row column costs more than a round of boosting.
 */
export const BIN_SAMPLE_ROWS = 200_000;

/** The rows numeric edges are fitted on: all, or BIN_SAMPLE_ROWS of them drawn with `seed`, in row order. */
function edgeRows(rows: number, seed: number): Int32Array | null {
  if (rows <= BIN_SAMPLE_ROWS) return null;
  return new Random(seed).permutation(rows).subarray(0, BIN_SAMPLE_ROWS).sort();
}

export function fitBins(inputs: TreeInputs, maxBins: number, seed = 0): FeatureBins[] {
  const sample = edgeRows(inputs.rowCount, seed);
  return inputs.features.map((feature, f) => {
    const column = inputs.columns[f]!;
    const hasMissing = column.some((x) => x !== x);
    if (feature.kind === 'numeric') {
      const edges = numericEdges(sample ? Float32Array.from(sample, (i) => column[i]!) : column, maxBins);
      return { kind: 'numeric', valueBins: edges.length + 1, edges, codeBin: new Int32Array(0), binCodes: [], hasMissing };
    }
    const { codeBin, binCodes } = categoricalBins(feature, column, maxBins);
    return { kind: 'categorical', valueBins: Math.max(1, binCodes.length), edges: new Float32Array(0), codeBin, binCodes, hasMissing };
  });
}

/**
 * The edges padded with +Infinity to 256 entries (more than a feature's at most 254 edges): a value's
 * bin, the count of edges below it, is then eight comparisons whatever the edges.
 */
function paddedEdges(edges: Float32Array): Float64Array {
  if (edges.length >= MAX_TREE_BINS) throw new DataError('tree-bins', `a numeric feature has ${edges.length} bin edges; at most ${MAX_TREE_BINS - 1} are made`);
  const padded = new Float64Array(256).fill(Infinity);
  padded.set(edges);
  return padded;
}

/**
 * The bin of a numeric value: the first bin whose upper edge is >= x, i.e. the number of edges
 * below x. A binary search with no branch on the data (each step adds its half or 0): written out,
 * 2.5x faster on a million-row column than a search loop, whose steps the CPU mispredicts.
 */
function numericBin(e: Float64Array, x: number): number {
  let at = e[127]! < x ? 128 : 0;
  at += e[at + 63]! < x ? 64 : 0;
  at += e[at + 31]! < x ? 32 : 0;
  at += e[at + 15]! < x ? 16 : 0;
  at += e[at + 7]! < x ? 8 : 0;
  at += e[at + 3]! < x ? 4 : 0;
  at += e[at + 1]! < x ? 2 : 0;
  return at + (e[at]! < x ? 1 : 0);
}

export function applyBins(bins: FeatureBins[], inputs: TreeInputs): BinnedInputs {
  const offsets = new Int32Array(bins.length);
  let totalBins = 0;
  bins.forEach((b, f) => {
    offsets[f] = totalBins;
    totalBins += b.valueBins + 1;
  });
  const columns = binColumns(bins, inputs);
  if (!columns) throw new DataError('bad-category-code', 'a categorical code of the training rows has no bin');
  return { rowCount: inputs.rowCount, features: bins, columns, offsets, totalBins };
}

/**
 * Bin columns of other rows (validation rows) under the training bins, so that a tree's bin-level
 * split sends each row where its float threshold or category list would. Null when a categorical
 * code has no bin (beyond the training codes): such rows must go through the float predictor.
 */
export function binColumns(bins: FeatureBins[], inputs: TreeInputs): Uint8Array[] | null {
  const columns: Uint8Array[] = [];
  for (let f = 0; f < bins.length; f++) {
    const b = bins[f]!;
    const column = inputs.columns[f]!;
    const out = new Uint8Array(inputs.rowCount);
    if (b.kind === 'numeric') {
      const edges = paddedEdges(b.edges);
      for (let i = 0; i < inputs.rowCount; i++) {
        const x = column[i]!;
        out[i] = x !== x ? b.valueBins : numericBin(edges, x);
      }
    } else {
      for (let i = 0; i < inputs.rowCount; i++) {
        const x = column[i]!;
        if (x !== x) out[i] = b.valueBins;
        else if (Number.isInteger(x) && x >= 0 && x < b.codeBin.length) out[i] = b.codeBin[x]!;
        else return null;
      }
    }
    columns.push(out);
  }
  return columns;
}
