/**
 * Applying a fitted plan in JS: the encoded float and int blocks the trainer feeds. Columns are
 * found by name and converted when their type differs from fit time; the layout is the one
 * documented in plan.ts, and featurePlanToOnnx computes the same numbers.
 */
import type { Table } from '../data/table.js';
import { cardinalityOf, categoryIndices, oneHotInto } from './categorical.js';
import { findColumn, numericValues, resolveRows, stringView } from './columns.js';
import { PART_CARDINALITY, parseDates, type DatetimeStep } from './datetime.js';
import { encodeImage, type ImageBlock } from './image.js';
import { indicatorInto } from './numeric.js';
import { numericInto, numericWidthOf } from './piecewise-linear.js';
import type { FeaturePlan } from './plan.js';
import { textInto } from './text.js';

export interface EncodedFeatures {
  rowCount: number;
  /** Row-major `[rowCount × numericWidth]`, named by `plan.numericNames`. */
  numeric: Float32Array;
  numericWidth: number;
  /** Row-major `[rowCount × plan.categoricalFields.length]` indices (0 = unknown). */
  categorical: Int32Array;
  /** One block per `plan.image` step (encodeFeatures); absent or empty when the plan has none. */
  images?: ImageBlock[];
}

/** A row-major block being filled column by column. */
interface Block<T> {
  data: T;
  width: number;
  col: number;
}

function applyDatetime(step: DatetimeStep, table: Table, rows: Int32Array, clip: number, float: Block<Float32Array>, int: Block<Int32Array>): void {
  const dates = parseDates(stringView(findColumn(table, step.column)), rows);
  numericInto(dates.year, step.year, clip, float.data, float.width, float.col++);
  if (step.year.missingIndicator) indicatorInto(dates.year, float.data, float.width, float.col++);
  for (const { part, encoding } of step.parts) {
    if (encoding === 'one-hot') {
      oneHotInto(dates[part], PART_CARDINALITY[part], float.data, float.width, float.col);
      float.col += PART_CARDINALITY[part];
    }
  }
  for (const { part, encoding } of step.parts) {
    if (encoding === 'embedding') copyInto(dates[part], int, int.col++);
  }
}

function copyInto(values: Int32Array, block: Block<Int32Array>, col: number): void {
  for (let i = 0, o = col; i < values.length; i++, o += block.width) block.data[o] = values[i]!;
}

/**
 * Encodes `rows` of `table` (all rows when omitted), image columns aside (see encodeFeatures). A missing column is a DataError naming it;
 * unseen categories go to the unknown bucket 0, unseen tokens are dropped.
 */
export function applyFeaturePlan(plan: FeaturePlan, table: Table, rows?: Int32Array): EncodedFeatures {
  const picked = resolveRows(table, rows);
  const n = picked.length;
  const clip = plan.options.clip;
  const numericWidth = plan.numericNames.length;
  const fields = plan.categoricalFields.length;
  const float: Block<Float32Array> = { data: new Float32Array(n * numericWidth), width: numericWidth, col: 0 };
  const int: Block<Int32Array> = { data: new Int32Array(n * fields), width: fields, col: 0 };

  const numericRaw = plan.numeric.map((s) => numericValues(findColumn(table, s.column), picked));
  plan.numeric.forEach((s, k) => {
    numericInto(numericRaw[k]!, s, clip, float.data, numericWidth, float.col);
    float.col += numericWidthOf(s);
  });
  plan.numeric.forEach((s, k) => {
    if (s.missingIndicator) indicatorInto(numericRaw[k]!, float.data, numericWidth, float.col++);
  });

  const embedded: Int32Array[] = [];
  for (const step of plan.categorical) {
    const indices = categoryIndices(step, stringView(findColumn(table, step.column)), picked);
    if (step.encoding === 'embedding') {
      embedded.push(indices);
      continue;
    }
    oneHotInto(indices, cardinalityOf(step), float.data, numericWidth, float.col);
    float.col += cardinalityOf(step);
  }
  for (const indices of embedded) copyInto(indices, int, int.col++);

  for (const step of plan.text) {
    textInto(step, stringView(findColumn(table, step.column)), picked, float.data, numericWidth, float.col);
    float.col += step.buckets;
  }
  for (const step of plan.datetime) applyDatetime(step, table, picked, clip, float, int);

  return { rowCount: n, numeric: float.data, numericWidth, categorical: int.data };
}

/** applyFeaturePlan, and the plan's image columns: their files are read and resized. */
export async function encodeFeatures(plan: FeaturePlan, table: Table, rows?: Int32Array): Promise<EncodedFeatures> {
  const encoded = applyFeaturePlan(plan, table, rows);
  if (plan.image.length === 0) return encoded;
  const picked = resolveRows(table, rows);
  const images: ImageBlock[] = [];
  for (const step of plan.image) images.push(await encodeImage(step, table, picked));
  return { ...encoded, images };
}
