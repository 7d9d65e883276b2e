/**
 * The input layer: the numeric block as it is, beside one embedding per categorical field and the
 * image trunk's vector of each image input. All fields share one table of Σ cardinalities rows;
 * adding each field's row offset to its indices lets a single gather look every field up, and the
 * result is flattened to [batch, fields·dim].
 */
import { add, concat, reshape, type Tensor } from '../graph/index.js';
import type { BuildContext } from '../nn/context.js';
import { embedding } from '../nn/layers.js';
import type { ArchInput, ArchOptions } from './architecture.js';
import { imageFeatureWidth, imageFeatures } from './image-trunk.js';

type InputOptions = Pick<ArchOptions, 'embeddingDim' | 'imageTrunk'>;
const DEFAULT_TRUNK = 'small-cnn';

/** The shared embedding width: min(16, ⌈1.6·card^0.56⌉) of the largest cardinality, unless given. */
export function embeddingDim(fields: ArchInput['fields'], override?: number): number {
  if (override !== undefined) return override;
  const largest = Math.max(1, ...fields.map((f) => f.cardinality));
  return Math.min(16, Math.ceil(1.6 * largest ** 0.56));
}

/** Row offset of each field in the shared table. */
export function fieldOffsets(fields: ArchInput['fields']): number[] {
  let at = 0;
  return fields.map((f) => {
    const start = at;
    at += f.cardinality;
    return start;
  });
}

/** Width of the input layer's output. */
export function inputWidth(input: ArchInput, options: InputOptions): number {
  const numeric = (input.numeric?.shape[1] as number | undefined) ?? 0;
  const images = (input.images ?? []).reduce((s, image) => s + imageFeatureWidth(image, options.imageTrunk ?? DEFAULT_TRUNK), 0);
  return numeric + images + (input.fields.length > 0 ? input.fields.length * embeddingDim(input.fields, options.embeddingDim) : 0);
}

/** Each image input through the trunk: [batch, width] per image, parameters under `${prefix}.image`. */
export function imageParts(ctx: BuildContext, prefix: string, input: ArchInput, options: InputOptions): Tensor[] {
  return (input.images ?? []).map((image) => imageFeatures(ctx, `${prefix}.image`, image, options.imageTrunk ?? DEFAULT_TRUNK));
}

/**
 * [batch, numericWidth + fields·dim + image widths]. The table is `${prefix}.embedding.table`; a prefix per
 * network lets single-task give each task its own.
 */
export function inputLayer(ctx: BuildContext, prefix: string, input: ArchInput, options: InputOptions): Tensor {
  const parts: Tensor[] = [];
  if (input.numeric) parts.push(input.numeric);
  if (input.categorical && input.fields.length > 0) {
    const dim = embeddingDim(input.fields, options.embeddingDim);
    const offsets = fieldOffsets(input.fields);
    const rows = input.fields.reduce((s, f) => s + f.cardinality, 0);
    const shifted = add(input.categorical, ctx.graph.constant(offsets, 'int64', [offsets.length]));
    const vectors = embedding(ctx, `${prefix}.embedding`, shifted, rows, dim);
    parts.push(reshape(vectors, [input.categorical.shape[0]!, input.fields.length * dim]));
  }
  parts.push(...imageParts(ctx, prefix, input, options));
  return parts.length === 1 ? parts[0]! : concat(parts, 1);
}
