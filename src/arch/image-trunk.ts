/**
 * Image trunks: what turns an image input [batch, 3, H, W] into a feature vector that joins the
 * table's features in the input layer, so image and table features meet in one shared
 * representation under every architecture.
 *
 * small-cnn: conv blocks (3×3 conv → group norm → ReLU → 2×2 max pool) while the smaller side stays
 * at 4 pixels or more after the pool, at most four blocks, 16, 32, 64, 64 filters; then global average
 * pooling. 48 × 48 images get three blocks (48 → 24 → 12 → 6) and a 64-wide vector; 16 × 16 two.
 */
import { OptionError } from '../errors.js';
import { globalAvgPool2d, reshape, type Tensor } from '../graph/index.js';
import type { BuildContext } from '../nn/context.js';
import { convBlock } from '../nn/conv.js';
import type { ArchImage } from './architecture.js';

export const IMAGE_TRUNKS = ['small-cnn'] as const;
export type ImageTrunk = (typeof IMAGE_TRUNKS)[number];

const FILTERS = [16, 32, 64, 64];

/** The filters of each block of small-cnn for an image of this size. */
export function smallCnnFilters(height: number, width: number): number[] {
  let side = Math.min(height, width);
  const filters: number[] = [];
  while (filters.length < FILTERS.length && (filters.length === 0 ? side >= 2 : Math.floor(side / 2) >= 4)) {
    filters.push(FILTERS[filters.length]!);
    side = Math.floor(side / 2);
  }
  return filters;
}

function checkTrunk(trunk: string): asserts trunk is ImageTrunk {
  if (!(IMAGE_TRUNKS as readonly string[]).includes(trunk)) {
    throw new OptionError('unknown-image-trunk', `unknown image trunk '${trunk}'; choose one of: ${IMAGE_TRUNKS.join(', ')}`, { value: trunk, allowed: [...IMAGE_TRUNKS] });
  }
}

/** Width of the vector the trunk makes of one image. */
export function imageFeatureWidth(image: Pick<ArchImage, 'height' | 'width'>, trunk: string): number {
  checkTrunk(trunk);
  return smallCnnFilters(image.height, image.width).at(-1) ?? 3;
}

/** [batch, imageFeatureWidth] for one image input; parameters under `${prefix}.${image.name}`. */
export function imageFeatures(ctx: BuildContext, prefix: string, image: ArchImage, trunk: string): Tensor {
  checkTrunk(trunk);
  let h = image.tensor;
  smallCnnFilters(image.height, image.width).forEach((filters, i) => (h = convBlock(ctx, `${prefix}.${image.name}.block${i}`, h, { filters })));
  return reshape(globalAvgPool2d(h), [h.shape[0]!, h.shape[1]!]);
}
