/**
 * Area under the ROC curve: exact, from ranks (the Mann–Whitney U statistic) with tied scores
 * given their average rank, so it equals sklearn's roc_auc_score.
 */
import { classCount } from './check.js';

/**
 * AUC of `scores` for rows where `positive[i]` is 1 against rows where it is 0. Null when either
 * side is empty (AUC undefined).
 */
export function binaryAuc(scores: ArrayLike<number>, positive: ArrayLike<number>): number | null {
  const n = scores.length;
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => scores[a]! - scores[b]!);
  let nPos = 0;
  let rankSumPos = 0;
  for (let start = 0; start < n; ) {
    let end = start + 1;
    while (end < n && scores[order[end]!] === scores[order[start]!]) end++;
    const averageRank = (start + 1 + end) / 2; // ranks start+1 .. end, 1-based
    for (let j = start; j < end; j++) {
      if (positive[order[j]!] === 1) {
        nPos += 1;
        rankSumPos += averageRank;
      }
    }
    start = end;
  }
  const nNeg = n - nPos;
  if (nPos === 0 || nNeg === 0) return null;
  return (rankSumPos - (nPos * (nPos + 1)) / 2) / (nPos * nNeg);
}

/**
 * ROC AUC of single-label probabilities ([n × C]); rows with label -1 are skipped.
 * Binary (C = 2): AUC of column 1 for class 1. Multiclass: unweighted mean of the one-vs-rest AUCs
 * of the classes present in the labels (sklearn's roc_auc_score(multi_class='ovr',
 * average='macro') on those classes). Null when fewer than two classes are present.
 */
export function rocAuc(probs: Float32Array, labels: Int32Array): number | null {
  const c = classCount(probs, labels);
  const rows: number[] = [];
  for (let i = 0; i < labels.length; i++) if (labels[i] !== -1) rows.push(i);
  const column = (k: number): Float64Array => Float64Array.from(rows, (i) => probs[i * c + k]!);
  const isClass = (k: number): Uint8Array => Uint8Array.from(rows, (i) => (labels[i] === k ? 1 : 0));
  if (c === 2) return binaryAuc(column(1), isClass(1));
  const aucs: number[] = [];
  for (let k = 0; k < c; k++) {
    const positive = isClass(k);
    if (!positive.includes(1)) continue;
    const auc = binaryAuc(column(k), positive);
    if (auc !== null) aucs.push(auc);
  }
  return aucs.length === 0 ? null : aucs.reduce((a, b) => a + b, 0) / aucs.length;
}
