/**
 * Area under the ROC curve: exact, from ranks (the Mann–Whitney U statistic) with tied scores
 * given their average rank, so it equals sklearn's roc_auc_score.
 */
import { classCount } from './check.js';

/**
 * AUC of `scores` for rows where `positive[i]` is 1 against rows where it is 0. Null when either
 * side is empty (AUC undefined). U = Σ over positives of (negatives below + half the negatives
 * tied), from the two sides' scores sorted apart: typed arrays sort natively, several times faster
 * than an index array sorted by a comparator (boosted trees score their validation rows every
 * round). U is a sum of halves, exact in floating point, so this equals the rank-sum statistic.
 */
export function binaryAuc(scores: ArrayLike<number>, positive: ArrayLike<number>): number | null {
  const n = scores.length;
  let nPos = 0;
  for (let i = 0; i < n; i++) if (positive[i] === 1) nPos++;
  const nNeg = n - nPos;
  if (nPos === 0 || nNeg === 0) return null;
  const pos = new Float64Array(nPos);
  const neg = new Float64Array(nNeg);
  for (let i = 0, p = 0, q = 0; i < n; i++) {
    if (positive[i] === 1) pos[p++] = scores[i]!;
    else neg[q++] = scores[i]!;
  }
  pos.sort();
  neg.sort();
  let below = 0;
  let upTo = 0;
  let u = 0;
  for (let i = 0; i < nPos; i++) {
    const s = pos[i]!;
    while (below < nNeg && neg[below]! < s) below++;
    if (upTo < below) upTo = below;
    while (upTo < nNeg && neg[upTo]! <= s) upTo++;
    u += below + (upTo - below) / 2;
  }
  return u / (nPos * nNeg);
}

/**
 * ROC AUC of single-label probabilities ([n × C]); rows with label -1 are skipped.
 * Binary (C = 2): AUC of column 1 for class 1. Multiclass: unweighted mean of the one-vs-rest AUCs
 * of the classes present in the labels (sklearn's roc_auc_score(multi_class='ovr',
 * average='macro') on those classes). Null when fewer than two classes are present.
 */
export function rocAuc(probs: Float32Array, labels: Int32Array): number | null {
  const c = classCount(probs, labels);
  let m = 0;
  for (let i = 0; i < labels.length; i++) if (labels[i] !== -1) m++;
  const rows = new Int32Array(m);
  for (let i = 0, j = 0; i < labels.length; i++) if (labels[i] !== -1) rows[j++] = i;
  // Plain loops: Float64Array.from with a map function costs several times the sort (trees score every round).
  const column = (k: number): Float64Array => {
    const out = new Float64Array(m);
    for (let j = 0; j < m; j++) out[j] = probs[rows[j]! * c + k]!;
    return out;
  };
  const isClass = (k: number): Uint8Array => {
    const out = new Uint8Array(m);
    for (let j = 0; j < m; j++) out[j] = labels[rows[j]!] === k ? 1 : 0;
    return out;
  };
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
