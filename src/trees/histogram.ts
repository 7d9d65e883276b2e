/**
 * Gradient histograms of a node: for each feature and bin, the row count and, per searched output,
 * the sums of gradients and Hessians. Layout per bin: [count, g0, h0, g1, h1, ...] (stride 2K + 1),
 * features one after another at `offsets`. A sibling's histogram is its parent's minus the built
 * child's (histogram subtraction), so each split builds only the smaller child.
 */
import type { BinnedInputs } from './binning.js';

export const strideOf = (outputs: number): number => 2 * outputs + 1;

/**
 * Gradients and Hessians are stored in float32, as scikit-learn's HGB and LightGBM store them; the
 * sums over rows stay float64. Histograms, leaf sums and the sketch stream these arrays row after
 * row, and half the bytes is what two threads sharing this machine's memory gain most from.
 */
export type GradientArray = Float32Array;

/**
 * (g, h) pairs of the searched outputs: output j of row r at pair r · stride + offset + j. Or, with
 * `packed`, rows of `packed.width` values (stride and offset unused) where several outputs share one
 * Hessian value (a projection sketch pairs every column of a task with the task's mean Hessian):
 * position p of a row's [g0, h0, g1, h1, ...] is its value packed.of[p]. Histograms then add each
 * shared value once per row and copy it to its positions per bin, with the same sums to the bit.
 */
export interface SearchGradients {
  gh: GradientArray;
  stride: number;
  offset: number;
  packed?: { width: number; of: Int32Array };
}

/**
 * Nodes of at least this many rows get their histogram as the sum of two halves' (rows [0, m/2) and
 * [m/2, m) of the node): two threads can then build one half each, each streaming half the rows,
 * while one thread builds both halves itself; either way the same sums to the bit.
 */
export const HALVES_ROWS = 16384;

/** Where the node's second half starts: rows [start, start + halfOf(m)) are the first. */
const halfOf = (m: number): number => m >> 1;

/** The rows of half `half` of a node of m rows, as positions [from, to) in the node. */
export const halfRows = (m: number, half: 0 | 1): [number, number] => (half === 0 ? [0, halfOf(m)] : [halfOf(m), m]);

/**
 * Half `half` (0 or 1) of a node's m rows into `into`, from the node-ordered gradients: what one
 * thread does, or the single thread twice. Both paths go through here, so their sums are the same.
 */
export function accumulateHalf(
  into: Float64Array, data: BinnedInputs, features: Int32Array, rows: Int32Array, start: number, m: number, ordered: GradientArray, w: number, half: 0 | 1,
): void {
  const [from, to] = halfRows(m, half);
  accumulate(into, data, features, rows, start + from, to - from, ordered.subarray(from * w), w);
}


/**
 * Adds the rows `rows[start .. end)` to `hist` for the features listed, over K searched outputs;
 * `scratch` is scratch of at least (end - start) × 2K; `packedHist` and `halfHist`, of at least
 * totalBins × (2K + 1), hold a packed histogram and a node's second half (allocated when not given).
 */
export function buildHistogram(
  hist: Float64Array, data: BinnedInputs, features: Int32Array, rows: Int32Array, start: number, end: number,
  search: SearchGradients, outputs: number, scratch: GradientArray, packedHist: Float64Array | null = null, halfHist: Float64Array | null = null,
): void {
  const { packed } = search;
  const m = end - start;
  const w = packed ? packed.width : 2 * outputs;
  const ordered = orderedGradients(search, outputs, rows, start, m, scratch);
  if (ordered === scratch) gatherGradients(scratch, rows, start, 0, m, search, outputs);
  const into = packed ? packedHist ?? new Float64Array(data.totalBins * (packed.width + 1)) : hist;
  if (m < HALVES_ROWS) accumulate(into, data, features, rows, start, m, ordered, w);
  else {
    const second = halfHist ?? new Float64Array(data.totalBins * (w + 1));
    accumulateHalf(into, data, features, rows, start, m, ordered, w, 0);
    accumulateHalf(second, data, features, rows, start, m, ordered, w, 1);
    addHalves(into, second, data, features, w + 1);
  }
  if (packed) unpack(hist, into, packed.width + 1, data, features, packed.of);
}

