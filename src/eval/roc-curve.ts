/**
 * The ROC curve of a binary score: one point per distinct threshold, as sklearn's roc_curve with
 * drop_intermediate=False, so the trapezoid area under it equals `binaryAuc` (tied scores form one
 * diagonal step, which is what the average-rank AUC counts).
 */

export interface RocPoint {
  /** False-positive rate: share of negatives scored at or above `threshold`. */
  fpr: number;
  /** True-positive rate: share of positives scored at or above `threshold`. */
  tpr: number;
  /** Infinity for the first point (nothing predicted positive). */
  threshold: number;
}

/**
 * ROC points of `scores` for rows where `positive[i]` is 1 against rows where it is 0, from (0, 0)
 * to (1, 1). Empty when either side has no rows (the curve is undefined).
 */
export function rocCurve(scores: ArrayLike<number>, positive: ArrayLike<number>): RocPoint[] {
  const n = scores.length;
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => scores[b]! - scores[a]!);
  let nPos = 0;
  for (let i = 0; i < n; i++) nPos += positive[i] === 1 ? 1 : 0;
  const nNeg = n - nPos;
  if (nPos === 0 || nNeg === 0) return [];
  const points: RocPoint[] = [{ fpr: 0, tpr: 0, threshold: Infinity }];
  let tp = 0;
  let fp = 0;
  for (let start = 0; start < n; ) {
    const threshold = scores[order[start]!]!;
    let end = start;
    for (; end < n && scores[order[end]!] === threshold; end++) {
      if (positive[order[end]!] === 1) tp += 1;
      else fp += 1;
    }
    points.push({ fpr: fp / nNeg, tpr: tp / nPos, threshold });
    start = end;
  }
  return points;
}

/** Area under a curve of points sorted by `fpr`, by the trapezoid rule. */
export function areaUnder(points: RocPoint[]): number {
  let area = 0;
  for (let i = 1; i < points.length; i++) area += ((points[i]!.fpr - points[i - 1]!.fpr) * (points[i]!.tpr + points[i - 1]!.tpr)) / 2;
  return area;
}

/**
 * At most `max` (≥ 2) points of `points` for a chart: evenly spaced along the thresholds, the
 * first and last kept, so an SVG of a 30,000-row curve stays small.
 */
export function thinCurve(points: RocPoint[], max: number): RocPoint[] {
  if (points.length <= max) return points;
  const step = (points.length - 1) / (max - 1);
  return Array.from({ length: max }, (_, i) => points[Math.round(i * step)]!);
}
