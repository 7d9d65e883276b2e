/**
 * Piecewise-linear encoding of numeric columns (Gorishniy et al. 2022, "On Embeddings for Numerical
 * Features in Tabular Deep Learning"). With edges b_0 < … < b_T fitted on the training rows, a value
 * x becomes T columns, column t = clamp((x - b_t) / (b_{t+1} - b_t), 0, 1): the bins below x are 1,
 * the bin holding x its fraction, the bins above 0. The outer sides are not clamped at 0 and 1 (as
 * in the paper) but at -clip (first column) and +clip (last column), so values outside the training
 * range keep their order yet stay bounded like scaled values, ±Infinity included. A missing value
 * is imputed (the training median) first, and keeps its `:missing` column, as for scaled values.
 *
 * Every numeric column is written as pieces `clamp((x - offset) * factor, lo, hi)`; a scaled column
 * is the single piece (center, scale, -clip, clip). So a plan mixing both (a column with fewer than
 * two distinct training values stays scaled) is one vectorised ONNX chain, Imputer → Gather → Sub →
 * Mul → Max → Min, and the JS path rounds each step to float32 exactly as that chain does.
 */
import { imputeToOnnx, type NumericStep, type ScaleStats } from './numeric.js';
import type { FragmentBuilder } from './onnx-builder.js';

const f32 = Math.fround;
const F32_MAX = 3.4028234663852886e38;

/**
 * Edges: the training minimum, cuts at distinct values so that the rows above the minimum fall into
 * at most `bins` bins of about equal count, and the maximum. The rows of one value are never split
 * and the target count is recomputed after each cut, because plain quantile edges collapse on
 * zero-inflated columns: Adult's capital-gain is 0 in 92% of the rows, so its quantiles are 0, …, 0
 * and the maximum, a single bin. Here the zeros sit on b_0 (every column 0) and the bins go to the
 * other values, where a tree would put its thresholds. At most bins + 1 distinct values: one edge
 * each. Null when fewer than two distinct finite values exist (nothing to cut).
 */
export function fitEdges(values: Float32Array, bins: number): number[] | null {
  const sorted = values.filter(Number.isFinite).sort();
  const distinct: number[] = [];
  const counts: number[] = [];
  for (const v of sorted) {
    if (distinct.length > 0 && distinct[distinct.length - 1] === v) counts[counts.length - 1]! += 1;
    else {
      // -0 would not survive JSON, and the plan must round-trip exactly.
      distinct.push(v === 0 ? 0 : v);
      counts.push(1);
    }
  }
  if (distinct.length < 2) return null;
  if (distinct.length <= bins + 1) return distinct;
  const edges = [distinct[0]!];
  let rowsLeft = sorted.length - counts[0]!;
  let binsLeft = bins;
  let inBin = 0;
  for (let i = 1; i < distinct.length - 1 && binsLeft > 1; i++) {
    inBin += counts[i]!;
    if (inBin * binsLeft >= rowsLeft) {
      edges.push(distinct[i]!);
      rowsLeft -= inBin;
      binsLeft -= 1;
      inBin = 0;
    }
  }
  edges.push(distinct[distinct.length - 1]!);
  return edges;
}

/** A numeric step, or any scaled value (a datetime's year) that has no edges. */
type Binned = ScaleStats & { edges?: number[] };

/** One output column: clamp((x - offset) * factor, lo, hi), all float32-representable. */
interface Piece {
  offset: number;
  factor: number;
  lo: number;
  hi: number;
}

function piecesOf(step: Binned, clip: number): Piece[] {
  const c = f32(clip);
  const e = step.edges;
  if (!e) return [{ offset: step.center, factor: step.scale, lo: -c, hi: c }];
  const last = e.length - 2;
  return e.slice(1).map((b, t) => ({
    offset: e[t]!,
    // Edges a subnormal apart would give an infinite factor, and 0 × ∞ = NaN at the edge itself.
    factor: Math.min(f32(1 / (b - e[t]!)), F32_MAX),
    lo: t === 0 ? -c : 0,
    hi: t === last ? c : 1,
  }));
}

/** How many float columns a numeric step writes. */
export function numericWidthOf(step: Binned): number {
  return step.edges ? step.edges.length - 1 : 1;
}

/** Names of a numeric step's float columns: the column itself, or one `:ple#t` per bin. */
export function numericNamesOf(step: NumericStep): string[] {
  return step.edges ? step.edges.slice(1).map((_, t) => `${step.column}:ple#${t}`) : [step.column];
}

/** Writes a numeric step's columns, from `col` on, into a row-major `[rows × width]` block. */
export function numericInto(values: Float32Array, step: Binned, clip: number, out: Float32Array, width: number, col: number): void {
  const pieces = piecesOf(step, clip);
  for (let i = 0, o = col; i < values.length; i++, o += width) {
    const x = values[i]!;
    const v = Number.isNaN(x) ? step.fill : x;
    for (let k = 0; k < pieces.length; k++) {
      const p = pieces[k]!;
      const y = f32(f32(v - p.offset) * p.factor);
      out[o + k] = y < p.lo ? p.lo : y > p.hi ? p.hi : y;
    }
  }
}

/** ONNX for `[B, n]` float32 raw values of n steps: the `[B, Σ widths]` values and the indicators. */
export function piecewiseToOnnx(
  b: FragmentBuilder,
  x: string,
  steps: NumericStep[],
  clip: number,
  hint: string,
): { values: string; indicators: string | null } {
  const { imputed, indicators } = imputeToOnnx(b, x, steps, hint);
  const source: number[] = [];
  const pieces: Piece[] = [];
  steps.forEach((s, i) => {
    for (const p of piecesOf(s, clip)) source.push(i), pieces.push(p);
  });
  const w = pieces.length;
  const column = (name: keyof Piece) => b.constant(`${hint}/ple/${name}`, 'float32', [w], pieces.map((p) => p[name]));
  const spread = b.op('Gather', [imputed, b.constant(`${hint}/ple/source`, 'int64', [w], source)], `${hint}/ple/gather`, { axis: 1 });
  const shifted = b.op('Sub', [spread, column('offset')], `${hint}/ple/sub`);
  const scaled = b.op('Mul', [shifted, column('factor')], `${hint}/ple/mul`);
  const low = b.op('Max', [scaled, column('lo')], `${hint}/ple/max`);
  return { values: b.op('Min', [low, column('hi')], `${hint}/ple/min`), indicators };
}