/** `into += half` over the listed features' bins (s values per bin). */
export function addHalves(into: Float64Array, half: Float64Array, data: BinnedInputs, features: Int32Array, s: number): void {
  for (let q = 0; q < features.length; q++) {
    const f = features[q]!;
    for (let i = data.offsets[f]! * s, to = (data.offsets[f]! + data.features[f]!.valueBins + 1) * s; i < to; i++) into[i] += half[i]!;
  }
}

/**
 * Where a node's gradients are read from in node order, so each feature's pass reads them
 * sequentially: `scratch`, to be gathered into, or `gh` itself when the rows are 0 .. m - 1 in order
 * and the searched pairs are consecutive (a root).
 */
export function orderedGradients(search: SearchGradients, outputs: number, rows: Int32Array, start: number, m: number, scratch: GradientArray): GradientArray {
  const { packed, gh, stride, offset } = search;
  const w = packed ? packed.width : 2 * outputs;
  const pairStride = packed ? packed.width / 2 : stride;
  if (pairStride === w / 2 && isIdentity(rows, start, m)) return gh.subarray(2 * (packed ? 0 : offset), 2 * (packed ? 0 : offset) + m * w);
  return scratch;
}

/** Copies the gradients of node rows [start + from, start + to) to `ordered[from · w ..]`. */
export function gatherGradients(ordered: GradientArray, rows: Int32Array, start: number, from: number, to: number, search: SearchGradients, outputs: number): void {
  const { packed, gh } = search;
  const w = packed ? packed.width : 2 * outputs;
  const [stride, offset] = packed ? [packed.width / 2, 0] : [search.stride, search.offset];
  if (w === 2) {
    for (let i = from; i < to; i++) {
      const src = 2 * (rows[start + i]! * stride + offset);
      ordered[2 * i] = gh[src]!;
      ordered[2 * i + 1] = gh[src + 1]!;
    }
  } else {
    for (let i = from; i < to; i++) {
      const src = 2 * (rows[start + i]! * stride + offset);
      for (let j = 0; j < w; j++) ordered[i * w + j] = gh[src + j]!;
    }
  }
}

/** Copies a packed histogram's bins into the [count, g0, h0, ...] layout, each shared value to each of its positions. */
export function unpack(hist: Float64Array, from: Float64Array, ps: number, data: BinnedInputs, features: Int32Array, of: Int32Array): void {
  const w = of.length;
  const s = w + 1;
  for (let q = 0; q < features.length; q++) {
    const f = features[q]!;
    for (let b = data.offsets[f]!, last = b + data.features[f]!.valueBins; b <= last; b++) {
      const at = b * s;
      const src = b * ps;
      hist[at] = from[src]!;
      for (let p = 0; p < w; p++) hist[at + 1 + p] = from[src + 1 + of[p]!]!;
    }
  }
}

/**
 * `hist` (w + 1 values per bin: count, then a row's w gradient values) over the node's m rows for
 * the features listed, from the gradients in node order (w values per row). A bin's sums add its
 * rows in node order whichever features share a pass, so features may be split between threads.
 */
