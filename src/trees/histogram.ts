/**
 * Gradient histograms of a node: for each feature and bin, the row count and, per searched output,
 * the sums of gradients and Hessians. Layout per bin: [count, g0, h0, g1, h1, ...] (stride 2K + 1),
 * features one after another at `offsets`. A sibling's histogram is its parent's minus the built
 * child's (histogram subtraction), so each split builds only the smaller child.
 */
import type { BinnedInputs } from './binning.js';

export const strideOf = (outputs: number): number => 2 * outputs + 1;

/**
 * Adds the rows `rows[start .. end)` to `hist` for the features listed. `gh` holds per row the
 * searched outputs' (g, h) pairs, [rows × 2K]; `ordered` is scratch of at least (end - start) × 2K.
 */
export function buildHistogram(
  hist: Float64Array, data: BinnedInputs, features: Int32Array, rows: Int32Array, start: number, end: number,
  gh: Float64Array, outputs: number, ordered: Float64Array,
): void {
  const w = 2 * outputs;
  const s = w + 1;
  const m = end - start;
  // Gradients gathered in node order once, so each feature's pass reads them sequentially.
  for (let i = 0; i < m; i++) {
    const src = rows[start + i]! * w;
    for (let j = 0; j < w; j++) ordered[i * w + j] = gh[src + j]!;
  }
  for (let q = 0; q < features.length; q++) {
    const f = features[q]!;
    const col = data.columns[f]!;
    const base = data.offsets[f]!;
    hist.fill(0, base * s, (base + data.features[f]!.valueBins + 1) * s);
    if (outputs === 1) {
      for (let i = 0; i < m; i++) {
        const at = (base + col[rows[start + i]!]!) * 3;
        hist[at]++;
        hist[at + 1] += ordered[2 * i]!;
        hist[at + 2] += ordered[2 * i + 1]!;
      }
      continue;
    }
    for (let i = 0; i < m; i++) {
      const at = (base + col[rows[start + i]!]!) * s;
      hist[at]++;
      const from = i * w;
      for (let j = 0; j < w; j++) hist[at + 1 + j] += ordered[from + j]!;
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
