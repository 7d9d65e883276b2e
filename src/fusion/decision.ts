/**
 * A decision rule for single-label tasks judged by macro-F1: the argmax of p maximises expected
 * accuracy, while macro-F1 rewards predicting rare classes more often (its optimal decision is not
 * the argmax: Lipton, Elkan & Naryanaswamy, "Optimal Thresholding of Classifiers to Maximize F1",
 * 2014). The rule divides the fused probabilities by the class priors raised to a power α and
 * renormalises, q_c ∝ p_c·π_c^(−α) — per-class offsets −α·log π_c on the log probabilities before the
 * argmax; α = 1 would be the balanced-class decision. One α per task is fitted on the rows the fusion
 * is fitted on (never test rows): the one with the best macro-F1 there whose accuracy there is not
 * below the argmax's. One parameter, because per-class offsets fitted freely (coordinate ascent)
 * overfit a share of a few thousand rows: on Adult they raised the share's macro-F1 and lost test accuracy.
 */
import { EPS } from './logistic.js';

/** Steps of 0.01: on Adult's out-of-fold rows a grid of 0.05 found no power at no accuracy loss for either macro-F1 task; this one finds one for relationship. */
const ALPHAS = Array.from({ length: 100 }, (_, i) => (i + 1) / 100);

interface Counts {
  macroF1: number;
  accuracy: number;
}

/** Macro-F1 (classes true or predicted) and accuracy of `predicted` against `y`, over the labelled rows. */
function score(predicted: Int32Array, y: Int32Array, classes: number): Counts {
  const tp = new Float64Array(classes);
  const truth = new Float64Array(classes);
  const made = new Float64Array(classes);
  let n = 0;
  for (let i = 0; i < y.length; i++) {
    const t = y[i]!;
    if (t < 0) continue;
    n++;
    truth[t]!++;
    made[predicted[i]!]!++;
    if (predicted[i] === t) tp[t]!++;
  }
  let f1 = 0;
  let counted = 0;
  let right = 0;
  for (let c = 0; c < classes; c++) {
    right += tp[c]!;
    if (truth[c]! + made[c]! === 0) continue;
    counted++;
    f1 += (2 * tp[c]!) / (truth[c]! + made[c]!);
  }
  return { macroF1: counted === 0 ? 0 : f1 / counted, accuracy: n === 0 ? 0 : right / n };
}

function argmaxWith(logp: Float64Array, rows: number, classes: number, offsets: Float64Array, out: Int32Array): Int32Array {
  for (let i = 0; i < rows; i++) {
    let best = 0;
    let top = -Infinity;
    for (let c = 0; c < classes; c++) {
      const v = logp[i * classes + c]! + offsets[c]!;
      if (v > top) [best, top] = [c, v];
    }
    out[i] = best;
  }
  return out;
}

export interface Decision {
  alpha: number;
  /** −α·log π_c per class, float32. */
  offsets: number[];
}

/** The prior power α (0: the argmax) with the best macro-F1 on these rows at no loss of accuracy on them. */
export function fitDecision(probs: Float32Array, y: Int32Array, classes: number): Decision {
  const rows = y.length;
  const logp = Float64Array.from(probs, (p) => Math.log(Math.max(p, EPS)));
  const counts = new Float64Array(classes);
  for (const c of y) if (c >= 0) counts[c]!++;
  const total = counts.reduce((a, b) => a + b, 0);
  const logPrior = Array.from(counts, (n) => Math.log(Math.max(n, 1) / total));
  const predicted = new Int32Array(rows);
  const argmax = score(argmaxWith(logp, rows, classes, new Float64Array(classes), predicted), y, classes);
  let best: Decision = { alpha: 0, offsets: new Array<number>(classes).fill(0) };
  let top = argmax.macroF1;
  for (const alpha of ALPHAS) {
    const offsets = Float64Array.from(logPrior, (l) => Math.fround(-alpha * l));
    const s = score(argmaxWith(logp, rows, classes, offsets, predicted), y, classes);
    if (s.accuracy >= argmax.accuracy && s.macroF1 > top) [best, top] = [{ alpha, offsets: Array.from(offsets) }, s.macroF1];
  }
  return best;
}

/** q_c ∝ p_c·e^{o_c}, row by row, with the float32 factors the ONNX graph multiplies by. */
export function applyOffsets(probs: Float32Array, offsets: readonly number[]): Float32Array {
  const classes = offsets.length;
  const factor = offsets.map((o) => Math.fround(Math.exp(o)));
  const out = new Float32Array(probs.length);
  for (let i = 0; i < probs.length; i += classes) {
    let sum = 0;
    for (let c = 0; c < classes; c++) sum += Math.fround(probs[i + c]! * factor[c]!);
    for (let c = 0; c < classes; c++) out[i + c] = Math.fround(probs[i + c]! * factor[c]!) / sum;
  }
  return out;
}
