/**
 * The best split of a node from its histograms. The gain is the Newton loss reduction
 * Σ_k G_Lk²/(H_Lk + λ) + G_Rk²/(H_Rk + λ) − G_k²/(H_k + λ), summed over the searched outputs k
 * (one for a per-task tree, all or a sketch of them for a shared tree).
 * Numeric features: every bin boundary, with the missing bin tried on either side (its learned
 * default direction), and "all values left, missing right". Categorical features (as scikit-learn's
 * HGB and LightGBM): categories with enough support are sorted by G/(H + 10) and the prefixes of
 * that order are scanned from both ends up to the middle; the missing bin is one more category;
 * for several outputs each output's order is tried.
 */
import type { BinnedInputs } from './binning.js';
import { strideOf } from './histogram.js';

export interface SplitParams {
  minLeaf: number;
  /** The least Hessian sum of a child, and of one output in a node for it to score (see term); positive. */
  minHessian: number;
  l2: number;
  minGain: number;
}

/** scikit-learn's categorical smoothing (LightGBM's cat_smooth). */
const CAT_SMOOTH = 10;

export interface SplitCandidate {
  gain: number;
  feature: number;
  /** Numeric: bins 0 .. bin go left (bin = valueBins - 1: every value left, missing right). -1: categorical. */
  bin: number;
  missingLeft: boolean;
  /** Categorical: the bins that go left (the missing bin among them when missing goes left). */
  catBins: Int32Array;
  /** The left child's [count, g0, h0, ...] over the searched outputs. */
  left: Float64Array;
}

export const emptyCandidate = (outputs: number): SplitCandidate => ({
  gain: -Infinity, feature: -1, bin: -1, missingLeft: false, catBins: new Int32Array(0), left: new Float64Array(strideOf(outputs)),
});

/**
 * One output's score G²/(H + λ) in a node. An output whose Hessian sum there is below `minHessian`
 * scores 0 and gets leaf value 0 (leafValue): in a shared tree a split chosen for the other outputs
 * can leave one output a child where all its rows have p ≈ 0 (a rare class), and the Newton step
 * −G/H there ran to 1e14 (Adult marital-status: split gains of 1e17 and rows pushed into that class).
 */
export const term = (g: number, h: number, l2: number, minHessian: number): number => (h >= minHessian ? (g * g) / (h + l2) : 0);

/** The Newton leaf value −lr · G/(H + λ), 0 where the output's Hessian is below `minHessian` (see term). */
export const leafValue = (g: number, h: number, l2: number, lr: number, minHessian: number): number => (h >= minHessian ? (-lr * g) / (h + l2) : 0);

export function nodeScore(total: Float64Array, outputs: number, p: Pick<SplitParams, 'l2' | 'minHessian'>): number {
  let s = 0;
  for (let k = 0; k < outputs; k++) s += term(total[1 + 2 * k]!, total[2 + 2 * k]!, p.l2, p.minHessian);
  return s;
}

/**
 * Gain of the left sums `l` against `total`, or -Infinity when a child is below the minimum rows or
 * Hessian. Runs for every bin of every node: `term` written out, one pass over the outputs.
 */
function gainLeft(l: Float64Array, total: Float64Array, outputs: number, p: SplitParams, parent: number): number {
  const nl = l[0]!;
  if (nl < p.minLeaf || total[0]! - nl < p.minLeaf) return -Infinity;
  const { l2, minHessian } = p;
  let s = 0;
  let hl = 0;
  let hr = 0;
  for (let gi = 1, end = 1 + 2 * outputs; gi < end; gi += 2) {
    const g = l[gi]!;
    const h = l[gi + 1]!;
    const gr = total[gi]! - g;
    const hrk = total[gi + 1]! - h;
    hl += h;
    hr += hrk;
    s += (h >= minHessian ? (g * g) / (h + l2) : 0) + (hrk >= minHessian ? (gr * gr) / (hrk + l2) : 0);
  }
  if (hl < minHessian || hr < minHessian) return -Infinity;
  return s - parent;
}

/** gainLeft of the left sums `l` plus the bin at `m` of `hist` (the missing bin). */
function gainWith(l: Float64Array, hist: Float64Array, m: number, total: Float64Array, outputs: number, p: SplitParams, parent: number): number {
  const nl = l[0]! + hist[m]!;
  if (nl < p.minLeaf || total[0]! - nl < p.minLeaf) return -Infinity;
  let s = 0;
  let hl = 0;
  let hr = 0;
  for (let k = 0; k < outputs; k++) {
    const gi = 1 + 2 * k;
    const g = l[gi]! + hist[m + gi]!;
    const h = l[gi + 1]! + hist[m + gi + 1]!;
    hl += h;
    hr += total[gi + 1]! - h;
    s += term(g, h, p.l2, p.minHessian) + term(total[gi]! - g, total[gi + 1]! - h, p.l2, p.minHessian);
  }
  if (hl < p.minHessian || hr < p.minHessian) return -Infinity;
  return s - parent;
}

function record(best: SplitCandidate, gain: number, feature: number, bin: number, missingLeft: boolean, l: Float64Array, hist: Float64Array, m: number, withM: boolean): void {
  best.gain = gain;
  best.feature = feature;
  best.bin = bin;
  best.missingLeft = missingLeft;
  for (let j = 0; j < l.length; j++) best.left[j] = l[j]! + (withM ? hist[m + j]! : 0);
}

function isZero(hist: Float64Array, from: number, to: number): boolean {
  for (let i = from; i < to; i++) if (hist[i] !== 0) return false;
  return true;
}

