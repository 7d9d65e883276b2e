/**
 * The view of the feature plan a tree member takes: no imputation, scaling or one-hot, because
 * trees split raw values and learn where missing values go. Per plan step, in plan order:
 * - numeric: the raw value as float32 (NaN = missing);
 * - categorical / boolean: the vocabulary index (0 = unknown or rare), a categorical feature;
 * - text: the hashed bucket counts, numeric features;
 * - datetime: the raw year (NaN = missing), then each part's index as a categorical feature.
 * `treeInputs` computes it in JS, `treeInputsToOnnx` as one float32 [batch, features] tensor from
 * the same raw inputs as the neural fragment; the two give the same numbers.
 */
import type { Table } from '../data/table.js';
import { makeNode, makeValueInfo, type OnnxFragment } from '../graph/onnx-proto.js';
import type { TreeFeature, TreeInputs } from '../trees/model.js';
import { cardinalityOf, categoryIndices, categoryToOnnx } from './categorical.js';
import { findColumn, numericValues, resolveRows, stringView } from './columns.js';
import { datetimeToOnnx, parseDates, PART_CARDINALITY } from './datetime.js';
import { FragmentBuilder } from './onnx-builder.js';
import { checkNames, rawInputsOf } from './onnx.js';
import type { FeaturePlan } from './plan.js';
import { textInto, textToOnnx } from './text.js';

/** The features of the tree view, in its column order. */
export function treeFeaturesOf(plan: FeaturePlan): TreeFeature[] {
  const features: TreeFeature[] = plan.numeric.map((s) => ({ name: s.column, kind: 'numeric' }));
  for (const s of plan.categorical) features.push({ name: s.column, kind: 'categorical', cardinality: cardinalityOf(s) });
  for (const s of plan.text) for (let k = 0; k < s.buckets; k++) features.push({ name: `${s.column}:#${k}`, kind: 'numeric' });
  for (const s of plan.datetime) {
    features.push({ name: `${s.column}:year`, kind: 'numeric' });
    for (const { part } of s.parts) features.push({ name: `${s.column}:${part}`, kind: 'categorical', cardinality: PART_CARDINALITY[part] });
  }
  return features;
}

/** `rows` of `table` (all when omitted) as tree inputs, one Float32Array per feature. */
export function treeInputs(plan: FeaturePlan, table: Table, rows?: Int32Array): TreeInputs {
  const picked = resolveRows(table, rows);
  const n = picked.length;
  const columns: Float32Array[] = plan.numeric.map((s) => numericValues(findColumn(table, s.column), picked));
  for (const s of plan.categorical) columns.push(Float32Array.from(categoryIndices(s, stringView(findColumn(table, s.column)), picked)));
  for (const s of plan.text) {
    const block = new Float32Array(n * s.buckets);
    textInto(s, stringView(findColumn(table, s.column)), picked, block, s.buckets, 0);
    for (let k = 0; k < s.buckets; k++) columns.push(Float32Array.from({ length: n }, (_, i) => block[i * s.buckets + k]!));
  }
  for (const s of plan.datetime) {
    const dates = parseDates(stringView(findColumn(table, s.column)), picked);
    columns.push(dates.year);
    for (const { part } of s.parts) columns.push(Float32Array.from(dates[part]));
  }
  return { rowCount: n, features: treeFeaturesOf(plan), columns };
}

export interface TreeFragmentOptions {
  /** Prefix of every internal tensor and node name. Default 'ti/'. */
  prefix?: string;
  /** Output name. Default 'tree-inputs'. */
  output?: string;
}

/**
 * Adds the tree view's nodes to `b`, reading the raw inputs of `rawInputsOf(plan)`; returns the
 * float32 `[batch, features]` tensor. For a caller joining more nodes in the same builder.
 */
export function treeInputsInto(b: FragmentBuilder, plan: FeaturePlan): string {
  const pieces: string[] = plan.numeric.map((s) => s.column);
  for (const s of plan.categorical) pieces.push(b.cast(categoryToOnnx(b, s, s.column), 'float32', `${s.column}/code`));
  for (const s of plan.text) pieces.push(textToOnnx(b, s, s.column));
  for (const s of plan.datetime) {
    const { year, parts } = datetimeToOnnx(b, s, s.column);
    pieces.push(year, ...s.parts.map(({ part }) => b.cast(parts[part]!, 'float32', `${s.column}:${part}/code`)));
  }
  return pieces.length === 1 ? b.op('Identity', pieces, 'tree-inputs') : b.op('Concat', pieces, 'tree-inputs', { axis: 1 });
}

/** The fragment: raw columns in (as `rawInputsOf(plan)`), float32 `[batch, features]` out. */
export function treeInputsToOnnx(plan: FeaturePlan, options: TreeFragmentOptions = {}): OnnxFragment {
  const prefix = options.prefix ?? 'ti/';
  const output = options.output ?? 'tree-inputs';
  const inputs = rawInputsOf(plan);
  checkNames(inputs, prefix, [output]);
  const b = new FragmentBuilder(prefix);
  b.nodes.push(makeNode('Identity', [treeInputsInto(b, plan)], [output], {}, b.name('output')));
  return {
    nodes: b.nodes,
    initializers: b.initializers,
    inputs: inputs.map((i) => makeValueInfo(i.name, i.dtype, ['batch', 1])),
    outputs: [makeValueInfo(output, 'float32', ['batch', treeFeaturesOf(plan).length])],
  };
}
