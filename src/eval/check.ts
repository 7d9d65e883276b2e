/**
 * Input checks shared by the metric functions: shapes, label ranges, finite probabilities.
 * Metrics take plain typed arrays, so they validate here once, at their boundary.
 */
import { OptionError } from '../errors.js';

/**
 * Number of classes C of single-label probabilities `probs` ([n × C], row-major) for `labels`
 * (n class indices, -1 = missing). Throws when the shapes disagree, a label is out of range or a
 * probability of a labelled row is not finite.
 */
export function classCount(probs: Float32Array, labels: Int32Array): number {
  const n = labels.length;
  if (n === 0) {
    throw new OptionError('eval-empty', 'cannot evaluate zero rows: labels is empty', { rows: 0 });
  }
  const c = probs.length / n;
  if (!Number.isInteger(c) || c < 2) {
    throw new OptionError(
      'eval-shape',
      `probs has ${probs.length} values for ${n} labels; expected n × C values with C ≥ 2 classes`,
      { probs: probs.length, labels: n },
    );
  }
  for (let i = 0; i < n; i++) {
    const y = labels[i]!;
    if (y === -1) continue;
    if (y < 0 || y >= c) {
      throw new OptionError('eval-label-range', `label ${y} at row ${i} is outside 0..${c - 1} (or -1 for missing)`, {
        row: i,
        label: y,
        classes: c,
      });
    }
    checkFiniteRow(probs, i, c);
  }
  return c;
}

/**
 * Number of labels K of multi-label `probs` ([n × K]) with `targets` ([n × K], 0/1) and `mask`
 * (n rows, 1 = used). Used rows must have finite probabilities and targets that are exactly 0 or 1.
 */
export function labelCount(probs: Float32Array, targets: Float32Array, mask: Uint8Array): number {
  const n = mask.length;
  if (n === 0) {
    throw new OptionError('eval-empty', 'cannot evaluate zero rows: mask is empty', { rows: 0 });
  }
  const k = probs.length / n;
  if (!Number.isInteger(k) || k < 1 || targets.length !== probs.length) {
    throw new OptionError(
      'eval-shape',
      `probs (${probs.length} values) and targets (${targets.length}) must both hold n × K values for n = ${n} mask rows`,
      { probs: probs.length, targets: targets.length, rows: n },
    );
  }
  for (let i = 0; i < n; i++) {
    if (mask[i] !== 1) continue;
    checkFiniteRow(probs, i, k);
    for (let j = i * k; j < (i + 1) * k; j++) {
      const t = targets[j]!;
      if (t !== 0 && t !== 1) {
        throw new OptionError('eval-target-value', `target ${t} at row ${i}, label ${j - i * k} must be 0 or 1`, {
          row: i,
          label: j - i * k,
          value: t,
        });
      }
    }
  }
  return k;
}

function checkFiniteRow(probs: Float32Array, row: number, width: number): void {
  for (let j = row * width; j < (row + 1) * width; j++) {
    if (!Number.isFinite(probs[j]!)) {
      throw new OptionError('eval-non-finite', `probability ${probs[j]} at row ${row}, column ${j - row * width} is not finite`, {
        row,
        column: j - row * width,
        value: probs[j],
      });
    }
  }
}