function scanNumeric(hist: Float64Array, data: BinnedInputs, f: number, total: Float64Array, outputs: number, p: SplitParams, parent: number, best: SplitCandidate, l: Float64Array): void {
  const s = strideOf(outputs);
  const nb = data.features[f]!.valueBins;
  const base = data.offsets[f]! * s;
  const m = base + nb * s;
  const hasMissing = hist[m]! > 0;
  l.fill(0);
  for (let b = 0; b < nb; b++) {
    const at = base + b * s;
    for (let j = 0; j < s; j++) l[j] += hist[at + j]!;
    // The right child only shrinks from here on: once below the minimum rows, no later bin passes.
    if (total[0]! - l[0]! < p.minLeaf) break;
    // A bin holding nothing leaves the left sums as they were at the bin before, whose candidates
    // scored the same gains: the strict comparisons below would keep those.
    if (b > 0 && hist[at] === 0 && isZero(hist, at + 1, at + s)) continue;
    if (b < nb - 1 || hasMissing) {
      const g = gainLeft(l, total, outputs, p, parent);
      // With no missing row here either side is as good; NaN then follows the larger child (as HGB).
      if (g > best.gain) record(best, g, f, b, !hasMissing && l[0]! >= total[0]! - l[0]!, l, hist, m, false);
    }
    if (hasMissing && b < nb - 1) {
      const g = gainWith(l, hist, m, total, outputs, p, parent);
      if (g > best.gain) record(best, g, f, b, true, l, hist, m, true);
    }
  }
}

/** Scratch of the categorical scan, grown to the widest feature: no allocation per node and feature. */
const catScratch = { used: new Int32Array(0), value: new Float64Array(0), order: new Int32Array(0) };

/**
 * `order` = the first `count` bins of `used` (increasing) by increasing value, ties by bin: an
 * insertion sort, stable, so ties keep their increasing bins. A node has a few dozen categories at
 * most, sorted once per output; a typed array's sort with a comparator cost more than the scan.
 */
function sortByValue(used: Int32Array, count: number, value: Float64Array, order: Int32Array): void {
  for (let i = 0; i < count; i++) {
    const b = used[i]!;
    const v = value[b]!;
    let j = i;
    for (; j > 0 && value[order[j - 1]!]! > v; j--) order[j] = order[j - 1]!;
    order[j] = b;
  }
}

function scanCategorical(hist: Float64Array, data: BinnedInputs, f: number, total: Float64Array, outputs: number, p: SplitParams, parent: number, best: SplitCandidate, l: Float64Array): void {
  const s = strideOf(outputs);
  const nb = data.features[f]!.valueBins;
  const base = data.offsets[f]! * s;
  if (catScratch.used.length < nb + 1) catScratch.used = new Int32Array(nb + 1);
  if (catScratch.value.length < nb + 1) catScratch.value = new Float64Array(nb + 1);
  if (catScratch.order.length < nb + 1) catScratch.order = new Int32Array(nb + 1);
  const { used, value, order } = catScratch;
  let totalH = 0;
  for (let k = 0; k < outputs; k++) totalH += total[2 + 2 * k]!;
  const support = totalH > 0 ? total[0]! / totalH : 0;
  let count = 0;
  for (let b = 0; b <= nb; b++) {
    let h = 0;
    for (let k = 0; k < outputs; k++) h += hist[base + b * s + 2 + 2 * k]!;
    if (hist[base + b * s]! > 0 && h * support >= CAT_SMOOTH) used[count++] = b;
  }
  if (count <= 1) return;
  for (let k = 0; k < outputs; k++) {
    for (let i = 0; i < count; i++) {
      const b = used[i]!;
      value[b] = hist[base + b * s + 1 + 2 * k]! / (hist[base + b * s + 2 + 2 * k]! + CAT_SMOOTH);
    }
    sortByValue(used, count, value, order);
    for (const forward of [true, false]) {
      const middle = forward ? (count + 1) >> 1 : ((count + 1) >> 1) - 1;
      l.fill(0);
      for (let i = 0; i < middle; i++) {
        const b = order[forward ? i : count - 1 - i]!;
        for (let j = 0; j < s; j++) l[j] += hist[base + b * s + j]!;
        if (total[0]! - l[0]! < p.minLeaf) break;
        const g = gainLeft(l, total, outputs, p, parent);
        if (g > best.gain) {
          record(best, g, f, -1, false, l, hist, 0, false);
          best.catBins = forward ? order.slice(0, i + 1) : order.slice(count - 1 - i, count);
          best.missingLeft = best.catBins.includes(nb);
        }
      }
    }
  }
}

/** The best split of a node over `features` into `best` (gain -Infinity when none passes the limits). */
export function findBestSplit(hist: Float64Array, data: BinnedInputs, features: Int32Array, total: Float64Array, outputs: number, p: SplitParams, best: SplitCandidate): void {
  best.gain = -Infinity;
  best.feature = -1;
  const parent = nodeScore(total, outputs, p);
  const l = new Float64Array(strideOf(outputs));
  for (let q = 0; q < features.length; q++) {
    const f = features[q]!;
    if (data.features[f]!.kind === 'numeric') scanNumeric(hist, data, f, total, outputs, p, parent, best, l);
    else scanCategorical(hist, data, f, total, outputs, p, parent, best, l);
  }
  if (best.gain <= p.minGain || best.gain <= 0) best.gain = -Infinity;
}

/** Per bin of the split feature (value bins, then missing): 1 when a row in that bin goes left. */
export function leftBins(c: SplitCandidate, data: BinnedInputs): Uint8Array {
  const nb = data.features[c.feature]!.valueBins;
  const goLeft = new Uint8Array(nb + 1);
  if (c.bin >= 0) {
    goLeft.fill(1, 0, c.bin + 1);
    goLeft[nb] = c.missingLeft ? 1 : 0;
  } else for (const b of c.catBins) goLeft[b] = 1;
  return goLeft;
}