export function accumulate(hist: Float64Array, data: BinnedInputs, features: Int32Array, rows: Int32Array, start: number, m: number, ordered: GradientArray, w: number): void {
  const outputs = w / 2;
  const s = w + 1;
  for (let q = 0; q < features.length; q++) {
    const base = data.offsets[features[q]!]!;
    hist.fill(0, base * s, (base + data.features[features[q]!]!.valueBins + 1) * s);
  }
  if (outputs === 1) {
    singleOutput(hist, data, features, rows, start, m, ordered);
    return;
  }
  let q = 0;
  // Four features per pass over the rows: each row's index and gradients load once per four. Six
  // per pass measured slower, on one thread and more so on two: their bins outgrow the core's cache.
  for (; q + 4 <= features.length; q += 4) {
    const [c0, c1, c2, c3] = [0, 1, 2, 3].map((j) => data.columns[features[q + j]!]!) as [Uint8Array, Uint8Array, Uint8Array, Uint8Array];
    const [b0, b1, b2, b3] = [0, 1, 2, 3].map((j) => data.offsets[features[q + j]!]!) as [number, number, number, number];
    for (let i = 0; i < m; i++) {
      const r = rows[start + i]!;
      const a0 = (b0 + c0[r]!) * s;
      const a1 = (b1 + c1[r]!) * s;
      const a2 = (b2 + c2[r]!) * s;
      const a3 = (b3 + c3[r]!) * s;
      hist[a0]++;
      hist[a1]++;
      hist[a2]++;
      hist[a3]++;
      const from = i * w - 1;
      let j = 1;
      for (; j < w; j += 2) {
        const v = ordered[from + j]!;
        const u = ordered[from + j + 1]!;
        hist[a0 + j] += v;
        hist[a0 + j + 1] += u;
        hist[a1 + j] += v;
        hist[a1 + j + 1] += u;
        hist[a2 + j] += v;
        hist[a2 + j + 1] += u;
        hist[a3 + j] += v;
        hist[a3 + j + 1] += u;
      }
      if (j === w) {
        const v = ordered[from + j]!;
        hist[a0 + j] += v;
        hist[a1 + j] += v;
        hist[a2 + j] += v;
        hist[a3 + j] += v;
      }
    }
  }
  // The two or three features left: two per pass, then one.
  for (; q + 2 <= features.length; q += 2) {
    const [c0, c1] = [data.columns[features[q]!]!, data.columns[features[q + 1]!]!];
    const [b0, b1] = [data.offsets[features[q]!]!, data.offsets[features[q + 1]!]!];
    for (let i = 0; i < m; i++) {
      const r = rows[start + i]!;
      const a0 = (b0 + c0[r]!) * s;
      const a1 = (b1 + c1[r]!) * s;
      hist[a0]++;
      hist[a1]++;
      const from = i * w - 1;
      for (let j = 1; j <= w; j++) {
        const v = ordered[from + j]!;
        hist[a0 + j] += v;
        hist[a1 + j] += v;
      }
    }
  }
  for (; q < features.length; q++) {
    const col = data.columns[features[q]!]!;
    const base = data.offsets[features[q]!]!;
    for (let i = 0; i < m; i++) {
      const at = (base + col[rows[start + i]!]!) * s;
      hist[at]++;
      const from = i * w;
      for (let j = 0; j < w; j++) hist[at + 1 + j] += ordered[from + j]!;
    }
  }
}

function isIdentity(rows: Int32Array, start: number, m: number): boolean {
  for (let i = 0; i < m; i++) if (rows[start + i] !== i) return false;
  return true;
}

/** One output: four features per pass over the rows, so each row's index and (g, h) load once per four. */
function singleOutput(hist: Float64Array, data: BinnedInputs, features: Int32Array, rows: Int32Array, start: number, m: number, ordered: GradientArray): void {
  let q = 0;
  for (; q + 4 <= features.length; q += 4) {
    const [c0, c1, c2, c3] = [0, 1, 2, 3].map((j) => data.columns[features[q + j]!]!) as [Uint8Array, Uint8Array, Uint8Array, Uint8Array];
    const [b0, b1, b2, b3] = [0, 1, 2, 3].map((j) => data.offsets[features[q + j]!]!) as [number, number, number, number];
    for (let i = 0; i < m; i++) {
      const r = rows[start + i]!;
      const g = ordered[2 * i]!;
      const h = ordered[2 * i + 1]!;
      let at = (b0 + c0[r]!) * 3;
      hist[at]++;
      hist[at + 1] += g;
      hist[at + 2] += h;
      at = (b1 + c1[r]!) * 3;
      hist[at]++;
      hist[at + 1] += g;
      hist[at + 2] += h;
      at = (b2 + c2[r]!) * 3;
      hist[at]++;
      hist[at + 1] += g;
      hist[at + 2] += h;
      at = (b3 + c3[r]!) * 3;
      hist[at]++;
      hist[at + 1] += g;
      hist[at + 2] += h;
    }
  }
  for (; q < features.length; q++) {
    const col = data.columns[features[q]!]!;
    const base = data.offsets[features[q]!]!;
    for (let i = 0; i < m; i++) {
      const at = (base + col[rows[start + i]!]!) * 3;
      hist[at]++;
      hist[at + 1] += ordered[2 * i]!;
      hist[at + 2] += ordered[2 * i + 1]!;
    }
  }
}

/** `parent -= child` over the listed features: the parent's buffer becomes the sibling's histogram. */
export function subtractHistogram(parent: Float64Array, child: Float64Array, data: BinnedInputs, features: Int32Array, outputs: number): void {
  const s = strideOf(outputs);
  for (let q = 0; q < features.length; q++) {
    const f = features[q]!;
    const from = data.offsets[f]! * s;
    const to = (data.offsets[f]! + data.features[f]!.valueBins + 1) * s;
    for (let i = from; i < to; i++) parent[i] -= child[i]!;
  }
}
