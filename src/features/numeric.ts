/**
 * Numeric columns: median imputation, an optional missing indicator, centring and scaling
 * (mean/std or median/IQR), then clipping to ±clip. Values are float32 throughout, and the JS path
 * rounds after each step exactly as the ONNX Imputer → Scaler → Clip chain does, so both agree
 * bit for bit. NaN is missing; ±Infinity is not missing and ends up clipped. The piecewise-linear
 * alternative (piecewise-linear.ts) shares the imputation and the missing indicator.
 */
import type { ResolvedFeatureOptions } from './options.js';
import type { FragmentBuilder } from './onnx-builder.js';

/** What is learned for one scaled value. Numbers are float32-representable. */
export interface ScaleStats {
  /** Replaces a missing value: the training median. */
  fill: number;
  /** y = (x - center) * scale. */
  center: number;
  scale: number;
  /** Whether a `:missing` 0/1 column is emitted. */
  missingIndicator: boolean;
}

export interface NumericStep extends ScaleStats {
  kind: 'numeric';
  column: string;
  /** Piecewise-linear bin edges (strictly increasing, float32); absent: the scaled value. */
  edges?: number[];
}

const f32 = Math.fround;

/** Linear-interpolated quantile of sorted values. */
function quantile(sorted: Float64Array, q: number): number {
  const pos = q * (sorted.length - 1);
  const lo = Math.floor(pos);
  const hi = Math.min(lo + 1, sorted.length - 1);
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (pos - lo);
}

function standardDeviation(values: Float64Array, mean: number): number {
  let sum = 0;
  for (let i = 0; i < values.length; i++) sum += (values[i]! - mean) ** 2;
  return Math.sqrt(sum / values.length);
}

/**
 * Statistics of the training values (float32, NaN = missing). Non-finite values take no part in
 * them. Returns null when no value is finite: such a column carries no information.
 */
export function fitScaleStats(values: Float32Array, options: ResolvedFeatureOptions): ScaleStats | null {
  let missing = 0;
  let finite = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (Number.isNaN(v)) missing++;
    else if (Number.isFinite(v)) finite++;
  }
  if (finite === 0) return null;
  const sorted = new Float64Array(finite);
  let k = 0;
  let sum = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (Number.isFinite(v)) {
      sorted[k++] = v;
      sum += v;
    }
  }
  sorted.sort();
  const median = quantile(sorted, 0.5);
  const mean = sum / finite;
  const std = standardDeviation(sorted, mean);
  let center = 0;
  let spread = 1;
  if (options.scaling === 'standard') {
    center = mean;
    spread = std;
  } else if (options.scaling === 'robust') {
    center = median;
    spread = quantile(sorted, 0.75) - quantile(sorted, 0.25);
    if (!(spread > 0)) spread = std;
  }
  const scale = spread > 0 && Number.isFinite(spread) ? f32(1 / spread) : 1;
  const missingIndicator = options.missingIndicator === 'always' || (options.missingIndicator === 'auto' && missing > 0);
  return { fill: f32(median), center: f32(center), scale: scale > 0 && Number.isFinite(scale) ? scale : 1, missingIndicator };
}

/** Writes 1 where the value is missing (NaN), 0 elsewhere. */
export function indicatorInto(values: Float32Array, out: Float32Array, width: number, col: number): void {
  for (let i = 0, o = col; i < values.length; i++, o += width) out[o] = Number.isNaN(values[i]!) ? 1 : 0;
}

/**
 * ONNX for `[B, n]` float32 raw values with n stats: the `[B, n]` tensor with missing values imputed
 * and, when any stats ask for it, the `[B, k]` indicator tensor of those k columns (in order).
 */
export function imputeToOnnx(b: FragmentBuilder, x: string, stats: ScaleStats[], hint: string): { imputed: string; indicators: string | null } {
  const flagged = stats.flatMap((s, i) => (s.missingIndicator ? [i] : []));
  let indicators: string | null = null;
  if (flagged.length > 0) {
    const picked =
      flagged.length === stats.length
        ? x
        : b.op('Gather', [x, b.constant(`${hint}/missing/columns`, 'int64', [flagged.length], flagged)], `${hint}/missing/gather`, {
            axis: 1,
          });
    indicators = b.cast(b.op('IsNaN', [picked], `${hint}/missing/isnan`), 'float32', `${hint}/missing`);
  }
  const imputed = b.ml('Imputer', [x], `${hint}/impute`, {
    imputed_value_floats: { floats: stats.map((s) => s.fill) },
    replaced_value_float: NaN,
  });
  return { imputed, indicators };
}

/** ONNX for `[B, n]` float32 raw values with n stats: the scaled `[B, n]` tensor and the indicators. */
export function scaleToOnnx(
  b: FragmentBuilder,
  x: string,
  stats: ScaleStats[],
  clip: number,
  hint: string,
): { values: string; indicators: string | null } {
  const { imputed, indicators } = imputeToOnnx(b, x, stats, hint);
  const scaled = b.ml('Scaler', [imputed], `${hint}/scale`, {
    offset: { floats: stats.map((s) => s.center) },
    scale: { floats: stats.map((s) => s.scale) },
  });
  const lo = b.constant(`${hint}/clip/min`, 'float32', [], [-clip]);
  const hi = b.constant(`${hint}/clip/max`, 'float32', [], [clip]);
  return { values: b.op('Clip', [scaled, lo, hi], `${hint}/clip`), indicators };
}
