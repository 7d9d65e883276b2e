/**
 * The held-out share a fusion is fitted on: a stratified part of the training rows that no member is
 * trained or early-stopped on, so the fusion weights are fitted on honest predictions. The feature
 * plan stays the one fitted on all training rows: it reads no labels, so the share's labels reach no
 * member.
 */
import { splitRows } from '../data/split.js';
import type { TaskLabels } from '../data/schema.js';
import type { EncodedFeatures } from '../features/index.js';
import { labelsAt } from '../fusion/index.js';
import { TrainingError } from '../errors.js';
import type { PreparedData } from '../train/prepare.js';

/** The rows a fusion is fitted on: raw rows of `data.table` and their labels, per task. */
export interface FusionRows {
  rows: Int32Array;
  labels: TaskLabels[];
  /** A held-out share, (one member, nothing to weigh) the validation rows, or the out-of-fold training rows of bagged members. */
  source: 'fusion share' | 'validation rows' | 'out-of-fold';
}

export interface FusionShare extends FusionRows {
  /** The data the members train on: the training rows without the share. */
  members: PreparedData;
  source: 'fusion share' | 'validation rows';
}

function pickFeatures(f: EncodedFeatures, at: Int32Array, fields: number): EncodedFeatures {
  const numeric = new Float32Array(at.length * f.numericWidth);
  const categorical = new Int32Array(at.length * fields);
  at.forEach((r, i) => {
    numeric.set(f.numeric.subarray(r * f.numericWidth, (r + 1) * f.numericWidth), i * f.numericWidth);
    categorical.set(f.categorical.subarray(r * fields, (r + 1) * fields), i * fields);
  });
  const images = f.images?.map((block) => {
    const size = block.height * block.width * 3;
    const pixels = new Uint8Array(at.length * size);
    at.forEach((r, i) => pixels.set(block.pixels.subarray(r * size, (r + 1) * size), i * size));
    return { ...block, pixels };
  });
  return { rowCount: at.length, numeric, numericWidth: f.numericWidth, categorical, ...(images ? { images } : {}) };
}

/**
 * One member has nothing to weigh: it trains on every training row, and its identity "fusion" is
 * fitted on the validation rows (else a share is held out as for several members).
 */
export function fusionRows(p: PreparedData, members: number, share: number, seed: number): FusionShare {
  if (members === 1 && p.rows.valid && p.valid) return { members: p, rows: p.rows.valid, labels: p.valid.labels, source: 'validation rows' };
  return carveFusionShare(p, share, seed);
}

export function carveFusionShare(p: PreparedData, share: number, seed: number): FusionShare {
  const n = p.train.features.rowCount;
  const parts = splitRows(n, p.train.labels, { seed: seed + 1, validFraction: share, testFraction: 0 });
  if (parts.valid.length === 0 || parts.train.length === 0) {
    throw new TrainingError('fusion-share-empty', `a fusion share of ${share} of ${n} training rows leaves ${parts.valid.length} rows to fit the fusion on and ${parts.train.length} to train the members on; give more rows or another --fusion-share`, { rows: n, share });
  }
  return { members: trainingSubset(p, parts.train), rows: Int32Array.from(parts.valid, (i) => p.rows.train[i]!), labels: p.train.labels.map((l) => labelsAt(l, parts.valid)), source: 'fusion share' };
}

/** `p` with only the training rows at positions `at` (of `p.train`); validation and test rows as they are. */
export function trainingSubset(p: PreparedData, at: Int32Array): PreparedData {
  const fields = p.plan.categoricalFields.length;
  return {
    ...p,
    train: { features: pickFeatures(p.train.features, at, fields), labels: p.train.labels.map((l) => labelsAt(l, at)) },
    rows: { ...p.rows, train: Int32Array.from(at, (i) => p.rows.train[i]!) },
  };
}
