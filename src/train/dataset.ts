/**
 * Encoded rows with their labels, and the batches cut from them: contiguous typed arrays gathered
 * by row index, wrapped as runtime tensors under the names the network graph expects.
 */
import type { TaskLabels } from '../data/schema.js';
import { imageInputName, normalizeImages, type EncodedFeatures } from '../features/index.js';
import { makeTensor, type RuntimeTensor } from '../runtime/session.js';
import { CATEGORICAL, labelInputs, NUMERIC } from './network.js';

export interface Dataset {
  features: EncodedFeatures;
  /** One per task, in the network's task order. */
  labels: TaskLabels[];
}

export function featureFeeds(f: EncodedFeatures, rows: Int32Array | null, fields: number): Record<string, RuntimeTensor> {
  const n = rows ? rows.length : f.rowCount;
  const feeds: Record<string, RuntimeTensor> = {};
  if (f.numericWidth > 0) {
    const w = f.numericWidth;
    const x = rows ? new Float32Array(n * w) : f.numeric;
    if (rows) for (let k = 0; k < n; k++) x.set(f.numeric.subarray(rows[k]! * w, rows[k]! * w + w), k * w);
    feeds[NUMERIC] = makeTensor('float32', x, [n, w]);
  }
  if (fields > 0) {
    const c = new BigInt64Array(n * fields);
    for (let k = 0; k < n; k++) {
      const r = rows ? rows[k]! : k;
      for (let j = 0; j < fields; j++) c[k * fields + j] = BigInt(f.categorical[r * fields + j]!);
    }
    feeds[CATEGORICAL] = makeTensor('int64', c, [n, fields]);
  }
  for (const block of f.images ?? []) {
    feeds[imageInputName(block.column)] = makeTensor('float32', normalizeImages(block, rows), [n, 3, block.height, block.width]);
  }
  return feeds;
}

export function labelFeeds(labels: TaskLabels[], rows: Int32Array): Record<string, RuntimeTensor> {
  const n = rows.length;
  const feeds: Record<string, RuntimeTensor> = {};
  labels.forEach((l, t) => {
    const names = labelInputs(t);
    if (l.type === 'multilabel') {
      const k = l.targets.length / l.mask.length;
      const y = new Float32Array(n * k);
      const m = new Float32Array(n);
      for (let i = 0; i < n; i++) {
        y.set(l.targets.subarray(rows[i]! * k, rows[i]! * k + k), i * k);
        m[i] = l.mask[rows[i]!]!;
      }
      feeds[names.targets] = makeTensor('float32', y, [n, k]);
      feeds[names.mask] = makeTensor('float32', m, [n]);
    } else {
      const y = new BigInt64Array(n);
      for (let i = 0; i < n; i++) y[i] = BigInt(l.classIndex[rows[i]!]!);
      feeds[names.label] = makeTensor('int64', y, [n]);
    }
  });
  return feeds;
}
