/**
 * Categorical and boolean columns: a vocabulary of the categories seen in at least `minFrequency`
 * training rows. Index 0 is the unknown bucket (unseen or rare categories, and missing values unless
 * they are imputed with the most frequent category); category i of the vocabulary has index i + 1.
 * Small vocabularies are one-hot encoded into the float block, larger ones go to the int block as
 * embedding indices. In ONNX one LabelEncoder maps the string to its index.
 */
import { byFrequency, countStrings, type StringView } from './columns.js';
import { oneHotToOnnx, type FragmentBuilder } from './onnx-builder.js';
import type { ResolvedFeatureOptions } from './options.js';

export type CategoryEncoding = 'one-hot' | 'embedding';

export interface CategoryStep {
  kind: 'categorical' | 'boolean';
  column: string;
  /** Category strings; index i + 1 in the encoded output. */
  vocabulary: string[];
  /** Index a missing value ('' or absent) gets: 0 (unknown) or the most frequent category's. */
  missingIndex: number;
  encoding: CategoryEncoding;
}

/** Vocabulary size plus the unknown bucket. */
export function cardinalityOf(step: { vocabulary: string[] }): number {
  return step.vocabulary.length + 1;
}

export function encodingFor(cardinality: number, options: ResolvedFeatureOptions): CategoryEncoding {
  return cardinality <= options.oneHotMaxCardinality ? 'one-hot' : 'embedding';
}

/** The step for one column, or a reason to drop it when no category is frequent enough. */
export function fitCategory(
  kind: CategoryStep['kind'],
  column: string,
  view: StringView,
  rows: Int32Array,
  options: ResolvedFeatureOptions,
): CategoryStep | string {
  const counts = countStrings(view, rows);
  const vocabulary = byFrequency(counts)
    .filter((s) => counts.get(s)! >= options.minFrequency)
    .slice(0, options.maxCategories);
  if (vocabulary.length === 0) {
    return counts.size === 0
      ? 'no value in the training rows'
      : `no category occurs in ${options.minFrequency} or more training rows (minFrequency)`;
  }
  const missingIndex = options.categoricalImpute === 'most-frequent' ? 1 : 0;
  return { kind, column, vocabulary, missingIndex, encoding: encodingFor(vocabulary.length + 1, options) };
}

/** Index per row of `rows` (0 = unknown): one Map lookup per dictionary entry, then a typed loop. */
export function categoryIndices(step: CategoryStep, view: StringView, rows: Int32Array): Int32Array {
  const lookup = new Map(step.vocabulary.map((s, i) => [s, i + 1]));
  const byCode = Int32Array.from(view.dictionary, (s) => (s === '' ? step.missingIndex : lookup.get(s) ?? 0));
  const out = new Int32Array(rows.length);
  const codes = view.codes;
  for (let i = 0; i < rows.length; i++) {
    const c = codes[rows[i]!]!;
    out[i] = c < 0 ? step.missingIndex : byCode[c]!;
  }
  return out;
}

/** Writes a one-hot of `indices` into columns col .. col + cardinality - 1 of a row-major block. */
export function oneHotInto(indices: Int32Array, cardinality: number, out: Float32Array, width: number, col: number): void {
  for (let i = 0, o = col; i < indices.length; i++, o += width) {
    out.fill(0, o, o + cardinality);
    out[o + indices[i]!] = 1;
  }
}

/** `[B, 1]` string input → `[B, 1]` int64 index. */
export function categoryToOnnx(b: FragmentBuilder, step: CategoryStep, input: string): string {
  const keys = step.missingIndex === 0 ? step.vocabulary : [...step.vocabulary, ''];
  const values = step.vocabulary.map((_, i) => i + 1);
  if (step.missingIndex !== 0) values.push(step.missingIndex);
  return b.ml('LabelEncoder', [input], `${step.column}/index`, {
    keys_strings: keys,
    values_int64s: values,
    default_int64: 0,
  });
}

/** The float columns of a one-hot step, or the int column of an embedding step. */
export function categoryOutputToOnnx(b: FragmentBuilder, step: CategoryStep, input: string): string {
  const index = categoryToOnnx(b, step, input);
  return step.encoding === 'one-hot' ? oneHotToOnnx(b, index, cardinalityOf(step), step.column) : index;
}
