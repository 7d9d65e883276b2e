/**
 * Iterative stratification (Sechidis, Tsoumakas & Vlahavas, "On the stratification of multi-label
 * data", ECML PKDD 2011), run jointly over all tasks: each row carries the (task, class) pairs it has
 * (one per single-column task, one per positive label of a multi-label task). The rarest pair is
 * distributed first, each of its rows going to the subset that still wants most of that pair, so rare
 * classes spread over the subsets in proportion before common ones fill the rest.
 */
import type { TaskLabels } from './schema.js';
import type { Random } from '../util/random.js';

/**
 * Splits `rows` into `ratios.length` subsets (each sorted ascending) of sizes close to `ratios`
 * (which sum to 1; a subset with ratio 0 stays empty).
 */
export function iterativeStratification(rows: Int32Array, labels: TaskLabels[], ratios: number[], rng: Random): Int32Array[] {
  const n = rows.length;
  const k = ratios.length;
  const order = rng.shuffle(Int32Array.from(rows));
  const { pairStart, pairRows, pairCount } = pairIndex(order, labels);
  const rowPairs = invert(pairStart, pairRows, n, pairCount);
  const desired = ratios.map((r) => r * n);
  const desiredPair = ratios.map((r) => Float64Array.from({ length: pairCount }, (_, l) => r * (pairStart[l + 1] - pairStart[l])));
  const remaining = Int32Array.from({ length: pairCount }, (_, l) => pairStart[l + 1] - pairStart[l]);
  const subsetOf = new Int8Array(n).fill(-1);
  const open = ratios.map((r, j) => (r > 0 ? j : -1)).filter((j) => j >= 0);

  const assign = (pos: number, j: number): void => {
    subsetOf[pos] = j;
    desired[j]--;
    for (let p = rowPairs.start[pos]; p < rowPairs.start[pos + 1]; p++) {
      const l = rowPairs.pairs[p];
      desiredPair[j][l]--;
      remaining[l]--;
    }
  };
  /** The open subset with the highest primary score, then secondary; remaining ties at random. */
  const pick = (primary: (j: number) => number, secondary: (j: number) => number): number => {
    let best: number[] = [];
    for (const j of open) {
      if (best.length === 0) best = [j];
      else {
        const dp = primary(j) - primary(best[0]);
        const d = Math.abs(dp) > 1e-9 ? dp : secondary(j) - secondary(best[0]);
        if (d > 1e-9) best = [j];
        else if (d >= -1e-9) best.push(j);
      }
    }
    return best.length === 1 ? best[0] : best[rng.int(best.length)];
  };
  const wanted = (j: number): number => desired[j];

  // Pairs in a random order, so that ties between equally rare pairs fall at random.
  const pairOrder = rng.permutation(pairCount);
  for (;;) {
    let rarest = -1;
    for (const l of pairOrder) if (remaining[l] > 0 && (rarest < 0 || remaining[l] < remaining[rarest])) rarest = l;
    if (rarest < 0) break;
    const wantedPair = (j: number): number => desiredPair[j][rarest];
    for (let p = pairStart[rarest]; p < pairStart[rarest + 1]; p++) {
      const pos = pairRows[p];
      if (subsetOf[pos] < 0) assign(pos, pick(wantedPair, wanted));
    }
  }
  // Rows without any label go wherever most rows are still wanted.
  for (let pos = 0; pos < n; pos++) if (subsetOf[pos] < 0) assign(pos, pick(wanted, () => 0));

  const sizes = new Int32Array(k);
  for (let pos = 0; pos < n; pos++) sizes[subsetOf[pos]]++;
  const out = Array.from(sizes, (size) => new Int32Array(size));
  const fill = new Int32Array(k);
  for (let pos = 0; pos < n; pos++) out[subsetOf[pos]][fill[subsetOf[pos]]++] = order[pos];
  for (const subset of out) subset.sort();
  return out;
}

/** For each (task, class) pair, the positions (into `order`) of the rows that have it, in CSR form. */
function pairIndex(order: Int32Array, labels: TaskLabels[]) {
  const offsets: number[] = [];
  let pairCount = 0;
  for (const l of labels) {
    offsets.push(pairCount);
    pairCount += l.type === 'multilabel' ? l.targets.length / l.mask.length : maxClass(l.classIndex) + 1;
  }
  const counts = new Int32Array(pairCount + 1);
  const visit = (cb: (pair: number, pos: number) => void): void => {
    labels.forEach((l, t) => {
      for (let pos = 0; pos < order.length; pos++) {
        const row = order[pos];
        if (l.type !== 'multilabel') {
          const c = l.classIndex[row];
          if (c >= 0) cb(offsets[t] + c, pos);
        } else if (l.mask[row]) {
          const k = l.targets.length / l.mask.length;
          for (let c = 0; c < k; c++) if (l.targets[row * k + c] > 0) cb(offsets[t] + c, pos);
        }
      }
    });
  };
  visit((pair) => counts[pair + 1]++);
  for (let l = 0; l < pairCount; l++) counts[l + 1] += counts[l];
  const pairStart = Int32Array.from(counts);
  const pairRows = new Int32Array(counts[pairCount]);
  const fill = Int32Array.from(counts);
  visit((pair, pos) => (pairRows[fill[pair]++] = pos));
  return { pairStart, pairRows, pairCount };
}

/** From pair → rows to row → pairs. */
function invert(pairStart: Int32Array, pairRows: Int32Array, n: number, pairCount: number) {
  const start = new Int32Array(n + 1);
  for (const pos of pairRows) start[pos + 1]++;
  for (let i = 0; i < n; i++) start[i + 1] += start[i];
  const pairs = new Int32Array(pairRows.length);
  const fill = Int32Array.from(start);
  for (let l = 0; l < pairCount; l++) for (let p = pairStart[l]; p < pairStart[l + 1]; p++) pairs[fill[pairRows[p]]++] = l;
  return { start, pairs };
}

function maxClass(classIndex: Int32Array): number {
  let max = -1;
  for (const c of classIndex) if (c > max) max = c;
  return max;
}
