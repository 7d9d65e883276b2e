/** Probabilities for every row of a dataset, in chunks through the evaluation graph. */
import type { EncodedFeatures } from '../features/index.js';
import type { RuntimeTensor } from '../runtime/session.js';
import { tensorData } from '../runtime/session.js';
import { featureFeeds } from './dataset.js';
import type { Forward } from './forward.js';
import { probabilityOutput, type NetworkSpec } from './network.js';

const CHUNK = 4096;
/** Rows per run when images are fed: a conv block's activations are ~100 KB a row at 48 × 48. */
const IMAGE_CHUNK = 256;

export async function predictProbabilities(
  forward: Forward,
  params: Record<string, RuntimeTensor>,
  spec: NetworkSpec,
  features: EncodedFeatures,
): Promise<Float32Array[]> {
  const n = features.rowCount;
  const out = spec.tasks.map((t) => new Float32Array(n * t.outputs));
  const chunk = features.images?.length ? IMAGE_CHUNK : CHUNK;
  for (let start = 0; start < n; start += chunk) {
    const rows = Int32Array.from({ length: Math.min(chunk, n - start) }, (_, i) => start + i);
    const res = await forward.run(featureFeeds(features, rows, spec.fields.length), params);
    spec.tasks.forEach((t, i) => out[i]!.set(tensorData(res[probabilityOutput(i)]!) as Float32Array, start * t.outputs));
  }
  return out;
}
